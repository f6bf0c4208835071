import { TransportUnavailableError } from '../errors.ts';
import type { Links } from './links.ts';

/**
 * The `Links` port of a system nobody plugged one into. lib never loads a transport itself (the
 * real links pull rhea): `createSystem` and `run` plug in airlock/amqp10's, the simulation its own.
 */
export const unpluggedLinks: Links = {
  listen: async () => refuse(),
  connect: async () => refuse(),
};

function refuse(): never {
  throw new TransportUnavailableError('links', 'no Links port plugged in: pass ports.links (e.g. amqp10Links from airlock/amqp10), or start the system with createSystem or run');
}
