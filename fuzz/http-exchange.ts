/**
 * One hostile HTTP request over a fresh loopback connection, and its answer: written in metered
 * chunks (fuzz/buffer-meter.ts), slowly, or abandoned half-way, as the frame's kind says. The
 * connection is reset afterwards, so 100,000 requests leave no TIME_WAIT behind.
 */
import { createConnection, type Socket } from 'node:net';
import { writeMetered, type BufferMeter, type ConnectionMeter } from './buffer-meter.ts';
import type { Frame } from './frames.ts';
import { readResponse } from './http-response.ts';

/**
 * How long a complete request may go unanswered: the registrars' longest wait is their ask to
 * the Oracle (15 s); twice that, so only a hang ends here, never a slow machine.
 */
const ANSWER_TIMEOUT_MS = 30_000;
/** A slow request arrives in this many pieces, each a turn of the event loop apart. */
const SLOW_PIECES = 24;

export type Exchange = { answer: 'status'; status: number } | { answer: 'unreadable'; why: string } | { answer: 'cut' } | { answer: 'timeout' } | { answer: 'abandoned' };

export async function exchange(port: number, frame: Frame, meter: BufferMeter): Promise<Exchange> {
  const socket = createConnection({ host: '127.0.0.1', port });
  const connected = await new Promise<boolean>((resolve) => socket.once('connect', () => resolve(true)).once('error', () => resolve(false)));
  if (!connected) return { answer: 'cut' };
  const counted = meter.connection();
  const answer = answerOf(socket, counted, Buffer.from(frame.bytes.subarray(0, 5)).toString('latin1') === 'HEAD ');
  try {
    // The attacker walks away: half a request, or a whole one that leaves the server waiting for more.
    if (frame.kind === 'abandoned' || frame.kind === 'stalled') {
      await writeMetered(socket, frame.kind === 'stalled' ? frame.bytes : frame.bytes.subarray(0, frame.bytes.byteLength >> 1), counted);
      return { answer: 'abandoned' };
    }
    let settled: Exchange | undefined;
    void answer.then((outcome) => (settled = outcome));
    if (frame.kind === 'slow') await writeSlowly(socket, frame.bytes, counted, () => settled !== undefined);
    else await writeMetered(socket, frame.bytes, counted, () => settled !== undefined);
    return await answer;
  } finally {
    socket.resetAndDestroy();
  }
}

function answerOf(socket: Socket, meter: ConnectionMeter, head: boolean): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => resolve({ answer: 'timeout' }), ANSWER_TIMEOUT_MS);
    const judge = (ended: boolean) => {
      const response = readResponse(received, ended, head);
      if (response.state === 'partial' && !ended) return;
      clearTimeout(timer);
      meter.answered();
      if (response.state === 'complete') resolve({ answer: 'status', status: response.status });
      else if (response.state === 'unreadable') resolve({ answer: 'unreadable', why: response.why });
      else resolve({ answer: 'cut' });
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      judge(false);
    });
    socket.once('close', () => judge(true));
    socket.on('error', () => undefined);
  });
}

async function writeSlowly(socket: Socket, bytes: Uint8Array, meter: ConnectionMeter, stop: () => boolean): Promise<void> {
  const piece = Math.max(1, Math.ceil(bytes.byteLength / SLOW_PIECES));
  for (let at = 0; at < bytes.byteLength && !stop(); at += piece) await writeMetered(socket, bytes.subarray(at, at + piece), meter, stop);
}
