import {
  CONDITIONS,
  carriesName,
  defineActor,
  errorMessage,
  type LinkDelivery,
  type LinkListener,
  type LinkSender,
  type LinkSession,
} from '../../../lib/index.ts';
import { ACTIVATION_CREDIT, MAX_QUOTED_CHARS } from '../limits.ts';
import { ALREADY_ACTIVE, ActivationRefusedError, TUNNEL, TUNNEL_CONDITIONS, admittedBytes, decodeActivation, type Activation } from '../tunnel/index.ts';
import { AuditLog, listenerRefusal } from './audit-log.ts';
import { FloatConfig } from './config.ts';
import { healthCheckServer } from './health-check.ts';
import { PeerGate } from './peer-gate.ts';
import { FloatProtocol } from './protocol.ts';

/** The one BridgeManager whose activation opened the public listener. */
interface Active {
  readonly tunnel: LinkSession;
  readonly listener: LinkListener;
  readonly activation: Activation;
}

/**
 * Corda's Float, in the DMZ: no key on disk, no business state, never dials inward. It listens for
 * its BridgeManager on the tunnel listener (mutual TLS, its only own key material); the public
 * listener opens only when that BridgeManager activates it, with the key and certificate it sent,
 * which live in memory only, and closes (forgetting them) when the tunnel drops. Each peer message
 * is forwarded over the tunnel and settled as the BridgeManager settles it.
 */
export const floatActor = defineActor({
  protocol: FloatProtocol,
  config: FloatConfig,
  async setup(ctx) {
    const { config } = ctx;
    const audit = new AuditLog(() => ctx.clock.now(), config.audit);
    ctx.onStop(() => audit.flush());
    /** The inbound sender each tunnel session opened (the BridgeManager's receiver). */
    const inboundOf = new Map<LinkSession, LinkSender>();
    let active: Active | undefined;
    let peers = 0;

    const deactivate = async (reason: string): Promise<void> => {
      const ending = active;
      if (!ending) return;
      active = undefined;
      await ending.listener.close();
      audit.write({ event: 'deactivated', reason });
    };

    const openPublic = (activation: Activation, inbound: LinkSender): Promise<LinkListener> =>
      ctx.links.listen(
        {
          ...config.public,
          tls: { key: activation.key, cert: activation.cert, ca: activation.trustRoot },
          onRefused: (reason, remote, refusal) => audit.write(listenerRefusal(reason, remote, refusal)),
        },
        (session) => {
          peers++;
          void session.closed.then(() => peers--);
          new PeerGate(session, { activation, creditPerPeer: config.creditPerPeer, inbound, audit, now: () => ctx.clock.now(), supervise: ctx.supervise });
        },
      );

    const activate = async (tunnel: LinkSession, delivery: LinkDelivery): Promise<void> => {
      if (active) return delivery.reject(TUNNEL_CONDITIONS.alreadyActive, ALREADY_ACTIVE);
      const inbound = inboundOf.get(tunnel);
      if (!inbound) return delivery.reject(TUNNEL_CONDITIONS.inboundFirst, `open a receiver on '${TUNNEL.inbound}' before activating`);
      let activation: Activation;
      try {
        const decoded = decodeActivation(delivery.bytes);
        // One figure from here on: what the peers' gates enforce is what the Float reports, and what its receivers advertise.
        activation = { ...decoded, maxMessageBytes: admittedBytes(decoded) };
      } catch (error) {
        if (!(error instanceof ActivationRefusedError)) throw error;
        return delivery.reject(CONDITIONS.decodeError, error.message);
      }
      let listener: LinkListener;
      try {
        listener = await openPublic(activation, inbound);
      } catch (error) {
        ctx.log.warn({ err: error }, 'the public listener did not open');
        return delivery.reject(TUNNEL_CONDITIONS.publicListenerFailed, `the public listener did not open: ${errorMessage(error)}`);
      }
      if (!inboundOf.has(tunnel)) return void (await listener.close());
      active = { tunnel, listener, activation };
      audit.write({ event: 'activated', bridge: tunnel.peer.commonName ?? '', publicPort: listener.address.port });
      ctx.log.info({ maxMessageBytes: activation.maxMessageBytes }, 'active: the largest message a peer may send');
      delivery.accept();
    };

    /** Ends a tunnel session before it can do anything, with an AMQP error and an audit line. */
    const refuseTunnel = (tunnel: LinkSession, condition: string, description: string): void => {
      audit.write({ event: 'refused', remote: `${tunnel.remote.host}:${tunnel.remote.port}`, peer: tunnel.peer.commonName ?? '', condition, reason: description });
      void tunnel.close({ condition, description });
    };

    const lockOut = (tunnel: LinkSession): void => {
      const refusal = { condition: TUNNEL_CONDITIONS.alreadyActive, description: ALREADY_ACTIVE };
      let refused = false;
      const refuse = () => {
        if (!refused) {
          refused = true;
          // After this call returns, so the link's detach (with the condition) goes out before the close.
          void Promise.resolve().then(() => refuseTunnel(tunnel, refusal.condition, refusal.description));
        }
        return { refuse: refusal };
      };
      tunnel.onReceiverOpened(refuse);
      tunnel.onSenderOpened(refuse);
    };

    const onTunnel = (tunnel: LinkSession): void => {
      if (config.tunnel.bridgeName !== undefined && !carriesName(tunnel.peer, config.tunnel.bridgeName)) {
        ctx.log.warn({ peer: tunnel.peer }, 'a tunnel session from an unexpected bridge manager');
        return refuseTunnel(tunnel, CONDITIONS.unauthorized, `only ${config.tunnel.bridgeName} may open the tunnel`);
      }
      // One BridgeManager at a time: a passive one taking over early waits until the active one's tunnel is gone.
      // Refused at its first link (the session is open by then, so the AMQP error reaches it), then closed.
      if (active) return lockOut(tunnel);
      tunnel.onSenderOpened(({ address }) =>
        address === TUNNEL.inbound
          ? { onOpen: (sender) => inboundOf.set(tunnel, sender) }
          : { refuse: { condition: CONDITIONS.notFound, description: `no tunnel link at '${address.slice(0, MAX_QUOTED_CHARS)}'` } },
      );
      tunnel.onReceiverOpened(({ address }) =>
        address === TUNNEL.control
          ? { credit: ACTIVATION_CREDIT, onDelivery: ctx.supervise((delivery: LinkDelivery) => activate(tunnel, delivery)) }
          : { refuse: { condition: CONDITIONS.notFound, description: `no tunnel link at '${address.slice(0, MAX_QUOTED_CHARS)}'` } },
      );
      void tunnel.closed.then(
        ctx.supervise(async (reason: string) => {
          inboundOf.delete(tunnel);
          if (active?.tunnel === tunnel) await deactivate(`the bridge manager's tunnel closed: ${reason}`);
        }),
      );
    };

    const tunnelListener = await ctx.links.listen({ host: config.tunnel.host, port: config.tunnel.port, tls: config.tunnel.tls, name: config.tunnel.name }, onTunnel);
    const health = config.healthCheck
      ? await ctx.network.listen(config.healthCheck, healthCheckServer(config.healthCheck, ctx.clock))
      : undefined;

    return {
      FloatStatus: () => ({
        active: active !== undefined,
        ...(active ? { public: active.listener.address, maxMessageBytes: active.activation.maxMessageBytes } : {}),
        tunnel: tunnelListener.address,
        ...(health ? { health: health.address } : {}),
        peers,
      }),
    };
  },
});
