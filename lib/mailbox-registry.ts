import type { Address } from './address.ts';
import { DuplicateAddressError } from './errors.ts';
import type { Mailbox } from './ports/transport.ts';

/**
 * The mailboxes a transport holds, one per address; a mailbox leaves when it is closed, by calling
 * `release` from its `close` (a method call, not a wrapper per mailbox: idle actors stay small).
 */
export class MailboxRegistry<M extends Mailbox> {
  private readonly byAddress = new Map<Address, M>();

  /** Registers a new mailbox; throws `DuplicateAddressError` when its address is taken. */
  add(mailbox: M): M {
    if (this.byAddress.has(mailbox.address)) throw new DuplicateAddressError(mailbox.address);
    this.byAddress.set(mailbox.address, mailbox);
    return mailbox;
  }

  /** `mailbox` closed: its address is free, unless a newer mailbox already holds it. */
  release(mailbox: M): void {
    if (this.byAddress.get(mailbox.address) === mailbox) this.byAddress.delete(mailbox.address);
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
