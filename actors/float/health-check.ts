import type { Connection } from '../../lib/index.ts';

/** A load balancer's probe sends at most this much before its line ends. */
const MAX_LINE_BYTES = 256;

/**
 * Serves one health-check connection (Corda's `healthCheckPhrase`): a line carrying the phrase is
 * answered with the phrase; anything else, or a line too long, ends the connection unanswered.
 */
export function answerHealthCheck(connection: Connection, phrase: string): void {
  const { stream } = connection;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('error', () => stream.destroy());
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const end = buffered.indexOf('\n');
    if (end < 0) {
      if (buffered.length > MAX_LINE_BYTES) stream.destroy();
      return;
    }
    const line = buffered.slice(0, end).replace(/\r$/, '');
    if (line === phrase) stream.end(`${phrase}\n`);
    else stream.destroy();
  });
}
