import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { child, createSystem, startTree, supervisor, VirtualClock, type ActorSystem } from '../../../../internal.ts';
import { dnsRegistrarActor, RegistrarProtocol } from '../../../../actors/split-broker/index.ts';
import { decodeRegistrationResponse, encodeRegistrationQuery, registrationQueryNames } from '../../../../actors/split-broker/wire/index.ts';
import { dialTcp, exchange, startDnsRegistrar } from './dns-wire.ts';

/** Sends one query and resolves with the RCODE and TXT text of its response. */
function query(port: number, name: string): Promise<{ rcode: string; text: string | undefined }> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('message', (message) => (socket.close(), resolve(decodeRegistrationResponse(message))));
    socket.send(encodeRegistrationQuery(name, 9), port, '127.0.0.1');
  });
}

describe('DNS registrar: a registration it refuses', function () {
  this.timeout(10_000);
  let system: ActorSystem;
  let port: number;
  beforeEach(async () => {
    ({ system, port } = await startDnsRegistrar({ maxBodyBytes: 10 }));
  });
  afterEach(() => system.stop({ drainTimeoutMs: 0 }));

  it('is refused again when a resolver repeats its last query, never acknowledged as if it were waiting for the broker', async () => {
    const [name] = registrationQueryNames(new Uint8Array(20), 'b.test', 'abc');
    assert.deepEqual(await query(port, name!), { rcode: 'REFUSED', text: undefined });
    assert.deepEqual(await query(port, name!), { rcode: 'REFUSED', text: undefined });
  });
});

/** The header and question of a query, built by hand so that any bytes can go in a name. */
function rawQuery(options: { id: number; opcode?: number; labels: Uint8Array[]; type?: number; klass?: number; udpSize?: number }): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(options.id, 0);
  header[2] = ((options.opcode ?? 0) << 3) | 1;
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(options.udpSize ? 1 : 0, 10);
  const name = Buffer.concat([...options.labels.flatMap((label) => [Uint8Array.of(label.length), label]), Uint8Array.of(0)]);
  const tail = Buffer.from([0, options.type ?? 16, 0, options.klass ?? 1]);
  const opt = options.udpSize ? Buffer.from([0, 0, 41, options.udpSize >> 8, options.udpSize & 255, 0, 0, 0, 0, 0, 0]) : Buffer.alloc(0);
  return Buffer.concat([header, name, tail, opt]);
}

const labelsOf = (name: string) => name.split('.').map((label) => Buffer.from(label));
type Decoded = dnsPacket.DecodedPacket & { rcode: string; opcode: string };
const decode = (reply: Buffer) => dnsPacket.decode(reply) as Decoded;

describe('DNS registrar: the messages it answers', function () {
  this.timeout(20_000);
  let system: ActorSystem;
  let port: number;
  beforeEach(async () => {
    ({ system, port } = await startDnsRegistrar({ rate: { burst: 1_000, perSecond: 1_000 } }));
  });
  afterEach(() => system.stop({ drainTimeoutMs: 0 }));

  const FOREIGN: [string, number, number][] = [['A', 1, 1], ['AAAA', 28, 1], ['NS', 2, 1], ['SOA', 6, 1], ['ANY', 255, 1], ['CH TXT', 16, 3]];
  it('refuses A, AAAA, NS, SOA, ANY and CH TXT queries with the question they asked, so resolvers accept the answer', async () => {
    const answers: string[] = [];
    for (const [what, type, klass] of FOREIGN) {
      const query = rawQuery({ id: 100 + type, labels: labelsOf('Www.B.test'), type, klass });
      const reply = await exchange(port, query);
      assert.deepEqual(reply.subarray(12, query.length), query.subarray(12), what);
      const decoded = decode(reply);
      answers.push(`${what}: ${decoded.id} ${decoded.rcode} ${decoded.questions![0]!.name} ${decoded.questions![0]!.type} ${decoded.questions![0]!.class}`);
    }
    assert.deepEqual(answers, [
      'A: 101 REFUSED Www.B.test A IN',
      'AAAA: 128 REFUSED Www.B.test AAAA IN',
      'NS: 102 REFUSED Www.B.test NS IN',
      'SOA: 106 REFUSED Www.B.test SOA IN',
      'ANY: 355 REFUSED Www.B.test ANY IN',
      'CH TXT: 116 REFUSED Www.B.test TXT CH',
    ]);
  });

  it('answers 500 names of invalid UTF-8 (189-byte names) with 500 well-formed FORMERR replies carrying the question as sent', async () => {
    let seed = 7;
    const byte = () => 0x80 + ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % 128);
    let wellFormed = 0;
    for (let n = 0; n < 500; n++) {
      const labels = [0, 1, 2].map(() => Uint8Array.from({ length: 61 }, byte));
      const query = rawQuery({ id: n, labels: [...labels, ...labelsOf('b.test')] });
      const reply = await exchange(port, query);
      let decoded: Decoded | undefined;
      try {
        decoded = decode(reply);
      } catch {
        continue; // undecodable: not well-formed
      }
      if (decoded.rcode === 'FORMERR' && decoded.id === n && reply.subarray(12, query.length).equals(query.subarray(12))) wellFormed++;
    }
    assert.equal(wellFormed, 500);
  });

  it('answers an UPDATE (opcode 5) with NOTIMP, the zone section copied, and reassembles nothing', async () => {
    const update = rawQuery({ id: 5, opcode: 5, labels: labelsOf('mfrgg.0.2.abc.b.test') });
    const decoded = decode(await exchange(port, update));
    assert.deepEqual([decoded.id, decoded.opcode, decoded.rcode, decoded.questions!.length], [5, 'UPDATE', 'NOTIMP', 1]);
    const chunk = decode(await exchange(port, rawQuery({ id: 6, labels: labelsOf('mfrgg.1.2.abc.b.test') })));
    assert.deepEqual((chunk.answers![0] as { data: Buffer[] }).data.map(String), ['ack 1/2']);
  });

  it('refuses a registration of 65 chunks (64 allowed) with REFUSED, as it refuses any bound', async () => {
    assert.equal(decode(await exchange(port, rawQuery({ id: 1, labels: labelsOf('mfrgg.0.65.abc.b.test') }))).rcode, 'REFUSED');
    assert.equal(decode(await exchange(port, rawQuery({ id: 2, labels: labelsOf('mfrgg.0.64.abc.b.test') }))).rcode, 'NOERROR');
  });

  it('answers an EDNS query with an OPT record (version 0, 1,232 bytes) and a plain one without', async () => {
    const edns = decode(await exchange(port, rawQuery({ id: 1, labels: labelsOf('mfrgg.0.2.e.b.test'), udpSize: 4096 })));
    assert.deepEqual(edns.additionals, [{ name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]);
    assert.deepEqual(decode(await exchange(port, rawQuery({ id: 2, labels: labelsOf('mfrgg.0.2.p.b.test') }))).additionals, []);
  });
});

