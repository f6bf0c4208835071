import {
  LeaseUnavailableError,
  type ActorSystem,
  type Address,
  type Child,
  type ChildStatus,
  type ExitListener,
  type ExitReason,
  type Lease,
  type Mailbox,
  type Shutdown,
} from '../lib/index.ts';

/**
 * A child that runs only while its node holds a lease (OTP's takeover/failover for a
 * distributed application): started, it contends for the lease and stays down, parked, while
 * another node holds it; granted the lease, it starts its actor or tree; losing it (its broker
 * connection gone, or a resign) stops it at once, so the two sides overlap only as long as the
 * holder takes to notice its own loss. A crash of the child while the lease is held goes to the
 * supervisor as any child's would; the lease is kept across its restart.
 */
export class StandbyChild implements Child, ExitListener {
  private lease: Lease | undefined;
  private unsubscribe: (() => void)[] = [];
  private readonly inner: Child;

  constructor(
    private readonly system: ActorSystem,
    private readonly leaseName: string,
    private readonly shutdownWithin: Shutdown,
    private readonly parent: ExitListener,
    create: (listener: ExitListener) => Child,
  ) {
    this.inner = create(this);
  }

  get address(): Address {
    return this.inner.address;
  }

  get kind(): Child['kind'] {
    return this.inner.kind;
  }

  /** Up while contending: standing by counts as running; holding the lease, it is the child's own state. */
  get running(): boolean {
    return this.lease !== undefined && (!this.lease.active || this.inner.running);
  }

  start(): void {
    if (!this.lease) this.contend();
    else if (this.lease.active) this.inner.start();
  }

  async shutdown(within: Shutdown): Promise<void> {
    await this.release();
    if (this.inner.running) await this.inner.shutdown(within);
  }

  /** Staying down until started again (an operator's stop, a supervisor that gave up): the lease goes to the next node. */
  park(): void {
    void this.release();
    this.inner.park();
  }

  status(): ChildStatus {
    return { ...this.inner.status(), standby: { lease: this.leaseName, holder: this.lease?.active === true } };
  }

  childExited(_child: Child, reason: ExitReason): void {
    this.parent.childExited(this, reason);
  }

  dispose(): void {
    void this.release();
    (this.inner as Child & { dispose?: () => void }).dispose?.();
  }

  private contend(): void {
    const elect = this.system.transport.elect?.bind(this.system.transport);
    if (!elect) throw new LeaseUnavailableError(this.leaseName, `transport '${this.system.transport.name}' elects no lease holder (use RabbitMQ)`);
    const lease = elect(this.leaseName);
    this.lease = lease;
    // Asks to a standing-by child fail at once (ActorStoppedError); tells wait in the shared queue,
    // for whichever node holds the lease: a standing-by mailbox takes none of them.
    this.inner.park();
    mailboxOf(this.inner)?.pause?.();
    this.unsubscribe = [lease.on('active', () => this.granted()), lease.on('passive', () => void this.lost())];
  }

  private granted(): void {
    if (this.inner.running) return;
    mailboxOf(this.inner)?.resume?.();
    try {
      this.inner.start();
    } catch (error) {
      this.parent.childExited(this, { kind: 'failure', error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  private async lost(): Promise<void> {
    if (this.inner.running) await this.inner.shutdown(this.shutdownWithin);
    this.inner.park();
    mailboxOf(this.inner)?.pause?.();
  }

  private async release(): Promise<void> {
    const lease = this.lease;
    this.lease = undefined;
    for (const off of this.unsubscribe.splice(0)) off();
    await lease?.close();
  }
}

/** The mailbox of a standby actor (a standby tree's actors keep theirs: each would need its own lease). */
function mailboxOf(child: Child): Mailbox | undefined {
  return (child as Child & { mailbox?: Mailbox }).mailbox;
}
