import { randomBytes } from 'node:crypto';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { defineActor, type ActorDefinition } from '../../../lib/actor.ts';
import type { Timer } from '../../../lib/ports/clock.ts';
import type { HostPort } from '../../../lib/ports/network.ts';
import type { StreamHandoff } from '../circuit/handoff.ts';
import { ACCEPT_DEADLINE_MS, HANDSHAKE_DEADLINE_MS, MAX_CONNECTIONS_PER_SOURCE, MAX_PENDING_HANDSHAKES, REFUSAL_LINGER_MS } from '../limits.ts';
import { RegistryProtocol } from '../registry/protocol.ts';
import { encodeFrame, FrameReader, type Frame, type Grant } from '../wire/frames.ts';
import { identityOf } from '../wire/identity.ts';
import type { RefusalCode } from '../wire/status.ts';
import { serverTls } from '../tls-over-stream.ts';
import { ListenerProtocol } from './protocol.ts';
import { sourceOfHost } from '../../../lib/rate-per-source.ts';

const Endpoint = z.strictObject({ host: z.string(), port: z.number().int().min(0).max(65_535) });

export const ListenerConfig = z.strictObject({
  /** Plain TCP: CONNECT and ACCEPT (the target identity visible on the path). */
  tcp: Endpoint.optional(),
  /** TLS to the relay itself: RESERVE (C's client certificate proves its identity), and CONNECT/ACCEPT hidden from a passive observer. */
  tls: Endpoint.extend({ key: z.string(), cert: z.string() }).optional(),
  handshakeDeadlineMs: z.number().int().positive().default(HANDSHAKE_DEADLINE_MS),
  acceptDeadlineMs: z.number().int().positive().default(ACCEPT_DEADLINE_MS),
  maxConnectionsPerSource: z.number().int().positive().default(MAX_CONNECTIONS_PER_SOURCE),
  maxPendingHandshakes: z.number().int().positive().default(MAX_PENDING_HANDSHAKES),
  /** A refused connection is destroyed this long after its STATUS went out, if its party has not closed it. */
  refusalLingerMs: z.number().int().nonnegative().default(REFUSAL_LINGER_MS),
  registry: z.string(),
  circuits: z.string(),
});
export type ListenerConfigInput = z.input<typeof ListenerConfig>;

interface Waiting {
  /** The circuit's name: its actor's id and the registry's key (the token stays on the wire). */
  circuit: string;
  stream: Duplex;
  rest: Buffer;
  grant: Grant;
  timer: Timer;
}

/**
 * The relay's edge: accepts connections on plain TCP and on TLS to the relay, through the Network
 * port, reads one handshake frame from each within the deadline, and routes it: a RESERVE makes
 * the connection C's registration link (renewed over it), a CONNECT waits for C's dial-back, an
 * ACCEPT pairs the two and hands them to a new circuit actor. Bounded by connections per source,
 * handshakes in flight and the handshake deadline (Clock port); it never holds more than a frame
 * of a connection's bytes. Its connections belong to its incarnation: a restart of the listener
 * ends every link and circuit (C re-attaches, B reconnects), and resets the registry.
 */