describe('DNS registrar over TCP on its UDP port (RFC 7766)', function () {
  this.timeout(20_000);
  let system: ActorSystem;
  let clock: VirtualClock;
  let port: number;
  beforeEach(async () => {
    clock = new VirtualClock({ start: 1_700_000_000_000 });
    system = createSystem({ ports: { clock } });
    startTree(system, supervisor({ children: [child('dns', dnsRegistrarActor, { config: { port: 0, zone: 'b.test' } })] }), 'edge');
    port = (await system.ref('edge/dns', RegistrarProtocol).ask('where', {})).port;
  });
  afterEach(() => system.stop({ drainTimeoutMs: 0 }));

  it('answers pipelined length-prefixed queries on one connection, each reply with its query\'s id', async () => {
    const connection = await dialTcp(port);
    connection.send(rawQuery({ id: 1, labels: labelsOf('mfrgg.0.2.t.b.test') }));
    connection.send(rawQuery({ id: 2, labels: labelsOf('mfrgg.1.2.u.b.test') }));
    const replies = [decode(await connection.next()), decode(await connection.next())];
    assert.deepEqual(replies.map((reply) => [reply.id, (reply.answers![0] as { data: Buffer[] }).data.map(String)[0]]), [[1, 'ack 1/2'], [2, 'ack 1/2']]);
    connection.socket.destroy();
  });

  it('takes 4 connections from one source and closes a fifth at once', async () => {
    const kept = await Promise.all([0, 1, 2, 3].map(() => dialTcp(port)));
    const fifth = await dialTcp(port);
    await fifth.closed;
    kept[3]!.send(rawQuery({ id: 9, labels: labelsOf('mfrgg.0.2.v.b.test') }));
    assert.equal(decode(await kept[3]!.next()).id, 9);
    kept.forEach((connection) => connection.socket.destroy());
  });

  it('closes a connection 10 s (virtual) after its last answer, and one announcing a query over 4,096 bytes at once', async () => {
    const idle = await dialTcp(port);
    idle.send(rawQuery({ id: 1, labels: labelsOf('mfrgg.0.2.w.b.test') }));
    await idle.next();
    await clock.advance(9_999);
    assert.equal(idle.socket.destroyed, false);
    await clock.advance(1);
    await idle.closed;
    const greedy = await dialTcp(port);
    greedy.socket.write(Buffer.from([0x10, 0x01]));
    await greedy.closed;
  });
});

describe('DNS registrar: five sources at their allowed rate flood the reassembly table (UDP, virtual clock)', function () {
  this.timeout(60_000);
  it('keeps their share at 4 unfinished registrations each, and a sixth source registers during the flood', async () => {
    const clock = new VirtualClock({ start: 1_700_000_000_000 });
    const system = createSystem({ ports: { clock } });
    try {
      startTree(system, supervisor({ children: [child('dns', dnsRegistrarActor, { config: { port: 0, zone: 'b.test' } })] }), 'edge');
      const port = (await system.ref('edge/dns', RegistrarProtocol).ask('where', {})).port;
      const flood = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];
      const rcodes = new Map<string, number>();
      // 10 new registrations per second from each source (their rate: 10/s) for 30 s, the table's expiry.
      for (let tick = 0; tick < 300; tick++) {
        const replies = await Promise.all(flood.map((source, n) => exchange(port, rawQuery({ id: n, labels: labelsOf(`mfrgg.0.3.f${n}t${tick}.b.test`) }), source)));
        for (const reply of replies) rcodes.set(decode(reply).rcode, (rcodes.get(decode(reply).rcode) ?? 0) + 1);
        await clock.advance(100);
      }
      assert.deepEqual(Object.fromEntries(rcodes), { NOERROR: 1_500 });
      const client = ['mfrgg', 'mfrgg', 'mfrgg'].map((data, seq) => rawQuery({ id: 50 + seq, labels: labelsOf(`${data}.${seq}.3.legit.b.test`) }));
      const texts: string[] = [];
      for (const query of client) {
        const reply = decode(await exchange(port, query, '127.0.0.7'));
        texts.push(`${reply.rcode} ${(reply.answers?.[0] as { data?: Buffer[] } | undefined)?.data?.join('')}`);
      }
      assert.deepEqual(texts, ['NOERROR ack 1/3', 'NOERROR ack 2/3', 'NOERROR {"error":"broker unavailable"}']);
    } finally {
      await system.stop({ drainTimeoutMs: 0 });
    }
  });
});
