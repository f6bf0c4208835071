import type { TargetFactory } from '../harness.ts';
import { deliverFrameTarget } from './deliver-frame.ts';

/** Every decoder `npm run fuzz` covers, in the order it runs them. */
export const TARGETS: readonly TargetFactory[] = [deliverFrameTarget];
