/**
 * The split broker as one topology value with three nodes, one per trust zone:
 *   edge       the registrars (http, amp, dns), each its own child under one_for_one, + ops
 *   keyholder  the Oracle, the only holder of the keys, + ops
 *   core       the Matcher, + ops
 * In one process (`run(splitBroker(...))`) or one node per process over RabbitMQ
 * (`airlock run examples/split-broker/topology.ts --node edge|keyholder|core --amqp …`): only the
 * keyholder's process ever loads the keys.
 */
import { defineTopology, type Topology } from '../../index.ts';
import { splitBrokerNodes, type SplitBrokerOptions } from '../../actors/split-broker/index.ts';

/** The design's three supervision trees as the nodes of one topology. */
export function splitBroker(options: SplitBrokerOptions): Topology {
  return defineTopology('split-broker', splitBrokerNodes(options));
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
