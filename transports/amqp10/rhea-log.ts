import { errorMessage, type HostPort, type LinkLog } from '../../lib/index.ts';
import { MAX_LOGGED_CHARS } from './limits.ts';
import type { Connection } from './rhea-types.ts';

/**
 * Routes what rhea reports on a connection to `log`, one bounded line each. rhea prints an
 * unhandled protocol error to stderr with the whole buffer it failed on as hex (a garbage
 * connection costs ten times its bytes in stderr); a listener for `protocol_error` takes it
 * instead, and the line keeps only the error's first characters.
 */
export function routeRheaErrors(connection: Connection, remote: HostPort, log: LinkLog | undefined): void {
  const write = (what: string) => (error: unknown) => log?.(bounded(`${what}: ${errorMessage(error)}`), remote);
  connection.on('protocol_error', write('AMQP protocol error'));
  connection.on('error', write('AMQP connection error'));
}

function bounded(line: string): string {
  return line.length <= MAX_LOGGED_CHARS ? line : `${line.slice(0, MAX_LOGGED_CHARS)}…`;
}
