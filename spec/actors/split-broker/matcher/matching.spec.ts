import assert from 'node:assert/strict';
import { VirtualClock } from '../../../../lib/ports/virtual-clock.ts';
import { Matcher, type MatcherFigures, type ProxyPollResult } from '../../../../actors/split-broker/matcher/index.ts';
import { DEFAULT_BRIDGE_FINGERPRINT, type NatType, type ProxyPollRequest } from '../../../../actors/split-broker/wire/index.ts';

const RELAY = 'wss://snowflake.torproject.net/';

const poll = (sid: string, nat: NatType, clients = 0, type = 'standalone'): ProxyPollRequest => ({
  sid,
  version: '1.3',
  type,
  nat,
  clients,
  acceptedRelayPattern: 'snowflake.torproject.net$',
});

const offer = (sdp: string, nat: NatType) => ({ offer: sdp, nat, fingerprint: DEFAULT_BRIDGE_FINGERPRINT });

/** Records how each poll ended, so a test can see which proxy a client got. */
function track(polls: Record<string, Promise<ProxyPollResult>>) {
  const ended: Record<string, ProxyPollResult> = {};
  for (const [sid, promise] of Object.entries(polls)) void promise.then((result) => (ended[sid] = result));
  return ended;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

type Family = 'availableProxies' | 'proxyPolls' | 'clientPolls' | 'proxyAnswers';

/** The Matcher's figures as plain counts per family and labels. */
class RecordedFigures implements MatcherFigures {
  private readonly counts = new Map<string, number>();
  proxyWaiting = (labels: Record<string, string>, delta: number) => this.add('availableProxies', labels, delta);
  proxyPoll = (labels: Record<string, string>) => this.add('proxyPolls', labels);
  clientPoll = (labels: Record<string, string>) => this.add('clientPolls', labels);
  proxyAnswer = (labels: Record<string, string>) => this.add('proxyAnswers', labels);

  get(family: Family, labels: Record<string, string>): number {
    return this.counts.get(RecordedFigures.key(family, labels)) ?? 0;
  }

  private add(family: Family, labels: Record<string, string>, by = 1): void {
    const key = RecordedFigures.key(family, labels);
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
  }

  private static key(family: Family, labels: Record<string, string>): string {
    return `${family} ${JSON.stringify(Object.entries(labels).sort())}`;
  }
}

describe('Matcher (Snowflake broker rules)', () => {
  let clock: VirtualClock;
  let matcher: Matcher;
  let figures: RecordedFigures;
  beforeEach(() => {
    clock = new VirtualClock();
    figures = new RecordedFigures();
    matcher = new Matcher({ clock, figures });
  });
  afterEach(() => matcher.dispose());

  // [client NAT, proxies waiting, proxy the client gets]
  const pairing: [NatType, NatType[], NatType | 'none'][] = [
    ['unrestricted', ['unrestricted', 'restricted'], 'restricted'],
    ['unrestricted', ['unrestricted', 'unknown'], 'unknown'],
    ['unrestricted', ['unrestricted'], 'unrestricted'],
    ['restricted', ['restricted', 'unrestricted'], 'unrestricted'],
    ['restricted', ['restricted', 'unknown'], 'none'],
    ['unknown', ['unknown', 'unrestricted'], 'unrestricted'],
    ['unknown', ['restricted'], 'none'],
  ];
  for (const [clientNat, proxies, expected] of pairing) {
    it(`gives a ${clientNat} client ${expected === 'none' ? 'no proxy' : `the ${expected} proxy`} when ${proxies.join(' + ')} wait`, async () => {
      const ended = track(Object.fromEntries(proxies.map((nat) => [nat, matcher.proxyPoll(poll(nat, nat))])));
      const result = matcher.clientOffer(offer('sdp-offer', clientNat));
      await settle();
      if (expected === 'none') {
        assert.deepEqual(await result, { error: 'no snowflake proxies currently available' });
        assert.deepEqual(ended, {});
        assert.equal(matcher.availableProxies, proxies.length);
      } else {
        assert.deepEqual(ended, { [expected]: { status: 'client match', offer: 'sdp-offer', nat: clientNat, relayURL: RELAY } });
        assert.equal(matcher.answer(expected, 'sdp-answer'), 'success');
        assert.deepEqual(await result, { answer: 'sdp-answer' });
      }
    });
  }

  it('denies a client at once when no proxy waits, without advancing the clock', async () => {
    assert.deepEqual(await matcher.clientOffer(offer('o', 'unknown')), { error: 'no snowflake proxies currently available' });
    assert.equal(clock.now(), 0);
    assert.equal(figures.get('clientPolls', { nat: 'unknown', status: 'denied' }), 1);
  });

  it('hands out the least-loaded proxy first, the longest waiting among equals', async () => {
    const ended = track({
      busy: matcher.proxyPoll(poll('busy', 'unrestricted', 16)),
      idle: matcher.proxyPoll(poll('idle', 'unrestricted', 0)),
      some: matcher.proxyPoll(poll('some', 'unrestricted', 8)),
      idle2: matcher.proxyPoll(poll('idle2', 'unrestricted', 0)),
    });
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      void matcher.clientOffer(offer(`o${i}`, 'restricted'));
      await settle();
      order.push(...Object.keys(ended).filter((sid) => !order.includes(sid)));
    }
    assert.deepEqual(order, ['idle', 'idle2', 'some', 'busy']);
  });

  it('ends an unmatched poll with "no match" after exactly 10 s and frees the proxy', async () => {
    const ended = track({ p: matcher.proxyPoll(poll('p', 'restricted', 0, 'webext')) });
    assert.equal(figures.get('availableProxies', { nat: 'restricted', type: 'webext' }), 1);
    await clock.advance(9_999);
    assert.deepEqual(ended, {});
    await clock.advance(1);
    assert.deepEqual(ended, { p: { status: 'no match' } });
    assert.equal(matcher.availableProxies, 0);
    assert.equal(figures.get('availableProxies', { nat: 'restricted', type: 'webext' }), 0);
    assert.equal(figures.get('proxyPolls', { nat: 'restricted', type: 'webext', status: 'idle' }), 1);
    assert.deepEqual(await matcher.clientOffer(offer('late', 'unrestricted')), { error: 'no snowflake proxies currently available' });
  });

  it('times a matched client out after exactly 10 s, and the late answer gets "client gone"', async () => {
    void matcher.proxyPoll(poll('p', 'unrestricted'));
    let result: unknown;
    void matcher.clientOffer(offer('o', 'restricted')).then((r) => (result = r));
    await clock.advance(9_999);
    assert.equal(result, undefined);
    await clock.advance(1);
    assert.deepEqual(result, { error: 'timed out waiting for answer!' });
    assert.equal(matcher.answer('p', 'too late'), 'client gone');
    assert.equal(figures.get('clientPolls', { nat: 'restricted', status: 'timeout' }), 1);
    assert.equal(figures.get('proxyAnswers', { status: 'client gone' }), 1);
  });

  it('answers "client gone" at once for a session id it never matched', () => {
    assert.equal(matcher.answer('never-polled', 'sdp'), 'client gone');
  });

  it('refuses a proxy whose relay pattern does not cover the broker\'s, or that sends none', async () => {
    assert.deepEqual(await matcher.proxyPoll({ ...poll('a', 'unrestricted'), acceptedRelayPattern: '^other.example$' }), {
      status: 'incorrect relay pattern',
    });
    assert.deepEqual(await matcher.proxyPoll({ ...poll('b', 'unrestricted'), acceptedRelayPattern: null }), { status: 'incorrect relay pattern' });
    assert.equal(matcher.availableProxies, 0);
  });

  it('answers "bridge not found" to a client naming an unknown bridge', async () => {
    void matcher.proxyPoll(poll('p', 'unrestricted'));
    assert.deepEqual(await matcher.clientOffer({ offer: 'o', nat: 'unknown', fingerprint: 'AB'.repeat(20) }), { error: 'bridge not found' });
    assert.equal(matcher.availableProxies, 1);
  });

  it('replaces a waiting poll when the same proxy polls again', async () => {
    const ended = track({ first: matcher.proxyPoll(poll('p', 'unrestricted')) });
    void matcher.proxyPoll(poll('p', 'unrestricted'));
    await settle();
    assert.deepEqual(ended, { first: { status: 'no match' } });
    assert.equal(matcher.availableProxies, 1);
  });

  it('ends every wait on dispose, leaving no timer behind', async () => {
    const proxy = matcher.proxyPoll(poll('p', 'unrestricted'));
    const lonely = matcher.proxyPoll(poll('q', 'restricted'));
    const client = matcher.clientOffer(offer('o', 'unknown'));
    matcher.dispose();
    assert.deepEqual(await proxy, { status: 'client match', offer: 'o', nat: 'unknown', relayURL: RELAY });
    assert.deepEqual(await lonely, { status: 'no match' });
    assert.deepEqual(await client, { error: 'timed out waiting for answer!' });
    assert.equal(clock.pending, 0);
  });

  describe('withdrawing a poll whose proxy hung up', () => {
    type Step = ['poll', string, string] | ['withdraw', string, string] | ['client', string] | ['advance', number];
    // [what happens, steps, what each withdraw returned, how each poll ended (by ticket), proxies still waiting, polls counted withdrawn]
    const cases: [string, Step[], boolean[], Record<string, string>, number, number][] = [
      ['takes back a waiting poll at once: it ends in no match and no client gets it', [['poll', 'p', 't1'], ['withdraw', 'p', 't1'], ['client', 'c']], [true], { t1: 'no match' }, 0, 1],
      ['leaves a poll that another ticket names', [['poll', 'p', 't1'], ['withdraw', 'p', 't2']], [false], {}, 1, 0],
      ['leaves the later poll of a proxy that polled again', [['poll', 'p', 't1'], ['poll', 'p', 't2'], ['withdraw', 'p', 't1'], ['client', 'c']], [false], { t1: 'no match', t2: 'client match' }, 0, 0],
      ['does nothing once the poll was matched', [['poll', 'p', 't1'], ['client', 'c'], ['withdraw', 'p', 't1']], [false], { t1: 'client match' }, 0, 0],
      ['does nothing once the poll expired', [['poll', 'p', 't1'], ['advance', 10_000], ['withdraw', 'p', 't1']], [false], { t1: 'no match' }, 0, 0],
      ['does nothing for a proxy that never polled', [['withdraw', 'p', 't1']], [false], {}, 0, 0],
      ['takes back one of two waiting polls; the client gets the other', [['poll', 'p', 't1'], ['poll', 'q', 't2'], ['withdraw', 'p', 't1'], ['client', 'c']], [true], { t1: 'no match', t2: 'client match' }, 0, 1],
    ];
    for (const [what, steps, withdrawn, ended, waiting, counted] of cases) {
      it(what, async () => {
        const results: boolean[] = [];
        const polls: Record<string, string> = {};
        for (const step of steps) {
          if (step[0] === 'poll') void matcher.proxyPoll(poll(step[1], 'unrestricted'), step[2]).then((result) => (polls[step[2]] = result.status));
          if (step[0] === 'withdraw') results.push(matcher.withdrawPoll(step[1], step[2]));
          if (step[0] === 'client') void matcher.clientOffer(offer(step[1], 'restricted'));
          if (step[0] === 'advance') await clock.advance(step[1]);
          await settle();
        }
        assert.deepEqual(results, withdrawn);
        assert.deepEqual(polls, ended);
        assert.equal(matcher.availableProxies, waiting);
        assert.equal(figures.get('proxyPolls', { nat: 'unrestricted', type: 'standalone', status: 'withdrawn' }), counted);
        assert.equal(clock.now(), steps.some((step) => step[0] === 'advance') ? 10_000 : 0);
      });
    }

    it('hands 5 clients to the 5 live proxies after 20 hung-up polls were withdrawn', async () => {
      const hungUp = Array.from({ length: 20 }, (_, i) => matcher.proxyPoll(poll(`gone${i}`, 'unrestricted'), `g${i}`));
      const live = Array.from({ length: 5 }, (_, i) => matcher.proxyPoll(poll(`live${i}`, 'unrestricted'), `l${i}`));
      assert.deepEqual(Array.from({ length: 20 }, (_, i) => matcher.withdrawPoll(`gone${i}`, `g${i}`)), Array(20).fill(true));
      const clients = Array.from({ length: 5 }, (_, i) => matcher.clientOffer(offer(`o${i}`, 'restricted')));
      assert.deepEqual((await Promise.all(live)).map((result) => result.status), Array(5).fill('client match'));
      assert.deepEqual((await Promise.all(hungUp)).map((result) => result.status), Array(20).fill('no match'));
      for (let i = 0; i < 5; i++) assert.equal(matcher.answer(`live${i}`, `answer ${i}`), 'success');
      assert.deepEqual(await Promise.all(clients), [0, 1, 2, 3, 4].map((i) => ({ answer: `answer ${i}` })));
      assert.equal(clock.now(), 0);
    });
  });
});
