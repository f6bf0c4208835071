import { createHash } from 'node:crypto';
import {
  CONDITIONS,
  LinkConnectError,
  LinkLostError,
  LinkRefusedError,
  type HostPort,
  type LinkCondition,
  type LinkConnectOptions,
  type LinkDelivery,
  type LinkListener,
  type LinkReceiver,
  type LinkRequest,
  type LinkSender,
  type LinkSendOptions,
  type LinkSession,
  type LinkSettlement,
  type Links,
  type ReceiverDecision,
  type ReceiverOptions,
  type SenderDecision,
  type PeerIdentity,
  type SenderOptions,
} from '../../lib/index.ts';
import type { SimNetwork } from './sim-network.ts';
import type { Trace } from './trace.ts';

/**
 * The simulation's identity for a name: no certificate, a stable fingerprint of the name, shaped
 * as transports/amqp10 reads a verified certificate (CN and a DNS SAN), so peer gates run unchanged.
 */
export function simulatedIdentity(name: string): PeerIdentity {
  const hex = createHash('sha256').update(name).digest('hex').toUpperCase();
  return { commonName: name, altNames: [`DNS:${name}`], fingerprint256: hex.match(/../g)!.join(':') };
}

interface Served {
  host: string;
  name: string;
  onSession(session: LinkSession): void;
}

const refusedByDefault = (kind: string) => (request: LinkRequest) => ({
  refuse: { condition: CONDITIONS.notFound, description: `no ${kind} at '${request.address}'` },
});

/**
 * The `Links` port in virtual time: sessions between named hosts over the simulated network's
 * delays; credit and settlement as over AMQP 1.0; identities are the names given at listen and
 * connect. A partition across a session, or a crash of either host, breaks it: unsettled sends
 * reject with `LinkLostError`, as when a TLS connection is cut.
 */
export class SimLinks {
  private readonly listeners = new Map<string, Served>();
  private readonly sessions = new Set<SimSessionEnd>();
  private nextPort = 45_000;

  constructor(
    private readonly network: SimNetwork,
    private readonly trace: Trace,
  ) {}

  portFor(host: string): Links {
    return {
      listen: async (options, onSession) => this.listen(host, options.port, options.name ?? host, onSession),
      connect: async (options) => this.connect(host, options),
    };
  }

  /** Breaks every session the current partition cuts through. */
  partitioned(): void {
    for (const end of [...this.sessions]) if (!this.network.reachable(end.host, end.remote.host)) end.break(`partition between ${end.host} and ${end.remote.host}`);
  }

  /** Breaks every session of a host that crashed; its listeners are gone with it. */
  hostDown(host: string): void {
    for (const [key, served] of this.listeners) if (served.host === host) this.listeners.delete(key);
    for (const end of [...this.sessions]) if (end.host === host) end.break(`${host} crashed`);
  }

  /** Carries a frame after the link's delay; a frame that meets a partition breaks its session. */
  carry(from: SimSessionEnd, what: string, arrive: () => void): void {
    if (!this.network.reachable(from.host, from.remote.host)) return from.break(`partition between ${from.host} and ${from.remote.host}`);
    this.network.hop(from.host, from.remote.host, { lossy: false, what: `link ${what}` }, () => (from.ended ? undefined : arrive()));
  }

  forget(end: SimSessionEnd): void {
    this.sessions.delete(end);
  }

  private listen(host: string, port: number, name: string, onSession: (session: LinkSession) => void): LinkListener {
    const address = { host, port: port === 0 ? this.nextPort++ : port };
    const key = `${host}:${address.port}`;
    this.listeners.set(key, { host, name, onSession });
    this.trace.record('net', `links-listen ${key} as ${name}`);
    let sessions = 0;
    const counted = this.listeners.get(key)!;
    counted.onSession = (session) => {
      sessions++;
      onSession(session);
    };
    return { address, get sessions() { return sessions; }, close: async () => void this.listeners.delete(key) };
  }

  private connect(host: string, options: LinkConnectOptions): LinkSession {
    const key = `${options.host}:${options.port}`;
    const served = this.listeners.get(key);
    if (!served || !this.network.reachable(host, options.host)) {
      this.trace.record('net', `links-refused ${host}->${key}`);
      throw new LinkConnectError(key, served ? 'unreachable (partition)' : 'no listener');
    }
    const name = options.name ?? host;
    const client = new SimSessionEnd(this, host, name, { host: options.host, port: options.port }, served.name);
    const server = new SimSessionEnd(this, options.host, served.name, { host, port: this.nextPort++ }, name);
    client.other = server;
    server.other = client;
    this.sessions.add(client).add(server);
    this.trace.record('net', `links-connect ${name}@${host}->${served.name}@${key}`);
    served.onSession(server);
    return client;
  }
}

/** One side of a simulated session. */
export class SimSessionEnd implements LinkSession {
  other!: SimSessionEnd;
  ended = false;
  readonly peer;
  readonly closed: Promise<string>;
  private finish!: (reason: string) => void;
  private readonly senders = new Set<SimSender>();
  private decideReceiver: (request: LinkRequest) => ReceiverDecision = refusedByDefault('receiver');
  private decideSender: (request: LinkRequest) => SenderDecision = refusedByDefault('sender');

  constructor(
    readonly hub: SimLinks,
    readonly host: string,
    readonly name: string,
    readonly remote: HostPort,
    peerName: string,
  ) {
    this.peer = simulatedIdentity(peerName);
    this.closed = new Promise((resolve) => (this.finish = resolve));
  }

  onReceiverOpened(decide: (request: LinkRequest) => ReceiverDecision): void {
    this.decideReceiver = decide;
  }

  onSenderOpened(decide: (request: LinkRequest) => SenderDecision): void {
    this.decideSender = decide;
  }

