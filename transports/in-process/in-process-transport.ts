import { BoundedMailbox, inReplySpace, isReplyAddress, MailboxRegistry, type Address, type AnyProtocol, type Envelope, type Mailbox, type MailboxOptions, type Route, type Transport } from '../../lib/index.ts';

/** A bounded mailbox that, as a route, names its actor's protocol: the sender's system checks messages against it. */
class InProcessMailbox extends BoundedMailbox {
  constructor(
    address: Address,
    options: MailboxOptions,
    readonly protocol: AnyProtocol | undefined,
    private readonly registry: MailboxRegistry<InProcessMailbox>,
  ) {
    super(address, options);
  }

  /** What `route(address)` would answer: this mailbox. */
  get ownRoute(): Route {
    return this;
  }

  override close(): Envelope[] {
    this.registry.release(this);
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
  private readonly mailboxes = new MailboxRegistry<InProcessMailbox>();

  openMailbox(address: Address, options: MailboxOptions, protocol?: AnyProtocol): Mailbox {
    return this.mailboxes.add(new InProcessMailbox(address, options, protocol, this.mailboxes));
  }

  route(address: Address): Route | undefined {
    // Under the reply prefix only the well-formed reply addresses of systems here lead anywhere.
    if (inReplySpace(address) && !isReplyAddress(address)) return undefined;
    return this.mailboxes.get(address);
  }

  async close(): Promise<void> {
    for (const mailbox of this.mailboxes.all()) mailbox.close();
  }
}
