import { collectDefaultMetrics, Registry } from 'prom-client';
import { Subject, type Observable } from 'rxjs';
import {
  ActorSystem,
  InvalidSpecError,
  parentOf,
  provideDynamicSupervisors,
  type ActorRef,
  type Address,
  type Announcement,
  type AnyProtocol,
  type ChildStatus,
  type ExitListener,
  type StopOptions,
  type SystemEvent,
  type SystemOptions,
} from '../lib/index.ts';
import { InProcessTransport } from '../transports/in-process/index.ts';
import { lazyAmqp10Links } from '../transports/amqp10/lazy-links.ts';
import { controlActor } from './control-plane/control-actor.ts';
import { ControlKey } from './control-plane/control-key.ts';
import { controlAddress } from './control-plane/control-protocol.ts';
import { nodeControlTarget } from './control-plane/control-target.ts';
import { topologyDynamicSupervisors } from './control-plane/dynamic-supervisors.ts';
import { Supervisor } from '../supervisors/supervisor.ts';
import type { SupervisorSpec } from '../supervisors/supervisor-spec.ts';
import type { NodeSpec, Topology } from './topology.ts';
import { NotSupervisedError } from '../supervisors/errors.ts';
import { childAddress } from '../lib/address.ts';
import { metricsListener, OPS_SEGMENT, type LoopbackHost } from './metrics/metrics-listener.ts';
import { NodeMetrics, type NodeMetricsOptions } from './metrics/node-metrics.ts';

/** An actor system on the in-process transport and the real ports (links over rhea, loaded on first use) unless others are given. */
export function createSystem(options: Partial<SystemOptions> = {}): ActorSystem {
  const ports = { links: lazyAmqp10Links, ...options.ports };
  return new ActorSystem({ ...options, ports, transport: options.transport ?? new InProcessTransport() });
}

export interface RunOptions extends Partial<SystemOptions> {
  /** Run only this node of the topology (the others are expected elsewhere). */
  node?: string;
  /** Start the trees on this system (e.g. one already subscribed to its events). */
  system?: ActorSystem;
  /**
   * Also start each node's control actor at `<node>/$control` (what `airlock run` does), which
   * runs restart/stop/start only when signed with `key` (`true`: a fresh key, `controlKey`).
   */
  control?: boolean | { key: ControlKey };
  /**
   * Called with every event of the system, subscribed before the first tree starts: the
   * `started` events of the start itself happen inside `run` and a subscription made after it
   * returns misses them (`system.events` replays nothing).
   */
  onEvent?: (event: SystemEvent) => void;
  /**
   * Prometheus figures per node, one registry each (`running.metrics(node)`, or the node spec's
   * own `metrics`): the airlock_* families (README "Metrics") and, unless `process: false`,
   * prom-client's process and Node.js metrics. `true` takes the defaults.
   */
  metrics?: boolean | (NodeMetricsOptions & { process?: boolean });
  /**
   * Serve each node's registry (`metrics` implied) at `GET /metrics` on loopback, from an actor at
   * `<node>/$ops` (ask it `where`): the nodes in start order on `port`, `port + 1`, … (0: free ones).
   */
  ops?: { port: number; host?: LoopbackHost };
}

/** A node's root supervisor gave up (it exceeded its intensity): the node's tree is down. */
export interface RootFailure {
  readonly node: string;
  readonly error: Error;
}

/** A started topology: its system, its root supervisors, and a graceful `stop`. */
export class RunningTopology {
  constructor(
    readonly topology: Topology,
    readonly system: ActorSystem,
    readonly roots: ReadonlyMap<string, Supervisor>,
    /**
     * Each time a node's root supervisor gives up. OTP would stop the node; a library leaves that
     * to its user (`airlock run` exits non-zero), who may also `restart(node)` to revive the tree.
     */
    readonly rootFailures: Observable<RootFailure> = new Subject<RootFailure>(),
  ) {}

  /** The key the control actors accept state-changing requests from (when run with `control`). */
  controlKey: ControlKey | undefined;

  /** Each node's Prometheus registry (when run with `metrics` or `ops`). */
  readonly registries = new Map<string, Registry>();

  /** Node `node`'s Prometheus registry, if run with `metrics` or `ops`. */
  metrics(node: string): Registry | undefined {
    return this.registries.get(node);
  }

  /** The outermost dynamic supervisors of node `node`: their children share one metrics label. */
  dynamicSupervisors(node: string): Address[] {
    const found: Address[] = [];
    const walk = (supervisor: Supervisor): void => {
      if (supervisor.spec.dynamic) return void found.push(supervisor.address);
      for (const info of supervisor.whichChildren()) {
        const child = info.kind === 'supervisor' ? supervisor.childById(info.id) : undefined;
        if (child instanceof Supervisor) walk(child);
      }
    };
    const root = this.roots.get(node);
    if (root) walk(root);
    return found;
  }

  ref<P extends AnyProtocol>(address: Address, protocol: P): ActorRef<P> {
    return this.system.ref(address, protocol);
  }

  /** The supervisor at `address` (a node root or a nested one), if it runs here. */
  supervisorAt(address: Address): Supervisor | undefined {
    const [node, ...path] = address.split('/');
    let current: Supervisor | undefined = this.roots.get(node);
    for (const id of path) {
      const next = current?.childById(id);
      current = next instanceof Supervisor ? next : undefined;
    }
    return current;
  }

