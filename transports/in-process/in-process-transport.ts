import { BoundedMailbox, DuplicateAddressError, inReplySpace, isReplyAddress, type Address, type AnyProtocol, type Envelope, type Mailbox, type MailboxOptions, type Route, type Transport } from '../../lib/index.ts';

/** A bounded mailbox that, as a route, names its actor's protocol: the sender's system checks messages against it. */
class InProcessMailbox extends BoundedMailbox {
  constructor(
    address: Address,
    options: MailboxOptions,
    readonly protocol: AnyProtocol | undefined,
    /** Where it leaves when closed: a reference, not a closure per mailbox (idle actors stay small). */
    private readonly registry: Map<Address, InProcessMailbox>,
  ) {
    super(address, options);
  }

  /** What `route(address)` would answer: this mailbox. */
  get ownRoute(): Route {
    return this;
  }

  override close(): Envelope[] {
    if (this.registry.get(this.address) === this) this.registry.delete(this.address);
    return super.close();
  }
}

/**
 * The embedded default: every mailbox is a bounded ring buffer in this process and a message
 * is handed over as the very object that was sent, never encoded. One instance may be shared
 * by several systems (nodes) in one process, which then reach each other's actors.
 */
export class InProcessTransport implements Transport {
  readonly name = 'in-process';
  readonly encodes = false;
  private readonly mailboxes = new Map<Address, InProcessMailbox>();

  openMailbox(address: Address, options: MailboxOptions, protocol?: AnyProtocol): Mailbox {
    if (this.mailboxes.has(address)) throw new DuplicateAddressError(address);
    const mailbox = new InProcessMailbox(address, options, protocol, this.mailboxes);
    this.mailboxes.set(address, mailbox);
    return mailbox;
  }

  route(address: Address): Route | undefined {
    // Under the reply prefix only the well-formed reply addresses of systems here lead anywhere.
    if (inReplySpace(address) && !isReplyAddress(address)) return undefined;
    return this.mailboxes.get(address);
  }

  async close(): Promise<void> {
    for (const mailbox of [...this.mailboxes.values()]) mailbox.close();
  }
}
