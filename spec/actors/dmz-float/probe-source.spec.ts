import assert from 'node:assert/strict';
import { probeSourceOf } from '../../../actors/dmz-float/float/probe-source.ts';

describe('Float health check: whom a connection counts against', () => {
  const cases: [string, string][] = [
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ];
  for (const [host, source] of cases) {
    it(`${host} counts as ${source}`, () => assert.equal(probeSourceOf(host), source));
  }
});
