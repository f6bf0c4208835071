import { CONDITIONS, type LinkCondition } from '../../../lib/index.ts';
import { MAX_INBOX_NAME_CHARS, MAX_QUOTED_CHARS } from '../limits.ts';

/** One address segment after the prefix: an inbox, never a path below it. */
const INBOX_NAME = new RegExp(`^[A-Za-z0-9_.~-]{1,${MAX_INBOX_NAME_CHARS}}$`);

/**
 * Why a peer may not send to `target`, or undefined when it may: control, reply and other system
 * addresses (any `$` segment) are `amqp:unauthorized-access`; anything else outside the inbox
 * namespace is `amqp:not-found`, so a peer learns nothing of what else runs inside.
 */
export function refuseTarget(target: string, inboxPrefix: string): LinkCondition | undefined {
  if (target.includes('$')) return { condition: CONDITIONS.unauthorized, description: `'${clip(target)}' is a system address: peers may send only to inboxes` };
  if (target.startsWith(inboxPrefix) && INBOX_NAME.test(target.slice(inboxPrefix.length))) return undefined;
  return { condition: CONDITIONS.notFound, description: `'${clip(target)}' is not an inbox (${inboxPrefix}<name>)` };
}

function clip(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text;
}
