import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The server script itself: the `/usr/sbin/rabbitmq-server` wrapper switches to the rabbitmq
 * user and its home, which would read the shared node's cookie and configuration.
 */
const SERVER = process.env.AIRLOCK_RABBITMQ_SERVER ?? '/usr/lib/rabbitmq/bin/rabbitmq-server';
const CTL = process.env.AIRLOCK_RABBITMQCTL ?? '/usr/lib/rabbitmq/bin/rabbitmqctl';

/** One node of the test cluster. */
export interface ClusterNode {
  /** `airlock1@localhost` … */
  readonly name: string;
  readonly amqpPort: number;
  /** Erlang distribution port: the shared node's is 25672, these are their own. */
  readonly distPort: number;
  /** amqp://guest:guest@127.0.0.1:<amqpPort> */
  readonly url: string;
  /** Its mnesia, logs, pid file and configuration. */
  readonly dir: string;
}

export interface NodeStatus {
  readonly node: string;
  readonly url: string;
  /** The OS process from its pid file, alive. */
  readonly pid: number | undefined;
  /** Accepting AMQP connections on its port. */
  readonly listening: boolean;
  /** The nodes it sees running in its cluster (empty when it does not answer). */
  readonly runningNodes: string[];
}

export interface TestClusterOptions {
  /** The scratch folder holding everything the nodes write; `<tmpdir>/airlock-cluster`. */
  readonly dir?: string;
  /** Nodes in the cluster; 3. */
  readonly size?: number;
  /** AMQP port of the first node (the next ones follow); 5681. */
  readonly firstPort?: number;
}

/**
 * A RabbitMQ cluster for tests, beside the shared node and never touching it: node names, AMQP and
 * distribution ports, a HOME (so an `.erlang.cookie`), a configuration and an environment file of
 * its own (`/etc/rabbitmq/rabbitmq.conf` pins the listener to 5672), and every file the nodes write
 * under one scratch folder. Peer discovery is `classic_config` with the nodes listed, so starting
 * them together forms the cluster without join commands. Every method is idempotent.
 */
export class TestCluster {
  readonly dir: string;
  readonly nodes: readonly ClusterNode[];
  private readonly home: string;

  constructor(options: TestClusterOptions = {}) {
    this.dir = options.dir ?? join(tmpdir(), 'airlock-cluster');
    this.home = join(this.dir, 'home');
    const size = options.size ?? 3;
    const firstPort = options.firstPort ?? 5681;
    this.nodes = Array.from({ length: size }, (_, index) => {
      const amqpPort = firstPort + index;
      return {
        name: `airlock${index + 1}@localhost`,
        amqpPort,
        distPort: amqpPort + 20_000,
        url: `amqp://guest:guest@127.0.0.1:${amqpPort}`,
        dir: join(this.dir, `airlock${index + 1}`),
      };
    });
  }

  /** The nodes' URLs, in order: what `connectRabbit({ urls })` takes. */
  get urls(): string[] {
    return this.nodes.map((node) => node.url);
  }

  node(nameOrIndex: string | number): ClusterNode {
    const node = typeof nameOrIndex === 'number' ? this.nodes[nameOrIndex] : this.nodes.find((candidate) => candidate.name === nameOrIndex || candidate.url === nameOrIndex);
    if (!node) throw new Error(`no node ${String(nameOrIndex)} in the test cluster`);
    return node;
  }

  /**
   * Starts every node that is not running, all at once (a node of `classic_config` waits for its
   * peers), and resolves when each accepts connections and sees all the others running.
   */
  async start(options: { timeoutMs?: number } = {}): Promise<void> {
    this.prepare();
    const down = [];
    // A live pid file is a node booting (another `start` launched it): launched twice, the second VM would only fail.
    for (const node of this.nodes) if (this.pidOf(node) === undefined && !(await this.isListening(node))) down.push(node);
    await Promise.all(down.map((node) => this.launch(node)));
    // Nothing launched and every node listening: one node's view of the members is enough (each view costs a CLI run).
    await this.awaitFormed(options.timeoutMs ?? 120_000, down.length === 0 ? this.nodes.slice(0, 1) : this.nodes);
  }

  /** Starts one node again (after `kill`) and resolves once it is back in the cluster. */
  async restart(nameOrIndex: string | number, options: { timeoutMs?: number } = {}): Promise<void> {
    const node = this.node(nameOrIndex);
    if (!(await this.isListening(node))) await this.launch(node);
    await this.awaitFormed(options.timeoutMs ?? 90_000);
  }

  /**
   * `kill -9` of one node's Erlang VM (what a crashed machine looks like to its peers and clients);
   * resolves once it is gone, so a `start` or `restart` right after it sees the node down.
   */
  async kill(nameOrIndex: string | number): Promise<number | undefined> {
    const pid = this.pidOf(this.node(nameOrIndex));
    if (pid === undefined) return undefined;
    process.kill(pid, 'SIGKILL');
    for (let waited = 0; alive(pid); waited += 20) {
      if (waited > 10_000) throw new Error(`test cluster: ${this.node(nameOrIndex).name} (pid ${pid}) still runs 10 s after SIGKILL`);
      await sleep(20);
    }
    return pid;
  }

