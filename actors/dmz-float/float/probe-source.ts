/** Hextets of an IPv6 address that name its network: a /64 is what one subscriber is given, so one source. */
const IPV6_NETWORK_HEXTETS = 4;

/**
 * Who a health-check connection counts against: its IPv4 address, or the /64 of its IPv6 address
 * (one host holds a whole /64, so counting single IPv6 addresses would bound nothing). An IPv4
 * address mapped into IPv6 (`::ffff:a.b.c.d`) is its IPv4 address.
 */
export function probeSourceOf(host: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  if (mapped) return mapped[1]!;
  if (!host.includes(':')) return host;
  return `${expandIpv6(host).slice(0, IPV6_NETWORK_HEXTETS).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address, `::` filled in, leading zeros dropped, lower case; the zone ignored. */
function expandIpv6(host: string): string[] {
  const [head = '', tail] = host.split('%')[0]!.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array.from({ length: Math.max(0, 8 - left.length - right.length) }, () => '0');
  return [...left, ...fill, ...right].map((hextet) => hextet.replace(/^0+(?=.)/, ''));
}
