import type { Clock, Connection } from '../../../lib/index.ts';
import { MAX_HEALTH_LINE_BYTES } from '../limits.ts';

export interface HealthCheckOptions {
  phrase: string;
  /** A connection that has not sent its line by then is closed: an idle probe must not hold a socket. */
  deadlineMs: number;
  /** Probes open at once; one beyond is closed at once. */
  maxConnections: number;
}

/**
 * Serves the health-check listener (Corda's `healthCheckPhrase`): a line carrying the phrase is
 * answered with the phrase; anything else, a line too long, or no line before the deadline ends
 * the connection unanswered. It sits in the DMZ, so connections are bounded in number and time.
 */
export function healthCheckServer(options: HealthCheckOptions, clock: Clock): (connection: Connection) => void {
  let open = 0;
  return ({ stream }) => {
    if (open >= options.maxConnections) return void stream.destroy();
    open++;
    const deadline = clock.setTimer(options.deadlineMs, () => stream.destroy());
    stream.once('close', () => {
      open--;
      deadline.cancel();
    });
    answerLine(stream, options.phrase);
  };
}

function answerLine(stream: Connection['stream'], phrase: string): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('error', () => stream.destroy());
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const end = buffered.indexOf('\n');
    if (end < 0) {
      if (buffered.length > MAX_HEALTH_LINE_BYTES) stream.destroy();
      return;
    }
    const line = buffered.slice(0, end).replace(/\r$/, '');
    if (line === phrase) stream.end(`${phrase}\n`);
    else stream.destroy();
  });
}
