import { BoundedMailbox, DuplicateAddressError, type Address, type Mailbox, type MailboxOptions, type Route, type Transport } from '../../lib/index.ts';

/**
 * The embedded default: every mailbox is a bounded ring buffer in this process and a message
 * is handed over as the very object that was sent, never encoded. One instance may be shared
 * by several systems (nodes) in one process, which then reach each other's actors.
 */
export class InProcessTransport implements Transport {
  readonly name = 'in-process';
  readonly encodes = false;
  private readonly mailboxes = new Map<Address, BoundedMailbox>();

  openMailbox(address: Address, options: MailboxOptions): Mailbox {
    if (this.mailboxes.has(address)) throw new DuplicateAddressError(address);
    const mailbox = new BoundedMailbox(address, options);
    this.mailboxes.set(address, mailbox);
    const close = mailbox.close.bind(mailbox);
    mailbox.close = () => {
      if (this.mailboxes.get(address) === mailbox) this.mailboxes.delete(address);
      return close();
    };
    return mailbox;
  }

  route(address: Address): Route | undefined {
    return this.mailboxes.get(address);
  }

  async close(): Promise<void> {
    for (const mailbox of [...this.mailboxes.values()]) mailbox.close();
  }
}
