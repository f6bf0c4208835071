/**
 * Whom the DNS registrar's per-source quotas count against: an IPv4 address as it is (an
 * IPv4-mapped IPv6 address too), an IPv6 address by its /64, since one host gets a whole /64
 * and could otherwise take a fresh quota from each of its 2^64 addresses.
 */
export function dnsSourceOf(host: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  if (mapped) return mapped[1]!;
  if (!host.includes(':')) return host;
  const [head = '', tail = ''] = host.toLowerCase().split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = host.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
