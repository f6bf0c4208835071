import { errorMessage, type SystemEvent } from '../index.ts';

/** One lifecycle or message event as `airlock run` prints it: kind, address, what happened. */
export function formatEvent(event: SystemEvent): string {
  return `${event.kind.padEnd(13)} ${event.address || '-'}${detail(event)}`;
}

/** A supervisor that gave up stops with `shutdown`, as OTP's; the code says it was no operator's stop. */
function stopReason(reason: Extract<SystemEvent, { kind: 'stopped' }>['reason']): string {
  if (reason.kind !== 'shutdown' || !('error' in reason)) return reason.kind;
  return `shutdown: ${(reason.error as { code?: string }).code ?? reason.error.message}`;
}

function detail(event: SystemEvent): string {
  switch (event.kind) {
    case 'failed':
      return `: ${event.error.message}`;
    case 'restarted':
      return ` (restart #${event.restarts})`;
    case 'stopped':
      return ` (${stopReason(event.reason)})`;
    case 'dead-lettered':
    case 'rejected':
      return `: ${errorMessage(event.reason)}`;
    case 'control-refused':
      return ` ${event.request}${event.from ? ` from ${event.from}` : ''}: ${(event.reason as { code?: string }).code ?? errorMessage(event.reason)}`;
    default:
      return '';
  }
}
