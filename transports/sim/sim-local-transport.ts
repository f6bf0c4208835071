import {
  BoundedMailbox,
  DuplicateAddressError,
  type Address,
  type Envelope,
  type Mailbox,
  type MailboxOptions,
  type Route,
  type Settlement,
  type SettleOutcome,
  type Transport,
} from '../../lib/index.ts';
import type { NodeIncarnation, WorldParts } from './sim-node-context.ts';

/** The mailboxes of one simulated process, shared by the nodes that run in it. */
export type LocalRegistry = Map<Address, SimLocalMailbox>;

/**
 * The in-process transport's behaviour in the simulated world: bounded in-memory mailboxes,
 * a send is accepted the moment it is queued, messages arrive in order per link and are lost
 * only with the node that holds them. Every send and handling is recorded for the invariants.
 */
export class SimLocalTransport implements Transport {
  readonly name = 'sim-in-process';
  readonly encodes = false;
  private readonly own = new Set<SimLocalMailbox>();

  constructor(
    readonly world: WorldParts,
    readonly node: NodeIncarnation,
    private readonly registry: LocalRegistry,
  ) {}

  openMailbox(address: Address, options: MailboxOptions): Mailbox {
    if (this.registry.has(address)) throw new DuplicateAddressError(address);
    const mailbox = new SimLocalMailbox(this, address, options);
    this.registry.set(address, mailbox);
    this.own.add(mailbox);
    return mailbox;
  }

  route(address: Address): Route | undefined {
    return this.registry.get(address);
  }

  /** The node died: its mailboxes vanish with whatever they held. */
  abandon(): void {
    for (const mailbox of this.own) {
      for (const envelope of mailbox.drop()) this.world.ledger.exempt(envelope.id, 'node-crash');
    }
    this.own.clear();
  }

  unregister(mailbox: SimLocalMailbox): void {
    if (this.registry.get(mailbox.address) === mailbox) this.registry.delete(mailbox.address);
    this.own.delete(mailbox);
  }

  async close(): Promise<void> {
    for (const mailbox of [...this.own]) mailbox.close();
  }
}

class SimLocalMailbox implements Mailbox, Route {
  private readonly inner: BoundedMailbox;
  private readonly inHand = new Set<Envelope>();

  constructor(
    private readonly transport: SimLocalTransport,
    readonly address: Address,
    options: MailboxOptions,
  ) {
    this.inner = new BoundedMailbox(address, options);
  }

  get depth(): number {
    return this.inner.depth;
  }

  get open(): boolean {
    return this.inner.open;
  }

  send(envelope: Envelope): Promise<void> {
    const { ledger, trace, scheduler } = this.transport.world;
    ledger.sent(envelope, this.transport.node.name, scheduler.now());
    trace.record('send', `${envelope.id} ${envelope.from ?? '-'}->${envelope.to} ${envelope.type}`);
    const accepted = this.inner.send(envelope);
    accepted.then(() => ledger.confirmed(envelope.id), () => trace.record('refused', envelope.id));
    return accepted;
  }

  attach(ready: () => void): void {
    this.inner.attach(ready);
  }

  detach(): void {
    this.inner.detach();
  }

  take(): Envelope | undefined {
    const envelope = this.inner.take();
    if (envelope) this.inHand.add(envelope);
    return envelope;
  }

  settle(envelope: Envelope, settlement: Settlement): SettleOutcome {
    this.inHand.delete(envelope);
    const { ledger, trace, scheduler } = this.transport.world;
    const node = this.transport.node;
    if (settlement.handled) {
      ledger.handled(envelope.id, node.name, node.incarnation, scheduler.now());
      trace.record('handled', `${envelope.id} at ${this.address}@${node.key}`);
    } else {
      ledger.deadLettered(envelope.id);
      trace.record('dead-letter', `${envelope.id} at ${this.address}`);
    }
    return this.inner.settle(envelope, settlement);
  }

  /** Everything waiting or in a handler, gone with the process. */
  drop(): Envelope[] {
    const lost = [...this.inHand, ...this.inner.close()];
    this.inHand.clear();
    this.transport.unregister(this);
    return lost;
  }

  close(): Envelope[] {
    this.transport.unregister(this);
    return this.inner.close();
  }
}
