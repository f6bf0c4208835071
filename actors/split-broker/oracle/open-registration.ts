import sodium from 'sodium-native';
import type { Clock } from '../../../lib/ports/clock.ts';
import { Registration } from '../wire/index.ts';
import { RegistrationRejectedError } from './errors.ts';
import type { OracleKeys } from './keys.ts';
import { NonceMemory } from './nonce-memory.ts';
import { DEFAULT_FRESHNESS_WINDOW_S, DEFAULT_NONCE_CAPACITY, MAX_REGISTRATION_BYTES } from '../limits.ts';

/** Refuses malformed UTF-8 instead of replacing it (stateless between calls, so one serves all). */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

export interface RegistrationOpenerOptions {
  keys: OracleKeys;
  clock: Clock;
  freshnessWindowS?: number;
  /** Nonces per freshness window the replay memory holds within its false-refusal bound (see `NonceMemory`). */
  nonceCapacity?: number;
}

/**
 * Opens sealed (2.0) registrations: crypto_box_seal_open with the Oracle's X25519 key, then the
 * plaintext checked against `Registration`, then freshness and replay. Each refusal is a
 * `RegistrationRejectedError` naming its reason; a refused registration changes no state, so
 * a replayed copy of a forged or stale one is refused for the same reason.
 */
export class RegistrationOpener {
  private readonly keys: OracleKeys;
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly nonces: NonceMemory;

  constructor(options: RegistrationOpenerOptions) {
    this.keys = options.keys;
    this.clock = options.clock;
    this.windowMs = (options.freshnessWindowS ?? DEFAULT_FRESHNESS_WINDOW_S) * 1000;
    this.nonces = new NonceMemory(2 * this.windowMs, options.nonceCapacity ?? DEFAULT_NONCE_CAPACITY);
  }

  open(sealed: Uint8Array): Registration {
    const registration = this.parse(this.decrypt(sealed));
    const now = this.clock.now();
    if (Math.abs(registration.ts * 1000 - now) > this.windowMs) throw new RegistrationRejectedError('stale', [], registration.nonce);
    if (this.nonces.admit(registration.nonce, now) === 'replayed') throw new RegistrationRejectedError('replayed', [], registration.nonce);
    return registration;
  }

  private decrypt(sealed: Uint8Array): Buffer {
    if (sealed.length <= sodium.crypto_box_SEALBYTES) throw new RegistrationRejectedError('truncated');
    if (sealed.length > MAX_REGISTRATION_BYTES) throw new RegistrationRejectedError('invalid', [`over ${MAX_REGISTRATION_BYTES} bytes`]);
    // From Node's buffer pool rather than a fresh zeroed ArrayBuffer: the plaintext is no secret
    // (it goes on to the Matcher as a string) and crypto_box_seal_open fills every byte.
    const plain = Buffer.allocUnsafe(sealed.length - sodium.crypto_box_SEALBYTES);
    if (!sodium.crypto_box_seal_open(plain, sealed, this.keys.publicKeys.box, this.keys.boxSecretKey())) {
      throw new RegistrationRejectedError('forged');
    }
    return plain;
  }

  private parse(plain: Buffer): Registration {
    let json: unknown;
    try {
      json = JSON.parse(STRICT_UTF8.decode(plain));
    } catch {
      throw new RegistrationRejectedError('invalid', ['not UTF-8 JSON']);
    }
    const parsed = Registration.safeParse(json);
    if (!parsed.success) {
      throw new RegistrationRejectedError('invalid', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
    }
    return parsed.data;
  }
}
