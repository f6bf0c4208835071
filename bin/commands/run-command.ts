import { relative } from 'node:path';
import { pino } from 'pino';
import { firstValueFrom } from 'rxjs';
import { AdminServer, adminDirectory, adminSocketPath, controlKeyPath, ensureControlKey, MetricsListenerProtocol, OPS_SEGMENT, type ControlKey } from '../../node/index.ts';
import { childAddress } from '../../lib/address.ts';
import { BadUsageError } from '../errors.ts';
import { createSystem, errorMessage, type AirlockError, type RootFailure, run, type RunningTopology, type Topology, type Transport } from '../../index.ts';
import { formatEvent } from '../format-event.ts';
import { println, type CommandIo } from '../io.ts';
import { loadTopology } from '../load-topology.ts';
import { rabbitTransport, type AmqpArgs } from '../rabbit-transport.ts';
import { listenForStop, type StopReason } from '../stop-request.ts';

export interface RunArgs {
  file: string;
  node?: string;
  amqp?: AmqpArgs;
  exportName?: string;
  /** When a node's root supervisor gives up, stay up (so `airlock restart <node>` can revive it) instead of exiting 1. */
  keepRunning?: boolean;
  /** Serve each node's Prometheus figures on loopback from this port (0: free ones). */
  opsPort?: number;
}

/**
 * `airlock run <topology.ts> [--node <name>] [--amqp URL]`: starts the whole topology (or one
 * node of it), a control actor and an admin socket per node (creating the control key file
 * when missing), prints every event, and stops gracefully on SIGINT or SIGTERM. A root
 * supervisor that gives up stops the process with exit code 1, as OTP stops a node, so systemd
 * or Kubernetes restart it (unless `--keep-running`). Resolves with the exit code once stopped.
 */
export async function runCommand(args: RunArgs, io: CommandIo): Promise<number> {
  const stop = listenForStop(io.env);
  try {
    return await runUntilStopped(args, io, stop.requested);
  } finally {
    stop.dispose();
  }
}

async function runUntilStopped(args: RunArgs, io: CommandIo, stopRequested: Promise<StopReason>): Promise<number> {
  const topology = await loadTopology(args.file, io.cwd, args.exportName);
  const nodes = nodesToRun(topology, args.node);
  const key = await ensureControlKey(controlKeyPath(io.env, io.cwd));
  const broker = args.amqp !== undefined ? await rabbitTransport(args.amqp) : undefined;
  const transport = broker ?? nodeTransport(topology, args.node);
  // Actors' `ctx.log` lines go to stderr as JSON (pino), apart from the event lines on stdout.
  const logger = pino({ level: io.env.AIRLOCK_LOG_LEVEL ?? 'info' }, pino.destination(2));
  const system = createSystem({ name: args.node ?? topology.name, transport, logger });
  system.events.subscribe((event) => println(io.out, formatEvent(event)));
  const ops = args.opsPort === undefined ? {} : { ops: { port: args.opsPort } };
  const running = run(topology, { node: args.node, system, control: { key }, metrics: true, ...ops });
  // Watched from the start: a tree may give up while the admin sockets are still opening.
  const failures = running.rootFailures.subscribe((failure) => println(io.err, `airlock: node ${failure.node} gave up: ${reasonOf(failure)}`));
  const gaveUp = firstValueFrom(running.rootFailures);
  const admins = await openAdminSockets(running, nodes, key, io).catch(async (error: unknown) => {
    await shutdown(running, [], transport);
    throw error;
  });
  println(io.out, `airlock: running ${describeRun(topology, args.node)} on ${system.transport.name}`);
  for (const admin of admins) println(io.out, `airlock: admin socket ${displayPath(admin.path, io.cwd)}`);
  if (args.opsPort !== undefined) for (const line of await metricsUrls(running, nodes)) println(io.out, line);
  // Ready means reachable: over the broker every mailbox consumes first (its queue declared and
  // bound), so an ask sent on `ready` does not find the queue missing (UNKNOWN_ADDRESS).
  await broker?.ready();
  println(io.out, 'airlock: ready');
  const end = await Promise.race(args.keepRunning ? [stopRequested] : [stopRequested, gaveUp]);
  failures.unsubscribe();
  // On stderr: whoever stopped the node sees it acknowledge, apart from the event lines on stdout.
  println(io.err, `airlock: stopping (${typeof end === 'string' ? end : `node ${end.node} gave up`})`);
  await shutdown(running, admins, transport);
  println(io.out, 'airlock: stopped');
  return typeof end === 'string' ? 0 : 1;
}

/** Where each node's `$ops` listener took its port (asked, since 0 picks a free one). */
async function metricsUrls(running: RunningTopology, nodes: string[]): Promise<string[]> {
  return Promise.all(
    nodes.map(async (node) => {
      const { host, port } = await running.ref(childAddress(node, OPS_SEGMENT), MetricsListenerProtocol).ask('where', {});
      return `airlock: metrics http://${host}:${port}/metrics (node ${node})`;
    }),
  );
}

function reasonOf(failure: RootFailure): string {
  const code = (failure.error as Partial<AirlockError>).code;
  return code === undefined ? errorMessage(failure.error) : `${code}: ${errorMessage(failure.error)}`;
}

function nodesToRun(topology: Topology, node: string | undefined): string[] {
  const names = topology.nodes.map((spec) => spec.name);
  if (node === undefined) return names;
  if (!names.includes(node)) throw new BadUsageError(`topology ${topology.name} has no node '${node}' (it has ${names.join(', ')})`);
  return [node];
}

/** A node run alone uses the transport its spec names, if any; the in-process default otherwise. */
function nodeTransport(topology: Topology, node: string | undefined): Transport | undefined {
  return node === undefined ? undefined : topology.nodes.find((spec) => spec.name === node)?.transport?.();
}

async function openAdminSockets(running: RunningTopology, nodes: string[], key: ControlKey, io: CommandIo): Promise<AdminServer[]> {
  const directory = adminDirectory(io.env, io.cwd);
  const admins: AdminServer[] = [];
  try {
    for (const node of nodes) admins.push(await AdminServer.listen({ system: running.system, node, key, path: adminSocketPath(directory, node) }));
  } catch (error) {
    for (const admin of admins) await admin.close();
    throw error;
  }
  return admins;
}

async function shutdown(running: RunningTopology, admins: AdminServer[], transport: Transport | undefined): Promise<void> {
  for (const admin of admins) await admin.close();
  await running.stop();
  await transport?.close();
}

function describeRun(topology: Topology, node: string | undefined): string {
  return node === undefined
    ? `topology ${topology.name} (nodes ${topology.nodes.map((spec) => spec.name).join(', ')})`
    : `node ${node} of topology ${topology.name}`;
}

/** Paths under the working directory are shown relative to it, as the user would type them. */
function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') ? path : rel;
}
