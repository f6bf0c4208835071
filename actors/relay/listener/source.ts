/**
 * Who a connection counts against: its IPv4 address, or the /64 of its IPv6 address (one
 * subscriber holds a whole /64). An IPv4 address mapped into IPv6 is its IPv4 address.
 */
export function sourceOf(host: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  if (mapped) return mapped[1]!;
  if (!host.includes(':')) return host || 'unknown';
  const [head = '', tail] = host.split('%')[0]!.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array.from({ length: Math.max(0, 8 - left.length - right.length) }, () => '0');
  return `${[...left, ...fill, ...right].slice(0, 4).map((hextet) => hextet.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