  /** Stops every node (a clean `rabbitmqctl stop`, the VM killed if that fails); their data stays. */
  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        const pid = this.pidOf(node);
        if (pid === undefined) return;
        try {
          await this.ctl(node, ['stop', '--timeout', '30'], 40_000);
        } catch {
          if (alive(pid)) process.kill(pid, 'SIGKILL');
        }
      }),
    );
  }

  async status(): Promise<NodeStatus[]> {
    return Promise.all(
      this.nodes.map(async (node) => ({
        node: node.name,
        url: node.url,
        pid: this.pidOf(node),
        listening: await this.isListening(node),
        runningNodes: await this.runningNodes(node),
      })),
    );
  }

  /** The node holding the leader of quorum queue `queue` (asked of any node that answers). */
  async leaderOf(queue: string): Promise<ClusterNode | undefined> {
    for (const node of this.nodes) {
      if (!(await this.isListening(node))) continue;
      try {
        const { stdout } = await this.ctl(node, ['list_queues', 'name', 'leader', '--formatter', 'json', '-q'], 20_000);
        const rows = JSON.parse(stdout) as { name: string; leader?: string }[];
        const leader = rows.find((row) => row.name === queue)?.leader;
        return leader ? this.nodes.find((candidate) => candidate.name === leader) : undefined;
      } catch {
        // this node does not answer: ask the next
      }
    }
    return undefined;
  }

  /** Runs `rabbitmqctl` against `node`, with the cluster's own cookie and environment. */
  ctl(node: ClusterNode, args: string[], timeoutMs = 30_000): Promise<{ stdout: string; stderr: string }> {
    return run(CTL, ['-n', node.name, ...args], { env: this.environment(node), timeout: timeoutMs });
  }

  /** A node's OS process, if its pid file names a live one. */
  pidOf(node: ClusterNode): number | undefined {
    const file = join(node.dir, 'rabbit.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  }

  isListening(node: ClusterNode): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: node.amqpPort });
      const done = (open: boolean) => {
        socket.destroy();
        resolve(open);
      };
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
      socket.setTimeout(2_000, () => done(false));
    });
  }

  private async runningNodes(node: ClusterNode): Promise<string[]> {
    try {
      const { stdout } = await this.ctl(node, ['cluster_status', '--formatter', 'json'], 20_000);
      return ((JSON.parse(stdout) as { running_nodes?: string[] }).running_nodes ?? []).sort();
    } catch {
      return [];
    }
  }

  private async awaitFormed(timeoutMs: number, asked: readonly ClusterNode[] = this.nodes): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const everyone = this.nodes.map((node) => node.name).sort().join(',');
    // Listening first (cheap: a TCP connect), then membership (a CLI run: an Erlang VM each).
    for (const node of this.nodes) {
      while (!(await this.isListening(node))) {
        if (Date.now() > deadline) throw new Error(`test cluster: ${node.name} is not listening on ${node.amqpPort} after ${timeoutMs} ms (logs in ${join(node.dir, 'log')})`);
        await sleep(250);
      }
    }
    for (;;) {
      const seen = await Promise.all(asked.map((node) => this.runningNodes(node)));
      if (seen.every((running) => running.join(',') === everyone)) return;
      if (Date.now() > deadline) throw new Error(`test cluster did not form within ${timeoutMs} ms: ${JSON.stringify(seen)}`);
      await sleep(500);
    }
  }

  /** Writes the cookie, each node's configuration and environment file (always the same bytes). */
  private prepare(): void {
    mkdirSync(this.home, { recursive: true });
    const cookie = join(this.home, '.erlang.cookie');
    if (!existsSync(cookie)) {
      writeFileSync(cookie, `AIRLOCKTESTCLUSTER${process.pid}${Date.now()}`.toUpperCase(), { mode: 0o400 });
    }
    chmodSync(cookie, 0o400);
    writeFileSync(join(this.dir, 'enabled_plugins'), '[].\n');
    for (const node of this.nodes) {
      mkdirSync(join(node.dir, 'log'), { recursive: true });
      writeFileSync(join(node.dir, 'rabbitmq.conf'), this.config(node));
      // Read by the server script in place of /etc/rabbitmq/rabbitmq-env.conf (which names the shared node).
      writeFileSync(join(node.dir, 'rabbitmq-env.conf'), 'ERL_EPMD_ADDRESS=127.0.0.1\n');
    }
  }

  private config(node: ClusterNode): string {
    return [
      `listeners.tcp.1 = 127.0.0.1:${node.amqpPort}`,
      'cluster_formation.peer_discovery_backend = classic_config',
      ...this.nodes.map((peer, index) => `cluster_formation.classic_config.nodes.${index + 1} = ${peer.name}`),
      // Three nodes on a machine shared with other work: neither memory nor disk alarms for tests.
      'vm_memory_high_watermark.relative = 0.8',
      'disk_free_limit.absolute = 50MB',
      'log.file.level = info',
      '',
    ].join('\n');
  }

  private environment(node: ClusterNode): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      LANG: process.env.LANG ?? 'C.UTF-8',
      HOME: this.home,
      RABBITMQ_NODENAME: node.name,
      RABBITMQ_NODE_PORT: String(node.amqpPort),
      RABBITMQ_DIST_PORT: String(node.distPort),
      RABBITMQ_CONF_ENV_FILE: join(node.dir, 'rabbitmq-env.conf'),
      RABBITMQ_CONFIG_FILE: join(node.dir, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(node.dir, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(this.dir, 'enabled_plugins'),
      RABBITMQ_PLUGINS_EXPAND_DIR: join(node.dir, 'plugins-expand'),
      RABBITMQ_MNESIA_BASE: join(node.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(node.dir, 'log'),
      RABBITMQ_PID_FILE: join(node.dir, 'rabbit.pid'),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
  }

  /** `rabbitmq-server -detached`: returns once the VM is daemonised; booting goes on without us. */
  private launch(node: ClusterNode): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(SERVER, ['-detached'], { env: this.environment(node), cwd: node.dir, stdio: 'ignore' });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${SERVER} -detached for ${node.name} exited ${code}`))));
    });
  }
}

/**
 * Whether `pid` runs. A node's VM is daemonised (-detached), so once killed it waits for PID 1 to
 * reap it, which in a container may be never: a zombie answers `kill -0`, so /proc is asked too.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