  openSender(address: string, options: SenderOptions = {}): Promise<LinkSender> {
    return new Promise((resolve, reject) => {
      void this.closed.then((reason) => reject(new LinkLostError(address, reason)));
      this.hub.carry(this, `attach ${address}`, () => {
        const decision = this.other.decideReceiver({ address });
        this.other.hub.carry(this.other, `attach-reply ${address}`, () => {
          if ('refuse' in decision) return reject(new LinkRefusedError(decision.refuse.condition, decision.refuse.description, address));
          const sender = new SimSender(this, address, options.maxMessageBytes, decision.maxMessageBytes);
          this.senders.add(sender);
          new SimReceiver(this.other, address, decision, sender).grant(decision.credit);
          resolve(sender);
        });
      });
    });
  }

  openReceiver(address: string, options: ReceiverOptions): Promise<LinkReceiver> {
    return new Promise((resolve, reject) => {
      void this.closed.then((reason) => reject(new LinkLostError(address, reason)));
      this.hub.carry(this, `attach ${address}`, () => {
        const decision = this.other.decideSender({ address });
        this.other.hub.carry(this.other, `attach-reply ${address}`, () => {
          if ('refuse' in decision) return reject(new LinkRefusedError(decision.refuse.condition, decision.refuse.description, address));
          const sender = new SimSender(this.other, address, decision.maxMessageBytes, options.maxMessageBytes);
          this.other.senders.add(sender);
          const receiver = new SimReceiver(this, address, options, sender);
          receiver.grant(options.credit);
          decision.onOpen(sender);
          resolve(receiver);
        });
      });
    });
  }

  async close(error?: LinkCondition): Promise<void> {
    this.break(`closed${error ? `: ${error.condition}` : ''}`);
  }

  /** Ends both sides at once: what is unsettled is lost to its sender. */
  break(reason: string): void {
    for (const end of [this, this.other]) {
      if (end.ended) continue;
      end.ended = true;
      for (const sender of end.senders) sender.fail(reason);
      end.hub.forget(end);
      end.finish(reason);
    }
  }
}

interface Outgoing {
  bytes: Uint8Array;
  options: LinkSendOptions;
  resolve(settlement: LinkSettlement): void;
  reject(error: Error): void;
}

class SimSender implements LinkSender {
  credit = 0;
  private readonly waiting: Outgoing[] = [];
  private readonly unsettled = new Set<Outgoing>();
  private lost: string | undefined;
  receiver!: SimReceiver;

  constructor(
    readonly end: SimSessionEnd,
    readonly address: string,
    private readonly ours: number | undefined,
    private readonly theirs: number | undefined,
  ) {}

  send(bytes: Uint8Array, options: LinkSendOptions = {}): Promise<LinkSettlement> {
    if (this.lost !== undefined) return Promise.reject(new LinkLostError(this.address, this.lost));
    const limit = Math.min(this.ours ?? Infinity, this.theirs ?? Infinity);
    if (bytes.byteLength > limit) {
      return Promise.reject(new LinkRefusedError(CONDITIONS.messageSizeExceeded, `message of ${bytes.byteLength} bytes exceeds the limit of ${limit} bytes`, this.address));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ bytes: Uint8Array.from(bytes), options, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.fail('the sender was closed');
  }

  /** Sends what the granted credit allows, in order. */
  pump(): void {
    while (this.credit > 0 && this.waiting.length > 0 && this.lost === undefined) {
      const outgoing = this.waiting.shift()!;
      this.credit--;
      this.unsettled.add(outgoing);
      this.end.hub.carry(this.end, `transfer ${this.address}`, () => this.receiver.take(outgoing, (settle) => this.settled(outgoing, settle)));
    }
  }

  fail(reason: string): void {
    this.lost ??= reason;
    for (const outgoing of [...this.unsettled, ...this.waiting.splice(0)]) outgoing.reject(new LinkLostError(this.address, reason));
    this.unsettled.clear();
  }

  private settled(outgoing: Outgoing, outcome: LinkCondition | 'accepted'): void {
    if (!this.unsettled.delete(outgoing)) return;
    if (outcome === 'accepted') outgoing.resolve({ messageId: outgoing.options.messageId, outcome: 'accepted' });
    else outgoing.reject(new LinkRefusedError(outcome.condition, outcome.description, this.address));
  }
}

class SimReceiver implements LinkReceiver {
  unsettled = 0;

  constructor(
    readonly end: SimSessionEnd,
    readonly address: string,
    private readonly options: ReceiverOptions,
    private readonly sender: SimSender,
  ) {
    sender.receiver = this;
  }

  /** Credit travels to the sender like a flow frame. */
  grant(credit: number): void {
    this.end.hub.carry(this.end, `flow ${this.address} +${credit}`, () => {
      this.sender.credit += credit;
      this.sender.pump();
    });
  }

  take(outgoing: Outgoing, settle: (outcome: LinkCondition | 'accepted') => void): void {
    this.unsettled++;
    let done = false;
    const dispose = (outcome: LinkCondition | 'accepted') => {
      if (done || this.end.ended) return;
      done = true;
      this.unsettled--;
      this.end.hub.carry(this.end, `disposition ${this.address}`, () => settle(outcome));
      this.grant(1);
    };
    const delivery: LinkDelivery = {
      bytes: Uint8Array.from(outgoing.bytes),
      messageId: outgoing.options.messageId,
      properties: { ...outgoing.options.properties },
      accept: () => dispose('accepted'),
      reject: (condition, description) => dispose({ condition, description }),
      release: () => dispose({ condition: CONDITIONS.released, description: 'the receiver released the delivery' }),
    };
    this.options.onDelivery(delivery);
  }

  async close(): Promise<void> {
    this.sender.fail('the receiver detached');
  }
}
