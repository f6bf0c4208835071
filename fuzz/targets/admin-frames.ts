/**
 * The admin socket's frames, through a real owner-only socket (AdminServer over the fuzz
 * topology's control actor): each frame is length-prefixed (sometimes with a huge or padded
 * length, sometimes in several writes) and its one answer read back: a reply is accepted, an
 * error answer is refused by its code; an `INTERNAL` code is an untyped error, and an answer the
 * project's own client cannot read (`AdminResponseSchema`) is a finding.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminFrameReader,
  AdminResponseSchema,
  AdminServer,
  decodeAdminBody,
  MAX_ADMIN_FRAME_BYTES,
  run,
  seededRandom,
  type Random,
} from '../../internal.ts';
import type { Frame, FrameShape } from '../frames.ts';
import { framesOf, pickOne, randomBytes } from '../frames.ts';
import type { TargetFactory } from '../harness.ts';
import type { Tally } from '../report.ts';
import { ACTOR_ADDRESSES, fuzzTopology, NODE } from '../topology.ts';

/** How long one frame may go unanswered before it counts as `unanswered`. */
const ANSWER_TIMEOUT_MS = 2_000;

const adminShape: FrameShape = {
  fields: ['id', 'type', 'body'],
  maxFrameBytes: MAX_ADMIN_FRAME_BYTES,
  build(random, overrides = {}) {
    return { id: random.int(1_000_000), type: 'status', body: random.next() < 0.5 ? {} : { address: pickOne(random, ACTOR_ADDRESSES) }, ...overrides };
  },
  hostile(field, random) {
    switch (field) {
      case 'id':
        return [-1, 2 ** 53, 1.5, '7', null];
      case 'type':
        return ['restart', 'start', '$reply', '__proto__', 'constructor', 'toString'];
      case 'body':
        return [{ address: 'a'.repeat(256) }, { address: `${NODE}/nobody-${random.int(1_000)}` }, { address: NODE }, { address: '$replies/x' }];
      default:
        return [];
    }
  },
};

export const adminFramesTarget: TargetFactory = {
  decoder: 'adminFrames',
  async open(tally, seed) {
    const running = run(fuzzTopology, { control: true });
    running.system.on('failed').subscribe((event) => tally.actorCrash(event.address, event.error));
    const directory = await mkdtemp(join(tmpdir(), 'airlock-fuzz-'));
    const server = await AdminServer.listen({ system: running.system, node: NODE, path: join(directory, 'admin', `${NODE}.sock`) });
    const client = new AdminConnection(server.path);
    const framing = seededRandom(seed + 1);
    return {
      frames: framesOf(adminShape),
      send: (frame) => client.exchange(lengthPrefixed(frame, framing), framing, tally),
      settle: () => running.stop({ drainTimeoutMs: 5_000 }),
      async close() {
        client.close();
        await server.close();
        await running.stop();
        await rm(directory, { recursive: true, force: true });
      },
    };
  },
};

/** The frame behind a length prefix: mostly its own length, sometimes past the limit, sometimes padded out. */
function lengthPrefixed(frame: Frame, random: Random): Buffer {
  const roll = random.next();
  const body = roll < 0.1 ? Buffer.concat([frame.bytes, randomBytes(random, 1 + random.int(16))]) : Buffer.from(frame.bytes);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(roll > 0.97 ? MAX_ADMIN_FRAME_BYTES + 1 + random.int(2 ** 30) : body.byteLength);
  return Buffer.concat([header, roll > 0.97 ? body.subarray(0, 16) : body]);
}

/** One client connection, reopened after the server closed it (as it does after an oversized length). */
class AdminConnection {
  private socket: Socket | undefined;
  private reader = new AdminFrameReader();
  private waiting: ((answer: unknown) => void) | undefined;

  constructor(private readonly path: string) {}

  async exchange(bytes: Buffer, random: Random, tally: Tally): Promise<void> {
    const socket = await this.open();
    const answer = new Promise<unknown>((resolve) => {
      this.waiting = resolve;
      setTimeout(() => resolve(undefined), ANSWER_TIMEOUT_MS).unref();
    });
    // Split across writes, so the server's reader must reassemble frames.
    const cut = random.int(bytes.byteLength + 1);
    socket.write(bytes.subarray(0, cut));
    if (cut < bytes.byteLength) socket.write(bytes.subarray(cut));
    const received = await answer;
    // After an oversized length the server answers and hangs up: start the next frame afresh.
    if (received === undefined || (received as { id?: unknown }).id === null) this.close();
    classify(received, tally);
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private async open(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed && this.socket.writable) return this.socket;
    this.reader = new AdminFrameReader();
    const socket = createConnection(this.path);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.answered(undefined));
    return (this.socket = socket);
  }

  private received(chunk: Buffer): void {
    this.reader.push(chunk);
    for (let frame = this.reader.next(); frame; frame = this.reader.next()) this.answered(decodeAdminBody(frame));
  }

  private answered(answer: unknown): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(answer);
  }
}

function classify(answer: unknown, tally: Tally): void {
  if (answer === undefined) return tally.count('unanswered');
  const response = AdminResponseSchema.safeParse(answer);
  // An answer the project's own client cannot read (e.g. an echoed id past 2^53): a finding that fails the run.
  if (!response.success) return tally.unreadable(`${unreadableWhy(response.error.issues[0])} in ${JSON.stringify(answer).slice(0, 60)}`);
  if ('reply' in response.data) {
    tally.accepted++;
    return;
  }
  tally.refused(response.data.error.code);
}

function unreadableWhy(issue: { path: PropertyKey[]; message: string } | undefined): string {
  return issue ? `${issue.path.map(String).join('.') || 'answer'}: ${issue.message}` : 'invalid';
}
