import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { attach, connect, identityOf, type Attachment, type RelayedStream } from '../../../actors/relay/index.ts';
import { ask, collect, relayPki, serveUpper, startRelay, type StartedRelay } from './support.ts';

describe('relay end to end (real TLS, real sockets)', function () {
  this.timeout(30_000);
  let relay: StartedRelay;
  const attachments: Attachment[] = [];
  const streams: RelayedStream[] = [];
  afterEach(async () => {
    for (const a of attachments.splice(0)) a.close();
    for (const s of streams.splice(0)) s.destroy();
    await relay?.stop();
  });

  async function attached(options: Parameters<typeof startRelay>[0] = {}) {
    const pki = await relayPki();
    relay = await startRelay(options);
    const attachment = attach(relay.hint, pki.c, { reconnect: { minMs: 50, maxMs: 200 } });
    attachments.push(attachment);
    await attachment.whenAttached();
    return { pki, attachment, c: identityOf(pki.c.cert) };
  }

  it('B asks C through the relay and gets its answer; each side sees the other’s identity', async () => {
    const { pki, attachment, c } = await attached();
    const served = serveUpper(attachment);
    const stream = await connect(relay.hint, c, pki.b);
    streams.push(stream);
    assert.equal(await ask(stream, 'hello through the relay'), 'HELLO THROUGH THE RELAY');
    assert.equal(stream.peerIdentity, c);
    assert.equal(served[0]!.peerIdentity, identityOf(pki.b.cert));
    assert.equal(stream.getProtocol(), 'TLSv1.3');
    assert.deepEqual(await relay.figures(), { reservations: 1, circuits: 1, refusals: {}, ended: {} });
  });

  it('B may hide the identity it asks for by speaking TLS to the relay', async () => {
    const { pki, attachment, c } = await attached();
    serveUpper(attachment);
    const stream = await connect(relay.hint, c, pki.b, { viaTls: true });
    streams.push(stream);
    assert.equal(await ask(stream, 'hidden'), 'HIDDEN');
  });

  it('C may dial back over TLS to the relay too, so neither request nor token shows on the path', async () => {
    const pki = await relayPki();
    relay = await startRelay();
    const attachment = attach(relay.hint, pki.c, { acceptViaTls: true });
    attachments.push(attachment);
    serveUpper(attachment);
    await attachment.whenAttached();
    const stream = await connect(relay.hint, identityOf(pki.c.cert), pki.b, { viaTls: true });
    streams.push(stream);
    assert.equal(await ask(stream, 'tls all the way'), 'TLS ALL THE WAY');
  });

  it('C takes only the parties it allows, by the identity of the certificate they present', async () => {
    const pki = await relayPki();
    relay = await startRelay();
    const allowed = identityOf(pki.b.cert);
    const attachment = attach(relay.hint, pki.c, { allow: (peer) => peer === allowed });
    attachments.push(attachment);
    serveUpper(attachment);
    const turnedAway = new Promise<Error>((resolve) => attachment.once('refusedStream', resolve));
    await attachment.whenAttached();
    const c = identityOf(pki.c.cert);
    const friend = await connect(relay.hint, c, pki.b);
    streams.push(friend);
    assert.equal(await ask(friend, 'friend'), 'FRIEND');
    const stranger = await connect(relay.hint, c, pki.impostor).catch((error: Error) => error);
    if (!(stranger instanceof Error)) {
      streams.push(stranger);
      assert.deepEqual(await collect(stranger).ended.then(() => stranger.destroyed), true);
    }
    assert.equal(((await turnedAway) as { code?: string }).code, 'IDENTITY_MISMATCH');
  });

  it('carries 100 MiB from B to C, checksum equal', async () => {
    const { pki, attachment, c } = await attached();
    const received = new Promise<{ bytes: number; hash: string }>((resolve) => {
      attachment.on('stream', (stream) => {
        const hash = createHash('sha256');
        let bytes = 0;
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          hash.update(chunk);
        });
        stream.on('end', () => {
          stream.end();
          resolve({ bytes, hash: hash.digest('hex') });
        });
      });
    });
    const stream = await connect(relay.hint, c, pki.b);
    streams.push(stream);
    const block = randomBytes(1024 * 1024);
    const sent = createHash('sha256');
    for (let i = 0; i < 100; i += 1) {
      block[0] = i;
      sent.update(block);
      if (!stream.write(Buffer.from(block))) await new Promise((resolve) => stream.once('drain', resolve));
    }
    stream.end();
    const got = await received;
    assert.equal(got.bytes, 100 * 1024 * 1024);
    assert.equal(got.hash, sent.digest('hex'));
  });

  it('a plaintext canary B writes never appears in the bytes the relay forwarded', async () => {
    const canary = `CANARY-${randomBytes(12).toString('hex')}`;
    const forwarded: Buffer[] = [];
    const { pki, attachment, c } = await attached({ tap: (_direction, chunk) => (forwarded.push(Buffer.from(chunk)), chunk) });
    serveUpper(attachment);
    const stream = await connect(relay.hint, c, pki.b);
    streams.push(stream);
    assert.equal(await ask(stream, canary), canary.toUpperCase());
    const seen = Buffer.concat(forwarded);
    assert.ok(seen.length > canary.length, 'the tap saw the circuit');
    assert.equal(seen.indexOf(canary), -1);
    assert.equal(seen.indexOf(canary.toUpperCase()), -1);
    assert.equal(seen.indexOf(Buffer.from(canary).toString('base64')), -1);
  });

  it('one byte flipped inside the relay fails both ends with a TLS error, and nothing corrupted is delivered', async () => {
    let toC = 0;
    let flipped = false;
    const { pki, attachment, c } = await attached({
      tap: (direction, chunk) => {
        if (direction !== 'toC' || flipped) return chunk;
        toC += chunk.length;
        if (toC < 20_000) return chunk;
        flipped = true;
        const copy = Buffer.from(chunk);
        copy[copy.length >> 1] ^= 0x01;
        return copy;
      },
    });
    const atC = new Promise<ReturnType<typeof collect>>((resolve) => attachment.once('stream', (s) => resolve(collect(s))));
    const stream = await connect(relay.hint, c, pki.b);
    streams.push(stream);
    const atB = collect(stream);
    const sent: Buffer[] = [];
    for (let i = 0; i < 16; i += 1) {
      const block = Buffer.alloc(4096, 0x41 + i);
      sent.push(block);
      stream.write(block);
    }
    const [c1, b1] = await Promise.all([atC.then((seen) => seen.ended), atB.ended]);
    assert.ok(flipped, 'the byte was flipped');
    assert.match(String(c1.error?.message ?? c1.error), /decrypt|bad record mac|SSL|TLS/i, 'C fails with a TLS error');
    assert.match(String((b1.error as { code?: string })?.code ?? b1.error), /ALERT|SSL|ECONNRESET|TLS/i, 'B fails with a TLS error');
    const delivered = (await atC).bytes();
    assert.ok(delivered.length < toC, `C got ${delivered.length} bytes, the flip came at ciphertext byte ${toC}`);
    assert.ok(Buffer.concat(sent).subarray(0, delivered.length).equals(delivered), 'what C got is exactly what B sent, unaltered');
  });
});
