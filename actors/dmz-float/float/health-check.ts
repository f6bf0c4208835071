import type { Clock, Connection } from '../../../lib/index.ts';
import { MAX_HEALTH_LINE_BYTES } from '../limits.ts';
import { probeSourceOf } from './probe-source.ts';
import { ProbeSlots, type ProbeSlot } from './probe-slots.ts';

export interface HealthCheckOptions {
  phrase: string;
  /** A connection that has not sent its whole line by then is closed: a slow probe must not hold a socket. */
  deadlineMs: number;
  /** A connection that has sent nothing by then is closed: a probe writes its line as soon as it connects. */
  firstByteMs: number;
  /** Connections held at once; a new one closes the oldest idle one (`ProbeSlots`). */
  maxConnections: number;
  /** Connections held at once from one source (an IPv4 address, an IPv6 /64); a new one closes that source's oldest. */
  maxPerSource: number;
}

/**
 * Serves the health-check listener (Corda's `healthCheckPhrase`): a line carrying the phrase is
 * answered with the phrase; anything else, a line too long, or no line before the deadline ends
 * the connection unanswered. It sits in the DMZ and must keep answering a load balancer while
 * strangers flood it, so connections are bounded in number, per source and in time (on the Clock),
 * and a new connection displaces the oldest idle one rather than being turned away.
 */
export function healthCheckServer(options: HealthCheckOptions, clock: Clock): (connection: Connection) => void {
  const slots = new ProbeSlots(options);
  return ({ stream, remote }) => {
    const slot: ProbeSlot = { source: probeSourceOf(remote.host), answered: false, close: () => stream.destroy() };
    slots.admit(slot);
    const firstByte = clock.setTimer(options.firstByteMs, () => stream.destroy());
    const deadline = clock.setTimer(options.deadlineMs, () => stream.destroy());
    stream.once('close', () => {
      slots.release(slot);
      firstByte.cancel();
      deadline.cancel();
    });
    answerLine(stream, options.phrase, {
      onFirstByte: () => firstByte.cancel(),
      onAnswered: () => (slot.answered = true),
    });
  };
}

function answerLine(stream: Connection['stream'], phrase: string, on: { onFirstByte(): void; onAnswered(): void }): void {
  let buffered = '';
  let answered = false;
  stream.setEncoding('utf8');
  stream.on('error', () => stream.destroy());
  stream.on('data', (chunk: string) => {
    // Whatever follows the line is not read: the answer is on its way and the connection ending.
    if (answered) return;
    if (buffered === '') on.onFirstByte();
    buffered += chunk;
    const end = buffered.indexOf('\n');
    if (end < 0) {
      if (buffered.length > MAX_HEALTH_LINE_BYTES) stream.destroy();
      return;
    }
    const line = buffered.slice(0, end).replace(/\r$/, '');
    if (line !== phrase) return void stream.destroy();
    answered = true;
    on.onAnswered();
    stream.end(`${phrase}\n`);
  });
}
