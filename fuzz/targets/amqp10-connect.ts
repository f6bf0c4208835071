/**
 * AMQP 1.0 bytes from a hostile server into a dialling `amqp10Links.connect` client (real mutual
 * TLS, certificates generated per run): for each unit the client dials, opens a receiver as a
 * QueueConsumer's far side would, and the server (fuzz/amqp-hostile-server.ts) answers by the book
 * until the attach, then sends the unit and a probe. Outcomes are read as the listener row reads
 * them; a rejection of `connect` or `openReceiver` must be a typed error.
 */
import { AirlockError, amqp10Links, type LinkSession } from '../../internal.ts';
import { DESYNC_KINDS, generateAmqpUnits, type AmqpLimits } from '../amqp-hostile.ts';
import type { UnitOutcome } from '../amqp-attacker.ts';
import { HostileServer } from '../amqp-hostile-server.ts';
import { IN_FLIGHT_SLACK_BYTES } from '../bounds.ts';
import { BufferMeter, WRITE_CHUNK_BYTES } from '../buffer-meter.ts';
import type { TargetFactory } from '../harness.ts';
import { AMQP_LANES, Lanes } from '../lanes.ts';
import type { Tally } from '../report.ts';
import { fuzzPki, SERVER_NAME } from '../tls-pki.ts';
import { classify, noteAnswerTime } from './amqp10-listen.ts';

const CONNECT_LIMITS: AmqpLimits = { maxFrameBytes: 32 * 1024, maxMessageBytes: 128 * 1024, credit: 16 };
const HELD_BOUND = CONNECT_LIMITS.maxMessageBytes + CONNECT_LIMITS.maxFrameBytes + IN_FLIGHT_SLACK_BYTES;
/** A unit the client neither settles nor refuses within this is a hang: it answers within milliseconds. */
const ANSWER_TIMEOUT_MS = 30_000;

export const amqp10ConnectTarget: TargetFactory = {
  decoder: 'amqp10Connect',
  async open(tally) {
    const pki = await fuzzPki();
    const meter = new BufferMeter();
    const lanes = new Lanes(AMQP_LANES);
    // A hostile server per lane: each serves the unit its lane's next dial is for.
    const servers = await Promise.all(Array.from({ length: lanes.count }, () => HostileServer.listen(pki.server, meter)));
    return {
      frames: (seed, count) => generateAmqpUnits(CONNECT_LIMITS, seed, count),
      buffered: { meter, bound: HELD_BOUND },
      send: (frame) => lanes.run((lane) => unit(servers[lane], frame)),
      settle: () => lanes.settle(),
      close: async () => void (await Promise.all(servers.map((server) => server.close()))),
    };

    async function unit(server: HostileServer, frame: { kind: string; bytes: Uint8Array }): Promise<void> {
      const started = performance.now();
      const outcome = server.next({ bytes: frame.bytes, desync: DESYNC_KINDS.has(frame.kind), cap: HELD_BOUND + 2 * WRITE_CHUNK_BYTES });
      const session = await dial(server.port, pki.client, tally);
      if (session) void session.openReceiver('inbox.fuzz', { credit: CONNECT_LIMITS.credit, maxMessageBytes: CONNECT_LIMITS.maxMessageBytes, onDelivery: (delivery) => delivery.accept() }).catch((error) => typedOnly(error, tally));
      const result: UnitOutcome = session ? await withTimeout(outcome) : { answer: 'closed', conditions: ['LINK_CONNECT'] };
      noteAnswerTime(tally, frame.kind, performance.now() - started);
      classify(result, frame.kind, tally);
      await session?.close().catch((error) => typedOnly(error, tally));
    }
  },
};

async function dial(port: number, material: Awaited<ReturnType<typeof fuzzPki>>['client'], tally: Tally): Promise<LinkSession | undefined> {
  try {
    return await amqp10Links.connect({ host: '127.0.0.1', port, tls: material, expectedName: SERVER_NAME, maxFrameBytes: CONNECT_LIMITS.maxFrameBytes });
  } catch (error) {
    typedOnly(error, tally);
    return undefined;
  }
}

/** The client's own rejections are expected (the server is hostile) but must be typed. */
function typedOnly(error: unknown, tally: Tally): void {
  if (error instanceof AirlockError) return tally.count(`clientRejected ${error.code}`);
  tally.untyped(error);
}

function withTimeout(outcome: Promise<UnitOutcome>): Promise<UnitOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<UnitOutcome>((resolve) => (timer = setTimeout(() => resolve({ answer: 'timeout' }), ANSWER_TIMEOUT_MS)));
  return Promise.race([outcome, timeout]).finally(() => clearTimeout(timer));
}
