import type { Address } from './address.ts';
import { ERROR_REPLY_TYPE, REPLY_TYPE, type Envelope } from './envelope.ts';
import { AskTimeoutError } from './errors.ts';
import { errorFromWire } from './wire-errors.ts';
import type { AnyProtocol } from './protocol.ts';
import type { Clock, Timer } from './ports/clock.ts';

interface PendingAsk {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: Timer;
  protocol: AnyProtocol | undefined;
  type: string;
}

/**
 * The asks a system is waiting on, by correlation id: each settles once, with its reply, an
 * error reply, or `AskTimeoutError` when its timer on the system clock fires first.
 */
export class PendingAsks {
  private readonly pending = new Map<string, PendingAsk>();

  constructor(private readonly clock: Clock) {}

  /** Waits for the reply to the ask `id` sent to `to`. */
  wait(id: string, to: Address, type: string, protocol: AnyProtocol | undefined, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimer(timeoutMs, () => this.settle(id, new AskTimeoutError(to, type, timeoutMs)));
      this.pending.set(id, { resolve, reject, timer, protocol, type });
    });
  }

  /**
   * Settles the ask a reply answers. A reply decoded from bytes (`validate`) is checked against
   * the asked message's reply schema first. Returns false, settling nothing, when no ask waits
   * for it (a late reply after a timeout, an unknown correlation id) or it is no reply at all.
   */
  receive(reply: Envelope, validate: boolean): boolean {
    const id = reply.correlationId;
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending || (reply.type !== REPLY_TYPE && reply.type !== ERROR_REPLY_TYPE)) return false;
    if (reply.type === ERROR_REPLY_TYPE) {
      // In process the system's own Error arrives as is (cause and all); from bytes it is rebuilt.
      this.settle(id!, !validate && reply.body instanceof Error ? reply.body : errorFromWire(reply.body));
      return true;
    }
    let value = reply.body;
    if (validate && pending.protocol) {
      try {
        value = pending.protocol.validateReply(pending.type, value);
      } catch (error) {
        this.settle(id!, error as Error);
        return true;
      }
    }
    this.settle(id!, undefined, value);
    return true;
  }

  settle(id: string, error: Error | undefined, value?: unknown): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.timer.cancel();
    if (error) pending.reject(error);
    else pending.resolve(value);
  }

  rejectAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }
}
