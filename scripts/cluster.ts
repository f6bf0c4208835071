/**
 * `npm run cluster -- start|stop|status`: the three-node test cluster (airlock1..3@localhost,
 * AMQP on 5681–5683), everything it writes under `<tmpdir>/airlock-cluster`; the shared node on
 * 5672 is never touched. `start` is idempotent: it starts what is down and waits for the cluster.
 */
import { TestCluster } from './cluster/index.ts';

const cluster = new TestCluster();
const command = process.argv[2] ?? 'status';

async function main(): Promise<number> {
  switch (command) {
    case 'start': {
      const started = Date.now();
      await cluster.start();
      console.log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${cluster.urls.join(',')}`);
      return 0;
    }
    case 'stop':
      await cluster.stop();
      console.log(`cluster stopped (data kept in ${cluster.dir})`);
      return 0;
    case 'status': {
      let healthy = true;
      for (const node of await cluster.status()) {
        const state = node.listening ? 'running' : node.pid ? 'booting' : 'down';
        if (node.runningNodes.length !== cluster.nodes.length) healthy = false;
        console.log(`${node.node}  ${state.padEnd(7)}  pid ${node.pid ?? '-'}  ${node.url}  cluster: ${node.runningNodes.join(', ') || '(no answer)'}`);
      }
      return healthy ? 0 : 1;
    }
    default:
      console.error('usage: npm run cluster -- start|stop|status');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