export function listenerActor(deps: { handoff: StreamHandoff }): ActorDefinition<ListenerProtocol, z.output<typeof ListenerConfig>, ListenerConfigInput> {
  return defineActor({
    protocol: ListenerProtocol,
    config: ListenerConfig,
    async setup(ctx) {
      const config = ctx.config;
      const registry = ctx.ref(config.registry, RegistryProtocol);
      // Looked up when used: the composition root provides dynamic supervisors once the trees are started.
      const circuits = () => ctx.dynamicSupervisor(config.circuits);
      await registry.ask('reset', {});
      const perSource = new Map<string, number>();
      const links = new Map<string, { stream: Duplex; identity: string }>();
      const waiting = new Map<string, Waiting>();
      let connections = 0;
      let handshaking = 0;
      let linkSeq = 0;

      const count = (code: RefusalCode) => void registry.tell('refused', { code }).catch(() => {});
      /**
       * The registry's answer, or `failed` (a refusal the listener sends) when it cannot be had (the
       * registry restarting, or slow past the ask timeout): a registry hiccup refuses one request and
       * never crashes the listener, which holds every link and circuit.
       */
      const askRegistry = async <T>(asking: () => Promise<T>, failed: RefusalCode): Promise<T | { ok: false; code: RefusalCode; unanswered: true }> => {
        try {
          return await asking();
        } catch (error) {
          ctx.log.warn({ error: String(error) }, 'the registry did not answer');
          return { ok: false, code: failed, unanswered: true };
        }
      };
      const send = (stream: Duplex, frame: Frame) => {
        if (!stream.destroyed && stream.writable) stream.write(encodeFrame(frame));
      };
      /** Answers a refusal and closes; `counted` when the registry decided (and counted) it. */
      const refuse = (stream: Duplex, code: RefusalCode, counted = false) => {
        if (!counted) count(code);
        if (!stream.destroyed && stream.writable) stream.end(encodeFrame({ type: 'STATUS', status: code }));
        const linger = ctx.clock.setTimer(config.refusalLingerMs, () => stream.destroy());
        stream.once('close', () => linger.cancel());
      };

      const accept = (viaTls: boolean) => ({ stream: raw, remote }: { stream: Duplex; remote: HostPort }) => {
        const source = sourceOfHost(remote.host);
        const held = perSource.get(source) ?? 0;
        if (held >= config.maxConnectionsPerSource || handshaking >= config.maxPendingHandshakes) {
          count('RESOURCE_LIMIT_EXCEEDED');
          raw.destroy();
          return;
        }
        perSource.set(source, held + 1);
        connections += 1;
        // Circuits carry interactive TLS records: no Nagle delay on the relay's hop.
        (raw as Partial<{ setNoDelay(noDelay: boolean): void }>).setNoDelay?.(true);
        raw.once('close', () => {
          connections -= 1;
          const left = (perSource.get(source) ?? 1) - 1;
          if (left === 0) perSource.delete(source);
          else perSource.set(source, left);
        });
        handshake(raw, viaTls ? serverTls(raw, config.tls!, { requestCert: true }) : Promise.resolve(raw), source, viaTls);
      };

      /** TLS (on the TLS port) and one request frame, within the deadline; then the frame is routed. */
      const handshake = (raw: Duplex, secured: Promise<Duplex>, source: string, viaTls: boolean) => {
        handshaking += 1;
        let done = false;
        const finish = () => {
          if (done) return false;
          done = true;
          handshaking -= 1;
          deadline.cancel();
          return true;
        };
        const deadline = ctx.clock.setTimer(config.handshakeDeadlineMs, () => {
          if (finish()) raw.destroy();
        });
        raw.once('close', finish);
        secured.then(
          ctx.supervise((stream: Duplex) => {
            if (done) return void stream.destroy();
            if (stream !== raw) {
              stream.on('error', () => raw.destroy());
              stream.once('close', () => raw.destroy());
            }
            const reader = new FrameReader();
            const onData = ctx.supervise((chunk: Buffer) => {
              if (done) return;
              reader.append(chunk);
              let frame: Frame | undefined;
              try {
                frame = reader.next();
              } catch {
                finish();
                stream.off('data', onData);
                stream.pause();
                return refuse(stream, 'MALFORMED_MESSAGE');
              }
              if (!frame) return;
              finish();
              stream.off('data', onData);
              stream.pause();
              void route(frame, stream, source, viaTls, reader.rest());
            });
            stream.on('data', onData);
          }),
          () => {
            if (finish()) raw.destroy();
          },
        );
      };

      const route = ctx.supervise(async (frame: Frame, stream: Duplex, source: string, viaTls: boolean, rest: Buffer) => {
        switch (frame.type) {
          case 'RESERVE':
            return reserve(stream, source, viaTls, rest);
          case 'CONNECT':
            return connect(stream, source, frame.identity, rest);
          case 'ACCEPT':
            return acceptCircuit(stream, frame.token, rest);
          default:
            return refuse(stream, 'UNEXPECTED_MESSAGE');
        }
      });

      const reserve = async (stream: Duplex, source: string, viaTls: boolean, rest: Buffer) => {
        const certificate = viaTls ? (stream as tls.TLSSocket).getPeerX509Certificate() : undefined;
        if (!certificate) return refuse(stream, 'PERMISSION_DENIED');
        const identity = identityOf(certificate);
        const link = `link-${++linkSeq}`;
        const answer = await askRegistry(() => registry.ask('reserve', { identity, source, link }), 'RESERVATION_REFUSED');
        if (!answer.ok) return refuse(stream, answer.code as RefusalCode, !('unanswered' in answer));
        if (stream.destroyed) return void registry.tell('release', { identity, link }).catch(() => {});
        if (answer.replaced) links.get(answer.replaced)?.stream.destroy();
        links.set(link, { stream, identity });
        // A link is never half open: C ending it ends the reservation (a TLS socket over a stream that is not a socket may not close by itself).
        stream.once('end', () => stream.destroy());
        stream.once('close', () => {
          links.delete(link);
          void registry.tell('release', { identity, link }).catch(() => {});
        });
        send(stream, { type: 'STATUS', status: 'OK', grant: answer.grant });
        // Renewals: one at a time (the link pauses while the registry answers), anything else ends the link.
        const reader = new FrameReader();
        let renewing = false;
        const renew = ctx.supervise(async () => {
          if (renewing) return;
          renewing = true;
          try {
            await renewals();
          } finally {
            renewing = false;
          }
        });
        const renewals = async () => {
          for (;;) {
            let next: Frame | undefined;
            try {
              next = reader.next();
            } catch {
              return refuse(stream, 'MALFORMED_MESSAGE');
            }
            if (!next) return stream.resume();
            if (next.type !== 'RESERVE') return refuse(stream, 'UNEXPECTED_MESSAGE');
            stream.pause();
            const renewed = await askRegistry(() => registry.ask('reserve', { identity, source, link }), 'RESERVATION_REFUSED');
            if (!renewed.ok) return refuse(stream, renewed.code as RefusalCode, !('unanswered' in renewed));
            send(stream, { type: 'STATUS', status: 'OK', grant: renewed.grant });
          }
        };
        stream.on('data', (chunk: Buffer) => {
          reader.append(chunk);
          if (reader.bufferedBytes > 0) renew();
        });
        reader.append(rest);
        renew();
      };

      const connect = async (stream: Duplex, source: string, target: string, rest: Buffer) => {
        // The token is the secret C accepts with; the circuit's name is not secret (ids from the Random port).
        const token = randomBytes(16).toString('hex');
        const circuit = ctx.random.id();
        const answer = await askRegistry(() => registry.ask('openCircuit', { target, source, circuit }), 'CONNECTION_FAILED');
        if (!answer.ok) return refuse(stream, answer.code as RefusalCode, !('unanswered' in answer));
        const link = links.get(answer.link);
        if (!link || stream.destroyed) {
          void registry.tell('closeCircuit', { circuit, reason: 'error' }).catch(() => {});
          return refuse(stream, 'CONNECTION_FAILED');
        }
        const timer = ctx.clock.setTimer(config.acceptDeadlineMs, () => {
          if (waiting.get(token)?.stream !== stream) return;
          waiting.delete(token);
          void registry.tell('closeCircuit', { circuit, reason: 'error' }).catch(() => {});
          refuse(stream, 'CONNECTION_FAILED');
        });
        waiting.set(token, { circuit, stream, rest, grant: answer.grant, timer });
        stream.once('close', () => {
          if (waiting.get(token)?.stream !== stream) return;
          waiting.delete(token);
          timer.cancel();
          void registry.tell('closeCircuit', { circuit, reason: 'closed' }).catch(() => {});
        });
        send(link.stream, { type: 'INCOMING', token });
      };

      const acceptCircuit = async (stream: Duplex, token: string, rest: Buffer) => {
        const pending = waiting.get(token);
        if (!pending || pending.stream.destroyed) return refuse(stream, 'UNEXPECTED_MESSAGE');
        waiting.delete(token);
        pending.timer.cancel();
        const ok: Frame = { type: 'STATUS', status: 'OK', grant: pending.grant };
        send(pending.stream, ok);
        send(stream, ok);
        if (pending.rest.length > 0) pending.stream.unshift(pending.rest);
        if (rest.length > 0) stream.unshift(rest);
        const { circuit } = pending;
        deps.handoff.put(circuit, { b: pending.stream, c: stream, grant: pending.grant });
        try {
          await circuits().start(circuit);
        } catch (error) {
          ctx.log.warn({ error: String(error) }, 'circuit did not start');
          deps.handoff.drop(circuit);
          void registry.tell('closeCircuit', { circuit, reason: 'relay' }).catch(() => {});
        }
      };

      const bound: { tcp?: HostPort; tls?: HostPort } = {};
      if (config.tcp) bound.tcp = (await ctx.network.listen(config.tcp, accept(false))).address;
      if (config.tls) bound.tls = (await ctx.network.listen({ host: config.tls.host, port: config.tls.port }, accept(true))).address;
      ctx.log.info(bound, 'relay listening');

      return {
        status: () => ({ ...bound, connections, handshaking, links: links.size, waiting: waiting.size }),
      };
    },
  });
}
