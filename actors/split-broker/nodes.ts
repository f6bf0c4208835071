import { child } from '../../supervisors/child-spec.ts';
import { supervisor, type SupervisorSpec } from '../../supervisors/supervisor-spec.ts';
import { opsActor, Registry } from '../ops/index.ts';
import { matcherActor } from './matcher/matcher-actor.ts';
import { oracleActor } from './oracle/oracle-actor.ts';
import { ampRegistrarActor } from './registrar/amp-registrar.ts';
import { dnsRegistrarActor } from './registrar/dns-registrar.ts';
import { httpRegistrarActor } from './registrar/http-registrar.ts';

export interface SplitBrokerOptions {
  /** Where `airlock keygen --out <dir>` wrote the Oracle's keys (read by the keyholder only). */
  keyDir: string;
  /** Where the registrars listen (`0.0.0.0` to face the network). */
  host?: string;
  /** 0 picks a free port; ask the actor `where`. */
  ports?: Partial<Record<'http' | 'amp' | 'dns' | 'edgeOps' | 'keyholderOps' | 'coreOps', number>>;
  /** The DNS registrar's zone. */
  zone?: string;
  /** Requests per source address each registrar takes (token bucket; 20 at once, 10/s by default). */
  rate?: { burst: number; perSecond: number };
  /** 1.0 plaintext registrations (today's Tor clients); on unless false. */
  allowPlaintext?: boolean;
}

/**
 * One node of the design: its tree, and the registry its actors fill and its ops listener serves,
 * which `run(…, { metrics })` (and `airlock run`) also fills with the node's airlock_* families.
 */
export interface SplitBrokerNode {
  readonly tree: SupervisorSpec;
  readonly metrics: Registry;
}

/** Snowflake's broker listens on 8080; the AMP and DNS methods and each node's /metrics beside it. */
const DEFAULT_PORTS = Object.freeze({ http: 8080, amp: 8081, dns: 5353, edgeOps: 9101, keyholderOps: 9102, coreOps: 9103 });

/**
 * The split broker's supervision trees, one per trust zone, to be the nodes of a topology:
 *   edge       the registrars (http, amp, dns), each its own child under one_for_one, + ops
 *   keyholder  the Oracle, the only holder of the keys, + ops
 *   core       the Matcher, + ops
 * Each node gets its own metrics registry, served by its ops listener. Run them in one process or
 * one node per process: only the keyholder's tree reads the keys.
 */
export function splitBrokerNodes(options: SplitBrokerOptions): Record<'edge' | 'keyholder' | 'core', SplitBrokerNode> {
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const host = options.host ?? '127.0.0.1';
  // One registry per node, so that nodes sharing a process keep their figures apart.
  const metrics = { edge: new Registry(), keyholder: new Registry(), core: new Registry() };
  const registrar = { host, oracle: 'keyholder/oracle', matcher: 'core/matcher', metrics: metrics.edge, ...(options.rate ? { rate: options.rate } : {}) };
  const edge = supervisor({
    strategy: 'one_for_one',
    // A method that crash-loops is restarted alone; the others never notice.
    intensity: { maxRestarts: 20, withinMs: 10_000 },
    children: [
      child('http', httpRegistrarActor, { config: { ...registrar, port: ports.http } }),
      child('amp', ampRegistrarActor, { config: { ...registrar, port: ports.amp } }),
      child('dns', dnsRegistrarActor, { config: { ...registrar, port: ports.dns, ...(options.zone ? { zone: options.zone } : {}) } }),
      child('ops', opsActor, { config: { port: ports.edgeOps, metrics: metrics.edge } }),
    ],
  });
  const keyholder = supervisor({
    children: [
      child('oracle', oracleActor, { config: { keyDir: options.keyDir, matcher: 'core/matcher', allowPlaintext: options.allowPlaintext ?? true, metrics: metrics.keyholder } }),
      child('ops', opsActor, { config: { port: ports.keyholderOps, metrics: metrics.keyholder } }),
    ],
  });
  const core = supervisor({
    children: [
      child('matcher', matcherActor, { config: { metrics: metrics.core } }),
      child('ops', opsActor, { config: { port: ports.coreOps, metrics: metrics.core } }),
    ],
  });
  return {
    edge: { tree: edge, metrics: metrics.edge },
    keyholder: { tree: keyholder, metrics: metrics.keyholder },
    core: { tree: core, metrics: metrics.core },
  };
}
