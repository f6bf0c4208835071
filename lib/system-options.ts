import type { Logger } from 'pino';
import type { BeforeHandle } from './behaviour.ts';
import type { Shutdown } from './child.ts';
import type { Ports } from './ports/index.ts';
import type { Transport } from './ports/transport.ts';

export interface SystemOptions {
  /** Names this system (a node) in status output. */
  name?: string;
  /** Where mailboxes live. `createSystem` (in node/) defaults it to the in-process transport. */
  transport: Transport;
  ports?: Partial<Ports>;
  /** How cells get scheduled; a run queue drained from microtasks (`RunQueue`) unless a simulation supplies its own. */
  dispatch?: (task: () => void) => void;
  /** Default ask timeout (5 s). */
  askTimeoutMs?: number;
  /**
   * Validate every body sent against the receiver's protocol before it leaves (true). Bytes are
   * validated on arrival whatever this says; false skips the body check on a trusted hot path,
   * while a message type the receiver lacks is still refused.
   */
  validateLocal?: boolean;
  /** Largest frame `deliverFrame` accepts (1 MiB). */
  maxFrameBytes?: number;
  /**
   * Runs before every message any actor handles; throwing crashes that actor at that message,
   * whatever its kind. A simulation's fault injector; not for production use.
   */
  beforeHandle?: BeforeHandle;
  /** Where actors' `ctx.log` writes, e.g. `pino()` for JSON lines on stdout; silent when not given. */
  logger?: Logger;
}

export interface StopOptions {
  /** How long to wait for mailboxes to drain first (5 s on the system clock; 0 skips draining). */
  drainTimeoutMs?: number;
  /** Overrides the top-level children's shutdown, e.g. `'brutal'` to kill at once. */
  shutdown?: Shutdown;
}
