import type { Logger } from 'pino';
import type { Address } from './address.ts';
import type { ActorDefinition } from './actor.ts';
import type { RefHost } from './actor-ref.ts';
import type { BeforeHandle } from './behaviour.ts';
import type { ActorCell } from './cell.ts';
import type { ExitListener } from './child.ts';
import type { Envelope } from './envelope.ts';
import type { SystemEvent } from './events.ts';
import type { AnyProtocol } from './protocol.ts';
import type { Clock } from './ports/clock.ts';
import type { Links } from './ports/links.ts';
import type { Network } from './ports/network.ts';
import type { Random } from './ports/random.ts';
import type { Transport } from './ports/transport.ts';

/** What a cell needs from the system it lives in (the system implements it). */
export interface CellHost extends RefHost {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly random: Random;
  readonly network: Network;
  readonly links: Links;
  /** Where actors' `ctx.log` writes (each as a child logger with its address). */
  readonly logger: Logger;
  dispatch(task: () => void): void;
  /** See `SystemOptions.beforeHandle`; `| undefined` so a system without one implements this under `exactOptionalPropertyTypes`. */
  readonly beforeHandle?: BeforeHandle | undefined;
  emit(event: SystemEvent): void;
  reply(request: Envelope, value: unknown): void;
  replyError(request: Envelope, error: Error): void;
  deadLetter(envelope: Envelope, reason: Error, at: Address): void;
  createCell<P extends AnyProtocol>(definition: ActorDefinition<P>, address: Address, parent: ExitListener | undefined): ActorCell<P>;
  unregister(cell: ActorCell): void;
}
