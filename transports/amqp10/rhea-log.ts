import { errorMessage, type HostPort, type LinkLog } from '../../lib/index.ts';
import { MAX_LOGGED_CHARS } from './limits.ts';
import { PerformativeRefused } from './performative-guard.ts';
import type { Connection } from './rhea-types.ts';

/**
 * Routes what rhea reports on a connection to `log`, one bounded line each. rhea prints an
 * unhandled protocol error to stderr with the whole buffer it failed on as hex (a garbage
 * connection costs ten times its bytes in stderr); a listener for `protocol_error` takes it
 * instead, and the line keeps only the error's first characters.
 */
export function routeRheaErrors(connection: Connection, remote: HostPort, log: LinkLog | undefined): void {
  // A refusal of the performative guard was audited where it was made: rhea only reports the throw that stopped it reading.
  const write = (what: string) => (error: unknown) => error instanceof PerformativeRefused || log?.(bounded(`${what}: ${errorMessage(error)}`), remote);
  connection.on('protocol_error', write('AMQP protocol error'));
  connection.on('error', write('AMQP connection error'));
}

/** What rhea would print on `connection`, as a line for `log`: bounded by the guard that routes it. */
export function rheaLineSink(remote: HostPort, log: LinkLog | undefined): (line: string) => void {
  return (line) => log?.(bounded(`rhea: ${line}`), remote);
}

function bounded(line: string): string {
  return line.length <= MAX_LOGGED_CHARS ? line : `${line.slice(0, MAX_LOGGED_CHARS)}…`;
}
