/**
 * What the float benchmark measures: a "path under test" carries messages from one end to the
 * other, and `send` resolves once the far end has the message safe (a settlement, an ack). Every
 * path runs the same load, so its figures compare with the raw TLS pipe's from the same run.
 *
 * To measure a longer path (peer → Float → BridgeManager → RabbitMQ), write a `PathUnderTest`
 * that sets it up in `open` and add it to `PATHS` in bench/float.bench.ts.
 */
export interface PathUnderTest {
  /** Shown in the figures, e.g. "AMQP 1.0 hop (Links)". */
  readonly name: string;
  open(): Promise<OpenPath>;
}

export interface OpenPath {
  /** Resolves when the far end has `bytes` (its settlement or acknowledgement came back). */
  send(bytes: Uint8Array, id: string): Promise<void>;
  close(): Promise<void>;
}
