import type { ActorRef } from '../../../lib/actor-ref.ts';
import { AirlockError } from '../../../lib/errors.ts';
import { RendezvousUnavailableError } from '../errors.ts';
import { CLIENT_TIMEOUT_MS } from '../limits.ts';
import type { RendezvousProtocol } from '../server/protocol.ts';
import { bucketIdFrom, linksFrom, refusalError, type RendezvousServer } from './server-link.ts';

/** An ask that did not get its answer (timeout, unknown address, the server stopped) as RendezvousUnavailableError. */
async function asked<T>(asking: () => Promise<T>): Promise<T> {
  try {
    return await asking();
  } catch (error) {
    const failure = error instanceof AirlockError && error.code === 'ASK_TIMEOUT' ? 'timeout' : 'network';
    throw new RendezvousUnavailableError(failure, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** The rendezvous server as actor messages, over whatever transport carries `server`'s mailbox. */
export function actorRendezvous(server: ActorRef<RendezvousProtocol>, options: { timeoutMs?: number } = {}): RendezvousServer {
  const timeoutMs = options.timeoutMs ?? CLIENT_TIMEOUT_MS;
  return {
    async store(link) {
      const answer = await asked(() => server.ask('store', { link }, { timeoutMs }));
      if (!answer.ok) throw refusalError(answer.code, 'store');
      return bucketIdFrom(answer.bucket);
    },
    async fetch(hash) {
      const answer = await asked(() => server.ask('fetch', { hash }, { timeoutMs }));
      if (!answer.ok) throw refusalError(answer.code, 'fetch');
      return linksFrom(Buffer.concat(answer.links));
    },
  };
}
