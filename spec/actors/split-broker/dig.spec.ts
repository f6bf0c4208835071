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
async function dig(port: number, name: string): Promise<DigResult> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=5', 'TXT', name], { timeout: 15_000 });
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
});
