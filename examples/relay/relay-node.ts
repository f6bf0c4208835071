/**
 * The relay as a node to run: `airlock run examples/relay/relay-node.ts`. Its key and certificate
 * come from PEM files (`airlock certs` makes test ones): RELAY_KEY_FILE and RELAY_CERT_FILE
 * (default `pki/relay.key`, `pki/relay.pem`); it listens on RELAY_HOST (127.0.0.1) at
 * RELAY_TCP_PORT (7000) for circuits and RELAY_TLS_PORT (7001) for reservations.
 */
import { readFileSync } from 'node:fs';
import { relayTopology } from './topology.ts';

const env = process.env;
export default relayTopology(
  { key: readFileSync(env.RELAY_KEY_FILE ?? 'pki/relay.key', 'utf8'), cert: readFileSync(env.RELAY_CERT_FILE ?? 'pki/relay.pem', 'utf8') },
  { tcp: Number(env.RELAY_TCP_PORT ?? 7000), tls: Number(env.RELAY_TLS_PORT ?? 7001) },
  env.RELAY_HOST ?? '127.0.0.1',
);