  /** The supervisor at `address`, for `startChild`, `deleteChild`, …; `NotSupervisedError` if none runs here. */
  supervisor(address: Address): Supervisor {
    const found = this.supervisorAt(address);
    if (!found) throw new NotSupervisedError(address, 'no supervisor there');
    return found;
  }

  /**
   * Restarts the child at `address` as its supervisor's strategy says, nothing else; a node's
   * root (`address` is the node's name) is restarted whole, which revives a tree that gave up.
   */
  async restart(address: Address): Promise<void> {
    const root = this.roots.get(address);
    if (root) return this.restartRoot(root);
    const { parent, id } = this.supervised(address);
    await parent.restartChild(id);
  }

  /** Stops the child at `address`; its supervisor leaves it stopped until `startChild`. */
  async stopChild(address: Address): Promise<void> {
    const { parent, id } = this.supervised(address);
    await parent.stopChild(id);
  }

  /** Starts again a child that `stopChild` stopped, or a node's root that gave up. */
  startChild(address: Address): void {
    const root = this.roots.get(address);
    if (root) return root.start();
    const { parent, id } = this.supervised(address);
    parent.startChild(id);
  }

  /** The supervision tree of one node this process runs. */
  nodeStatus(node: string): ChildStatus[] {
    const root = this.roots.get(node);
    return root ? [root.status()] : [];
  }

  private async restartRoot(root: Supervisor): Promise<void> {
    await root.shutdown('infinity');
    root.start();
    this.system.emit({ kind: 'restarted', address: root.address, at: this.system.clock.now(), restarts: root.status().restarts });
  }

  private supervised(address: Address): { parent: Supervisor; id: string } {
    const parentAddress = parentOf(address);
    const parent = parentAddress === undefined ? undefined : this.supervisorAt(parentAddress);
    const id = address.slice(address.lastIndexOf('/') + 1);
    if (!parent?.childById(id)) throw new NotSupervisedError(address);
    return { parent, id };
  }

  status(): ChildStatus[] {
    return this.system.status();
  }

  /** The nodes' presence on a shared transport (see `Transport.announce`), withdrawn first on `stop`. */
  readonly announcements: Announcement[] = [];

  stop(options?: StopOptions): Promise<void> {
    for (const announcement of this.announcements.splice(0)) announcement.close();
    return this.system.stop(options);
  }
}

/**
 * Starts a supervision tree at `at` as a top-level child of `system`; `parent`, if given, is told
 * when the tree gives up.
 */
export function startTree(system: ActorSystem, spec: SupervisorSpec, at: Address, parent?: ExitListener): Supervisor {
  const root = new Supervisor(system, spec, at, parent);
  root.start();
  system.addRoot(root);
  return root;
}

/** Starts a topology (or one node of it): every node's tree, in order, on one system. */
export function run(topology: Topology, options: RunOptions = {}): RunningTopology {
  const nodes = options.node ? topology.nodes.filter((node) => node.name === options.node) : topology.nodes;
  if (nodes.length === 0) throw new InvalidSpecError(`of topology ${topology.name}`, `it has no node '${options.node}'`);
  const transport = options.transport ?? (options.node ? nodes[0].transport?.() : undefined);
  const { onEvent, ...systemOptions } = options;
  const system = options.system ?? createSystem({ name: options.node ?? topology.name, ...systemOptions, transport });
  if (onEvent) system.events.subscribe(onEvent);
  const roots = new Map<string, Supervisor>();
  const rootFailures = new Subject<RootFailure>();
  const nodeFailed: ExitListener = {
    childExited: (root, reason) => rootFailures.next({ node: root.address, error: 'error' in reason ? reason.error : new Error(reason.kind) }),
  };
  for (const node of nodes) roots.set(node.name, startTree(system, node.tree, node.name, nodeFailed));
  const running = new RunningTopology(topology, system, roots, rootFailures);
  provideDynamicSupervisors(system, topologyDynamicSupervisors(running));
  if (options.control) {
    const key = options.control === true ? ControlKey.generate() : options.control.key;
    running.controlKey = key;
    for (const node of nodes) {
      system.spawn(controlActor(nodeControlTarget(running, node.name), key), controlAddress(node.name));
      // Reachable by its control actor, so worth finding: a shared transport lists it in roll calls.
      const announcement = system.transport.announce?.(node.name);
      if (announcement) running.announcements.push(announcement);
    }
  }
  if (options.metrics || options.ops) startMetrics(running, nodes, options);
  return running;
}

/** Each node's registry with its airlock_* families (and process metrics), and its `$ops` listener when asked. */
function startMetrics(running: RunningTopology, nodes: readonly NodeSpec[], options: RunOptions): void {
  const settings = typeof options.metrics === 'object' ? options.metrics : {};
  nodes.forEach((node, index) => {
    const registry = node.metrics ?? new Registry();
    running.registries.set(node.name, registry);
    new NodeMetrics(registry, { system: running.system, node: node.name, dynamicSupervisors: () => running.dynamicSupervisors(node.name) }, settings);
    // Once per registry: prom-client refuses the same family twice.
    if (settings.process !== false && !registry.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics({ register: registry });
    if (!options.ops) return;
    const port = options.ops.port === 0 ? 0 : options.ops.port + index;
    running.system.spawn(metricsListener(registry, options.ops.host ?? '127.0.0.1', port), childAddress(node.name, OPS_SEGMENT));
  });
}
