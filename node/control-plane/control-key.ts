import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of a control key: a 256-bit secret, as an HMAC-SHA256 key should be. */
export const CONTROL_KEY_BYTES = 32;

/**
 * The shared secret of a node's control plane, as Erlang's cookie is for its distribution:
 * whoever holds it may restart, stop and start that node's actors. The bytes never leave
 * this object except through `bytes()` (to write the key file).
 */
export class ControlKey {
  private constructor(private readonly secret: Buffer) {}

  /** A fresh key from the operating system's CSPRNG. */
  static generate(): ControlKey {
    return new ControlKey(randomBytes(CONTROL_KEY_BYTES));
  }

  static fromBytes(bytes: Uint8Array): ControlKey {
    if (bytes.byteLength !== CONTROL_KEY_BYTES) throw new RangeError(`a control key is ${CONTROL_KEY_BYTES} bytes, not ${bytes.byteLength}`);
    return new ControlKey(Buffer.from(bytes));
  }

  bytes(): Buffer {
    return Buffer.from(this.secret);
  }

  /** HMAC-SHA256 of `message`. */
  mac(message: Uint8Array): Buffer {
    return createHmac('sha256', this.secret).update(message).digest();
  }

  /** Whether `mac` is the MAC of `message`, compared in constant time. */
  verify(message: Uint8Array, mac: Uint8Array): boolean {
    const expected = this.mac(message);
    return mac.byteLength === expected.byteLength && timingSafeEqual(expected, mac);
  }
}
