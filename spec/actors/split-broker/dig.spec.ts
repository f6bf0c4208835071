import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pollAsProxy, answerAsProxy } from './loopback.ts';
import { registrationQueryNames } from '../../../actors/split-broker/wire/index.ts';
import { sealRegistration, verifyAnswer } from '../../../actors/split-broker/client/index.ts';
import { startBroker, ZONE, type Broker } from './fixture.ts';

const run = promisify(execFile);

/** What `dig` printed: the `status:` of its header line and the TXT strings of the answer, each unescaped. */
interface DigResult {
  status: string;
  txt: string[];
}

/** `dig @127.0.0.1 -p <port> TXT <name>`, one UDP query, no retry (a lost datagram fails the spec rather than hiding). */
async function dig(port: number, name: string, options: string[] = []): Promise<DigResult> {
  return readDig(await digOutput(port, name, options));
}

/** What dig prints; `options` such as `+tcp`, `+noedns`, `+ignore`. */
async function digOutput(port: number, name: string, options: string[] = [], type = 'TXT'): Promise<string> {
  return (await run('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=5', ...options, type, name], { timeout: 15_000 })).stdout;
}

function readDig(stdout: string): DigResult {
  const status = /status: ([A-Z]+)/.exec(stdout)?.[1];
  if (!status) throw new Error(`dig printed no status line:\n${stdout}`);
  const answer = stdout.split('\n').find((line) => /\sIN\s+TXT\s/.test(line) && !line.startsWith(';'));
  return { status, txt: answer === undefined ? [] : [...answer.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => unescapeTxt(match[1]!)) };
}

/** dig's presentation format: `\"`, `\\` and `\DDD` escapes. */
function unescapeTxt(text: string): string {
  return text.replace(/\\(\d{3}|.)/g, (_, escaped: string) => (escaped.length === 3 ? String.fromCharCode(Number(escaped)) : escaped));
}

