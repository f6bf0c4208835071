import { BoundedMailbox, inReplySpace, isReplyAddress, MailboxRegistry, type Address, type Mailbox, type MailboxOptions, type Route, type Transport } from '../../lib/index.ts';

/**
 * The embedded default: every mailbox is a bounded ring buffer in this process and a message
 * is handed over as the very object that was sent, never encoded. One instance may be shared
 * by several systems (nodes) in one process, which then reach each other's actors.
 */
export class InProcessTransport implements Transport {
  readonly name = 'in-process';
  readonly encodes = false;
  private readonly mailboxes = new MailboxRegistry<BoundedMailbox>();

  openMailbox(address: Address, options: MailboxOptions): Mailbox {
    return this.mailboxes.add(new BoundedMailbox(address, options));
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
