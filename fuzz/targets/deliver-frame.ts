/**
 * `system.deliverFrame` (bytes from outside, in-process): each frame's promise says accepted or
 * refused (by code); the topology's `failed` events count the actors that crashed.
 */
import { DEFAULT_MAX_FRAME_BYTES, run } from '../../internal.ts';
import { envelopeShape } from '../envelope-shape.ts';
import { framesOf } from '../frames.ts';
import type { TargetFactory } from '../harness.ts';
import { fuzzTopology } from '../topology.ts';

export const deliverFrameTarget: TargetFactory = {
  decoder: 'deliverFrame',
  async open(tally) {
    const running = run(fuzzTopology, { control: true });
    const { system } = running;
    system.on('failed').subscribe((event) => tally.actorCrash(event.address, event.error));
    return {
      frames: framesOf(envelopeShape({ replyAddress: system.replyAddress, maxFrameBytes: DEFAULT_MAX_FRAME_BYTES })),
      async send(frame) {
        try {
          await system.deliverFrame(frame.bytes);
          tally.accepted++;
        } catch (error) {
          tally.refuse(error);
        }
      },
      // stop() drains every mailbox first, so crashes of the last frames are counted too.
      settle: () => running.stop({ drainTimeoutMs: 5_000 }),
      close: () => running.stop(),
    };
  },
};
