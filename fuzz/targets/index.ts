import type { TargetFactory } from '../harness.ts';
import { adminFramesTarget } from './admin-frames.ts';
import { deliverFrameTarget } from './deliver-frame.ts';
import { rabbitMailboxTarget } from './rabbit-mailbox.ts';

/** Every decoder `npm run fuzz` covers, in the order it runs them. */
export const TARGETS: readonly TargetFactory[] = [deliverFrameTarget, rabbitMailboxTarget, adminFramesTarget];
