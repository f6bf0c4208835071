// The split broker topology for a compiled run of the bench (`AIRLOCK_BENCH_DIST=1`): the same
// three nodes as examples/split-broker/topology.ts, written in JavaScript and importing the
// package's own faces, so `airlock run` loads it with the compiled dist/ (`npm run build`) and no
// TypeScript loader (tsx holds ~79 MiB of each process on its own). Only the environment the
// bench sets is read: SPLIT_BROKER_KEY_DIR, SPLIT_BROKER_<HTTP|AMP|DNS|EDGE_OPS|KEYHOLDER_OPS|CORE_OPS>_PORT,
// SPLIT_BROKER_RATE_PER_SECOND and SPLIT_BROKER_RATE_BURST.
import { defineTopology } from 'airlock';
import { splitBrokerNodes } from 'airlock/split-broker';

const env = process.env;
const PORTS = { http: 'HTTP', amp: 'AMP', dns: 'DNS', edgeOps: 'EDGE_OPS', keyholderOps: 'KEYHOLDER_OPS', coreOps: 'CORE_OPS' };
const ports = Object.fromEntries(
  Object.entries(PORTS)
    .filter(([, name]) => env[`SPLIT_BROKER_${name}_PORT`] !== undefined)
    .map(([key, name]) => [key, Number(env[`SPLIT_BROKER_${name}_PORT`])]),
);
const perSecond = Number(env.SPLIT_BROKER_RATE_PER_SECOND);
const rate = perSecond > 0 ? { rate: { perSecond, burst: Number(env.SPLIT_BROKER_RATE_BURST) || 2 * perSecond } } : {};

export default defineTopology('split-broker', splitBrokerNodes({ keyDir: env.SPLIT_BROKER_KEY_DIR ?? '.airlock/oracle', ports, ...rate }));
