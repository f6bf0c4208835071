/**
 * The split broker as one topology value with three nodes, one per trust zone:
 *   edge       the registrars (http, amp, dns), each its own child under one_for_one, + ops
 *   keyholder  the Oracle, the only holder of the keys, + ops
 *   core       the Matcher, + ops
 * In one process (`run(splitBroker(...))`) or one node per process over RabbitMQ
 * (`airlock run examples/split-broker/topology.ts --node edge|keyholder|core --amqp …`): only the
 * keyholder's process ever loads the keys.
 */
import { child, defineTopology, supervisor, type Topology } from '../../index.ts';
import { ampRegistrar, dnsRegistrar, httpRegistrar, matcherActor, opsActor, oracleActor, Registry } from '../../actors/split-broker/index.ts';

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

export const DEFAULT_PORTS = { http: 8080, amp: 8081, dns: 5353, edgeOps: 9101, keyholderOps: 9102, coreOps: 9103 };

export function splitBroker(options: SplitBrokerOptions): Topology {
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const host = options.host ?? '127.0.0.1';
  // One registry per node, so that nodes sharing a process keep their figures apart.
  const metrics = { edge: new Registry(), keyholder: new Registry(), core: new Registry() };
  const registrar = { host, oracle: 'keyholder/oracle', matcher: 'core/matcher', metrics: metrics.edge, ...(options.rate ? { rate: options.rate } : {}) };
  return defineTopology('split-broker', {
    edge: supervisor({
      strategy: 'one_for_one',
      // A method that crash-loops is restarted alone; the others never notice.
      intensity: { maxRestarts: 20, withinMs: 10_000 },
      children: [
        child('http', httpRegistrar, { config: { ...registrar, port: ports.http } }),
        child('amp', ampRegistrar, { config: { ...registrar, port: ports.amp } }),
        child('dns', dnsRegistrar, { config: { ...registrar, port: ports.dns, ...(options.zone ? { zone: options.zone } : {}) } }),
        child('ops', opsActor, { config: { port: ports.edgeOps, metrics: metrics.edge } }),
      ],
    }),
    keyholder: supervisor({
      children: [
        child('oracle', oracleActor, { config: { keyDir: options.keyDir, matcher: 'core/matcher', allowPlaintext: options.allowPlaintext ?? true, metrics: metrics.keyholder } }),
        child('ops', opsActor, { config: { port: ports.keyholderOps, metrics: metrics.keyholder } }),
      ],
    }),
    core: supervisor({
      children: [
        child('matcher', matcherActor, { config: { metrics: metrics.core } }),
        child('ops', opsActor, { config: { port: ports.coreOps, metrics: metrics.core } }),
      ],
    }),
  });
}

/**
 * The options from the environment: SPLIT_BROKER_KEY_DIR, SPLIT_BROKER_HOST,
 * SPLIT_BROKER_<HTTP|AMP|DNS|EDGE_OPS|KEYHOLDER_OPS|CORE_OPS>_PORT, SPLIT_BROKER_ZONE,
 * SPLIT_BROKER_RATE_PER_SECOND and SPLIT_BROKER_RATE_BURST (requests per source address).
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv): SplitBrokerOptions {
  const port = (name: string) => (env[`SPLIT_BROKER_${name}_PORT`] === undefined ? undefined : Number(env[`SPLIT_BROKER_${name}_PORT`]));
  const ports = Object.fromEntries(
    Object.entries({ http: 'HTTP', amp: 'AMP', dns: 'DNS', edgeOps: 'EDGE_OPS', keyholderOps: 'KEYHOLDER_OPS', coreOps: 'CORE_OPS' })
      .map(([key, name]) => [key, port(name)])
      .filter(([, value]) => value !== undefined),
  );
  const perSecond = Number(env.SPLIT_BROKER_RATE_PER_SECOND);
  const rate = perSecond > 0 ? { rate: { perSecond, burst: Number(env.SPLIT_BROKER_RATE_BURST) || 2 * perSecond } } : {};
  return { keyDir: env.SPLIT_BROKER_KEY_DIR ?? '.airlock/oracle', host: env.SPLIT_BROKER_HOST, ports, zone: env.SPLIT_BROKER_ZONE, ...rate };
}

export default splitBroker(optionsFromEnv(process.env));
