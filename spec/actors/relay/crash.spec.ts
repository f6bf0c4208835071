import assert from 'node:assert/strict';
import { freePort, until } from '../../../testing/index.ts';
import { attach, connect, identityOf, type Attachment, type RelayedStream } from '../../../actors/relay/index.ts';
import { ask, collect, relayPki, serveUpper, startRelay, type StartedRelay } from './support.ts';

describe('relay crashes', function () {
  this.timeout(20_000);
  let relay: StartedRelay | undefined;
  const attachments: Attachment[] = [];
  const streams: RelayedStream[] = [];
  afterEach(async () => {
    for (const a of attachments.splice(0)) a.close();
    for (const s of streams.splice(0)) s.destroy();
    await relay?.stop();
    relay = undefined;
  });

  it('the relay crashes mid-circuit: both ends see the circuit fail, C re-attaches, B reconnects', async () => {
    const pki = await relayPki();
    const ports = { tcpPort: await freePort(), tlsPort: await freePort() };
    relay = await startRelay(ports);
    const c = attach(relay.hint, pki.c, { reconnect: { minMs: 50, maxMs: 100 } });
    attachments.push(c);
    serveUpper(c);
    await c.whenAttached();
    const before = await connect(relay.hint, identityOf(pki.c.cert), pki.b);
    streams.push(before);
    assert.equal(await ask(before, 'before'), 'BEFORE');
    const ended = collect(before).ended;
    const detached = new Promise((resolve) => c.once('detached', resolve));
    await relay.stop();
    relay = undefined;
    await ended;
    await detached;
    assert.equal(before.destroyed, true);
    relay = await startRelay(ports);
    await until(() => c.attached, 'C re-attached');
    const after = await connect(relay.hint, identityOf(pki.c.cert), pki.b);
    streams.push(after);
    assert.equal(await ask(after, 'after the restart'), 'AFTER THE RESTART');
  });

  it('a registry that cannot answer refuses new requests (CONNECTION_FAILED) and never takes the listener, its links or circuits down', async () => {
    const pki = await relayPki();
    relay = await startRelay();
    const c = attach(relay.hint, pki.c);
    attachments.push(c);
    serveUpper(c);
    await c.whenAttached();
    const identity = identityOf(pki.c.cert);
    const open = await connect(relay.hint, identity, pki.b);
    streams.push(open);
    let failures = 0;
    relay.running.system.events.subscribe((event) => void (event.kind === 'failed' && (failures += 1)));
    await relay.running.stopChild('relay/registry');
    await assert.rejects(connect(relay.hint, identity, pki.b), (error: unknown) => (error as { code?: string }).code === 'CONNECTION_FAILED');
    assert.equal(await ask(open, 'still carried'), 'STILL CARRIED');
    assert.equal(failures, 0);
    assert.equal(c.attached, true);
  });

  it('a circuit actor that crashes ends its own circuit only: the other circuit and the reservation go on', async () => {
    const pki = await relayPki();
    let crashNext = false;
    relay = await startRelay({
      tap: (_direction, chunk) => {
        if (crashNext) {
          crashNext = false;
          throw new Error('circuit fault injected by the spec');
        }
        return chunk;
      },
    });
    const c = attach(relay.hint, pki.c);
    attachments.push(c);
    serveUpper(c);
    await c.whenAttached();
    const identity = identityOf(pki.c.cert);
    const doomed = await connect(relay.hint, identity, pki.b);
    const survivor = await connect(relay.hint, identity, pki.b);
    streams.push(doomed, survivor);
    assert.equal(await ask(doomed, 'one'), 'ONE');
    assert.equal(await ask(survivor, 'two'), 'TWO');
    const failed = new Promise<{ address: string }>((resolve) =>
      relay!.running.system.events.subscribe((event) => event.kind === 'failed' && resolve(event as unknown as { address: string })),
    );
    const doomedEnd = collect(doomed).ended;
    crashNext = true;
    doomed.write('boom');
    assert.match((await failed).address, /^relay\/circuits\/[A-Za-z0-9_-]+$/);
    await doomedEnd;
    assert.equal(await ask(survivor, 'still here'), 'STILL HERE');
    await until(async () => (await relay!.figures()).circuits === 1, 'the crashed circuit freed its slot');
    assert.equal((await relay.figures()).reservations, 1);
    const third = await connect(relay.hint, identity, pki.b);
    streams.push(third);
    assert.equal(await ask(third, 'three'), 'THREE');
    assert.equal(relay.running.supervisor('relay/circuits').countChildren().active, 2);
  });
});
