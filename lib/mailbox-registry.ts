import type { Address } from './address.ts';
import { DuplicateAddressError } from './errors.ts';
import type { Mailbox } from './ports/transport.ts';

/** The mailboxes a transport holds, one per address; a mailbox leaves when it is closed. */
export class MailboxRegistry<M extends Mailbox> {
  private readonly byAddress = new Map<Address, M>();

  /** Registers a new mailbox; throws `DuplicateAddressError` when its address is taken. */
  add(mailbox: M): M {
    if (this.byAddress.has(mailbox.address)) throw new DuplicateAddressError(mailbox.address);
    this.byAddress.set(mailbox.address, mailbox);
    const close = mailbox.close.bind(mailbox);
    mailbox.close = () => {
      if (this.byAddress.get(mailbox.address) === mailbox) this.byAddress.delete(mailbox.address);
      return close();
    };
    return mailbox;
  }

  has(address: Address): boolean {
    return this.byAddress.has(address);
  }

  get(address: Address): M | undefined {
    return this.byAddress.get(address);
  }

  /** A snapshot, safe to close mailboxes while iterating. */
  all(): M[] {
    return [...this.byAddress.values()];
  }
}
