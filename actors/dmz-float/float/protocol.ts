import { z } from 'zod';
import { defineProtocol } from '../../../lib/index.ts';

/** A listener's bound address. */
const BoundAddress = z.strictObject({ host: z.string(), port: z.number().int() });

/** The Float's state as `FloatStatus` answers it. */
export const FloatStatusReply = z.strictObject({
  /** Whether a BridgeManager's activation holds the Float (its public listener is open). */
  active: z.boolean(),
  /** The public listener, bound only while a BridgeManager has activated the Float. */
  public: BoundAddress.optional(),
  /** While active: the largest message a peer may send, the smaller of the organisation's limit and the internal path's. */
  maxMessageBytes: z.number().int().optional(),
  /** The tunnel listener its BridgeManager dials. */
  tunnel: BoundAddress,
  /** The health-check listener, when configured. */
  health: BoundAddress.optional(),
  /** Peer connections open now. */
  peers: z.number().int(),
});
export type FloatStatusReply = z.output<typeof FloatStatusReply>;

/**
 * What a Float answers to locally: its state, for operators and tests. `FloatStatus`, not
 * `Status`: the node's control plane answers a `status` of its own about the supervision tree.
 */
export const FloatProtocol = defineProtocol('float', {
  FloatStatus: { body: z.strictObject({}), reply: FloatStatusReply },
});
export type FloatProtocol = typeof FloatProtocol;