describe('dig against the DNS registrar', function () {
  this.timeout(30_000);
  let broker: Broker;
  beforeEach(async () => (broker = await startBroker()));
  afterEach(() => broker.stop());

  it('carries a sealed registration in TXT queries, one chunk each: "ack 1/3", "ack 2/3", then the signed answer', async () => {
    const proxy = pollAsProxy(broker.ports.http, 'dig-proxy').then((poll) => answerAsProxy(broker.ports.http, 'dig-proxy', `answer to ${poll.offer}`));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { sealed, nonce } = sealRegistration({ offer: 'offer of dig', nat: 'unrestricted' }, broker.keys.box);
    const names = registrationQueryNames(sealed, ZONE, 'digsession1');
    assert.equal(names.length, 3);
    assert.match(names[0]!, new RegExp(`^[a-z2-7.]+\\.0\\.3\\.digsession1\\.${ZONE.replaceAll('.', '\\.')}$`));

    assert.deepEqual(await dig(broker.ports.dns, names[0]!), { status: 'NOERROR', txt: ['ack 1/3'] });
    assert.deepEqual(await dig(broker.ports.dns, names[1]!), { status: 'NOERROR', txt: ['ack 2/3'] });
    const last = await dig(broker.ports.dns, names[2]!);
    assert.equal(last.status, 'NOERROR');
    const response = verifyAnswer(last.txt.join(''), nonce, broker.keys.sign);
    assert.equal(response.answer, 'answer to offer of dig');
    assert.equal(await proxy, true);
  });

  it('answers a lone chunk <data>.0.1.<session>.<zone> whose box does not open with the Oracle\'s error, unsigned', async () => {
    const { status, txt } = await dig(broker.ports.dns, `${'a'.repeat(63)}.${'a'.repeat(27)}.0.1.lone.${ZONE}`);
    assert.equal(status, 'NOERROR');
    assert.deepEqual(JSON.parse(txt.join('')), { error: 'registration refused: forged' });
  });

  it('refuses a name outside its zone with REFUSED and a malformed one with FORMERR, and serves on', async () => {
    assert.deepEqual(await dig(broker.ports.dns, 'aaaa.0.1.session.example.org'), { status: 'REFUSED', txt: [] });
    assert.deepEqual(await dig(broker.ports.dns, `aaaa.3.2.session.${ZONE}`), { status: 'FORMERR', txt: [] });
    assert.deepEqual(await dig(broker.ports.dns, `not-base32!.0.1.session.${ZONE}`), { status: 'FORMERR', txt: [] });
    assert.deepEqual(await dig(broker.ports.dns, `aaaa.0.1.${ZONE}`), { status: 'FORMERR', txt: [] });
    const { sealed } = sealRegistration({ offer: 'after refusals', nat: 'unrestricted' }, broker.keys.box);
    assert.deepEqual(await dig(broker.ports.dns, registrationQueryNames(sealed, ZONE, 'still')[0]!), { status: 'NOERROR', txt: ['ack 1/3'] });
  });

  describe('an answer larger than a UDP reply may be', () => {
    /** A registration whose signed answer is about 2,000 bytes: every chunk but the last sent, the last one's name returned. */
    async function bigRegistration(session: string): Promise<{ last: string; nonce: string; proxy: Promise<boolean> }> {
      const proxy = pollAsProxy(broker.ports.http, `${session}-proxy`).then((poll) => answerAsProxy(broker.ports.http, `${session}-proxy`, `answer to ${poll.offer}`));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { sealed, nonce } = sealRegistration({ offer: 'o'.repeat(1_800), nat: 'unrestricted' }, broker.keys.box);
      const names = registrationQueryNames(sealed, ZONE, session);
      for (const name of names.slice(0, -1)) assert.equal((await dig(broker.ports.dns, name)).status, 'NOERROR');
      return { last: names.at(-1)!, nonce, proxy };
    }

    it('is truncated over UDP (TC set, OPT kept, no answer), and dig retries over TCP by itself and gets it whole', async () => {
      const { last, nonce, proxy } = await bigRegistration('bigudp');
      const output = await digOutput(broker.ports.dns, last);
      assert.match(output, /;; Truncated, retrying in TCP mode\./);
      assert.equal(verifyAnswer(readDig(output).txt.join(''), nonce, broker.keys.sign).answer, `answer to ${'o'.repeat(1_800)}`);
      assert.equal(await proxy, true);
      const ignored = await digOutput(broker.ports.dns, last, ['+ignore']);
      assert.match(ignored, /;; flags: qr aa tc rd;/);
      assert.match(ignored, /; EDNS: version: 0, flags:; udp: 1232/);
      assert.match(ignored, /ANSWER: 0,/);
      const classic = await digOutput(broker.ports.dns, last, ['+ignore', '+noedns']);
      assert.match(classic, /;; flags: qr aa tc rd;/);
      assert.match(classic, /ADDITIONAL: 0$/m);
    });

    it('comes whole to dig +tcp, on the port the UDP queries go to', async () => {
      const { last, nonce, proxy } = await bigRegistration('bigtcp');
      const { status, txt } = await dig(broker.ports.dns, last, ['+tcp']);
      assert.equal(status, 'NOERROR');
      assert.equal(verifyAnswer(txt.join(''), nonce, broker.keys.sign).answer, `answer to ${'o'.repeat(1_800)}`);
      assert.equal(await proxy, true);
    });
  });

  it('answers an A query with REFUSED and the question it asked: dig sees no mismatch', async () => {
    const output = await digOutput(broker.ports.dns, `WwW.${ZONE}`, [], 'A');
    assert.match(output, /status: REFUSED/);
    assert.doesNotMatch(output, /mismatch/i);
    assert.match(output, new RegExp(`^;WwW\\.${ZONE.replaceAll('.', '\\.')}\\.\\s+IN\\s+A$`, 'm'));
  });
});
