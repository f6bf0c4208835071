import { z } from 'zod';
import {
  ActorStoppedError,
  defineActor,
  errorMessage,
  type LinkSender,
  type LinkSession,
} from '../../../lib/index.ts';
import { backoffDelay } from '../../../lib/backoff.ts';
import { ReconnectSettings, TlsSettings } from '../links/link-settings.ts';
import { hasCode, isFinalRefusal } from '../links/link-errors.ts';
import { RemotePeer } from '../bridge-control/protocol.ts';
import { OutboundProtocol } from './protocol.ts';

/** Strict: built by the BridgeManager from a snapshot, or by a user running an outbound bridge alone. */
export const QueueConsumerConfig = z.strictObject({
  peer: RemotePeer,
  /** This node's identity toward remote peers; absent only under the simulation (`name`). */
  tls: TlsSettings.optional(),
  name: z.string().optional(),
  reconnect: ReconnectSettings,
});
export type QueueConsumerConfig = z.output<typeof QueueConsumerConfig>;

/**
 * One per remote peer: its mailbox is the local outbound queue for that peer, and its handler
 * returns only when the remote settled the message `accepted`, so the broker acks the local copy
 * only once the far side has it. While the link is down the handler waits (reconnecting with
 * backoff) instead of failing, so consumption pauses and resumes without loss; a remote rejection
 * (or a refused target) throws, making the message a poison message, dead-lettered after maxAttempts.
 */
export const queueConsumerActor = defineActor({
  protocol: OutboundProtocol,
  config: QueueConsumerConfig,
  setup(ctx) {
    const { peer } = ctx.config;
    let session: LinkSession | undefined;
    const senders = new Map<string, LinkSender>();

    const connected = async (): Promise<LinkSession> => {
      if (session) return session;
      const opened = await ctx.links.connect({ host: peer.host, port: peer.port, expectedName: peer.expectedName, socks: peer.socks, tls: ctx.config.tls, name: ctx.config.name });
      session = opened;
      void opened.closed.then((reason) => {
        if (session !== opened) return;
        ctx.log.info({ peer: peer.name, reason }, 'the outbound link closed');
        session = undefined;
        senders.clear();
      });
      return opened;
    };

    const senderFor = async (target: string): Promise<LinkSender> => {
      const cached = senders.get(target);
      if (cached) return cached;
      const sender = await (await connected()).openSender(target);
      senders.set(target, sender);
      return sender;
    };

    /** Drops the link after a failure that may have left it half-open, so the next try dials afresh. */
    const forget = (): void => {
      const ending = session;
      session = undefined;
      senders.clear();
      void ending?.close().catch(() => {});
    };

    /** A backoff that a stop cuts short: the handler gives up (the message stays unacked) instead of holding the stop. */
    const pause = (ms: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const stopped = () => {
          timer.cancel();
          reject(new ActorStoppedError(ctx.address));
        };
        const timer = ctx.clock.setTimer(ms, () => {
          ctx.stopping.removeEventListener('abort', stopped);
          resolve();
        });
        if (ctx.stopping.aborted) return stopped();
        ctx.stopping.addEventListener('abort', stopped, { once: true });
      });

    return {
      async Send({ messageId, target, bytes }) {
        for (let attempt = 1; ; attempt++) {
          if (ctx.stopping.aborted) throw new ActorStoppedError(ctx.address);
          try {
            await (await senderFor(target)).send(bytes, { messageId });
            return;
          } catch (error) {
            if (hasCode(error, 'ACTOR_STOPPED')) throw error;
            // The remote refused it (rejected, unknown target, too big): retrying cannot help.
            if (isFinalRefusal(error)) throw error;
            ctx.log.warn({ peer: peer.name, attempt, reason: errorMessage(error) }, 'outbound link down: waiting to resend');
            forget();
            await pause(backoffDelay(ctx.config.reconnect, attempt, ctx.random));
          }
        }
      },
    };
  },
});
