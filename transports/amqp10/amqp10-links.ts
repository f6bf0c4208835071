import type { Links } from '../../lib/index.ts';
import { connectLink } from './amqp10-connect.ts';
import { listenForLinks } from './amqp10-listen.ts';

/**
 * The `Links` port over AMQP 1.0 (rhea) and mutual TLS (Node's `tls`): a server only talks AMQP
 * to clients whose certificate chains to its CA; a client only to a server whose certificate
 * chains to its CA and carries the expected name. Both sides bound what a hostile far end can
 * make them hold (`transports/amqp10/limits.ts`).
 */
export const amqp10Links: Links = {
  listen: listenForLinks,
  connect: connectLink,
};
