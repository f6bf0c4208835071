import assert from 'node:assert/strict';
import { RegistrarProtocol } from '../../../actors/split-broker/index.ts';
import { rendezvous } from './loopback.ts';
import { startBroker } from './fixture.ts';

describe('split broker, per-method isolation', function () {
  this.timeout(20_000);

  it('while the DNS registrar crash-loops, HTTP registrations keep flowing with none lost', async () => {
    let crashing = false;
    const broker = await startBroker({}, { beforeHandle: (address) => { if (crashing && address === 'edge/dns') throw new Error('injected fault'); } });
    crashing = true;
    const restarts: string[] = [];
    broker.running.system.on('restarted').subscribe((event) => restarts.push(event.address));
    // One crash of the DNS registrar per round, beside the round's HTTP rendezvous: counted, not
    // timed, so a slow machine sees the same 10 crashes (within the edge's intensity of 20 in 10 s).
    const crashDns = () => broker.running.ref('edge/dns', RegistrarProtocol).ask('where', {}).then(() => {}, () => {});
    const answers = [];
    for (let round = 0; round < 10; round++) {
      const [pair] = await Promise.all([Promise.all([0, 1].map((n) => rendezvous('http', broker.ports, broker.keys, `${round}-${n}`))), crashDns()]);
      answers.push(...pair);
    }
    crashing = false;
    assert.equal(answers.length, 20);
    assert.deepEqual(answers.filter((answer, i) => answer !== `answer of proxy-${Math.floor(i / 2)}-${i % 2} to offer of client-${Math.floor(i / 2)}-${i % 2}`), []);
    assert.ok(restarts.filter((address) => address === 'edge/dns').length >= 3, restarts.join());
    assert.deepEqual(restarts.filter((address) => address !== 'edge/dns'), [], 'nothing else restarted');
    broker.ports.dns = (await broker.running.ref('edge/dns', RegistrarProtocol).ask('where', {})).port;
    assert.equal(await rendezvous('dns', broker.ports, broker.keys, 'after'), 'answer of proxy-after to offer of client-after');
    await broker.stop();
  });
});
