import { errorMessage, type SystemEvent } from '../index.ts';

/** One lifecycle or message event as `airlock run` prints it: kind, address, what happened. */
export function formatEvent(event: SystemEvent): string {
  return `${event.kind.padEnd(13)} ${event.address || '-'}${detail(event)}`;
}

function detail(event: SystemEvent): string {
  switch (event.kind) {
    case 'failed':
      return `: ${event.error.message}`;
    case 'restarted':
      return ` (restart #${event.restarts})`;
    case 'stopped':
      return ` (${event.reason.kind})`;
    case 'dead-lettered':
    case 'rejected':
      return `: ${errorMessage(event.reason)}`;
    default:
      return '';
  }
}
