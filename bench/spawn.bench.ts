/**
 * `npm run bench -- spawn`: what one idle actor costs, beside a bare object and beside Erlang/OTP
 * (`escript bench/erl/actors.escript spawn N`, when installed) doing the same in the same run.
 *
 * - spawn: µs per actor to spawn ACTORS (100,000) idle plain-handler actors at precomputed
 *   addresses (building the address strings is not counted, on any side);
 * - heap: bytes per idle actor, the heap after a full GC with all of them alive minus the heap
 *   after a full GC before (Erlang: `erlang:memory(processes)`, likewise after a GC);
 * - first message: µs per actor to send one message to each fresh actor and see all of them
 *   handled (each Erlang process answers its parent, each airlock handler counts).
 *
 * The bare baseline is what any actor runtime must do at least: an object per actor (an empty
 * array for a mailbox, its handler) in a Map by address; a message is pushed and the handler called.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { z } from 'zod';
import { createSystem, defineActor, defineProtocol, type ActorRef } from '../internal.ts';
import { erl } from './erl.ts';
import { figure, median, type Benchmark, type Figure } from './figures.ts';

const ACTORS = 100_000;
const RUNS = 3;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Two full collections: the second frees what finalizers of the first let go. */
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Costs {
  spawnUs: number;
  bytes: number;
  firstUs: number;
}

const Idle = defineProtocol('idle', { hello: { body: z.object({ n: z.number() }) } });

function addresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `idle/a${i}`);
}

async function airlock(count: number): Promise<Costs> {
  const at = addresses(count);
  const refs: ActorRef<typeof Idle>[] = new Array(count);
  let handled = 0;
  let allHandled!: () => void;
  const done = new Promise<void>((resolve) => (allHandled = resolve));
  const definition = defineActor({
    protocol: Idle,
    setup: () => ({
      hello() {
        if (++handled === count) allHandled();
      },
    }),
  });
  const system = createSystem({ name: 'bench-spawn' });
  const before = heapAfterGc();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) refs[i] = system.spawn(definition, at[i]);
  const t1 = performance.now();
  const after = heapAfterGc();
  const body = { n: 1 };
  const t2 = performance.now();
  for (let i = 0; i < count; i++) void refs[i].tell('hello', body);
  await done;
  const t3 = performance.now();
  await system.stop({ drainTimeoutMs: 0 });
  return { spawnUs: ((t1 - t0) * 1000) / count, bytes: (after - before) / count, firstUs: ((t3 - t2) * 1000) / count };
}

interface BareActor {
  mailbox: { n: number }[];
  handler: (body: { n: number }) => void;
}

async function bare(count: number): Promise<Costs> {
  const at = addresses(count);
  const actors = new Map<string, BareActor>();
  const list: BareActor[] = new Array(count);
  let handled = 0;
  const handler = () => void handled++;
  const before = heapAfterGc();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const actor: BareActor = { mailbox: [], handler };
    actors.set(at[i], actor);
    list[i] = actor;
  }
  const t1 = performance.now();
  const after = heapAfterGc();
  const body = { n: 1 };
  const t2 = performance.now();
  for (let i = 0; i < count; i++) list[i].mailbox.push(body);
  for (let i = 0; i < count; i++) {
    const actor = list[i];
    actor.handler(actor.mailbox.shift()!);
  }
  const t3 = performance.now();
  if (handled !== count) throw new Error('spawn bench: the bare loop lost messages');
  return { spawnUs: ((t1 - t0) * 1000) / count, bytes: (after - before) / count, firstUs: ((t3 - t2) * 1000) / count };
}

const medians = (runs: Costs[]): Costs => ({
  spawnUs: median(runs.map((r) => r.spawnUs)),
  bytes: median(runs.map((r) => r.bytes)),
  firstUs: median(runs.map((r) => r.firstUs)),
});

const spawn: Benchmark = async ({ quick }) => {
  const count = quick ? 10_000 : ACTORS;
  const runs = quick ? 1 : RUNS;
  await bare(count);
  await airlock(count);
  const ours: Costs[] = [];
  const base: Costs[] = [];
  const otp: Costs[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, each side first in turn, so none always runs right after another's garbage.
    const sides = [
      async () => base.push(await bare(count)),
      async () => ours.push(await airlock(count)),
      async () => {
        const result = await erl<Costs>('spawn', count);
        if (result) otp.push(result);
      },
    ];
    for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]();
  }
  const a = medians(ours);
  const b = medians(base);
  const label = `${count.toLocaleString('en-US')} idle actors`;
  const figures: Figure[] = [
    figure(`spawn, per actor (${label})`, a.spawnUs, 'µs', 'bare object in a Map', b.spawnUs, false),
    figure(`heap, per idle actor (after GC)`, a.bytes / 1024, 'KB', 'bare object in a Map', b.bytes / 1024, false),
    figure(`first message, per fresh actor`, a.firstUs, 'µs', 'bare push + call', b.firstUs, false),
  ];
  if (otp.length > 0) {
    const e = medians(otp);
    figures.push(
      figure(`spawn, per actor (${label})`, a.spawnUs, 'µs', 'Erlang/OTP spawn', e.spawnUs, false),
      figure(`heap, per idle actor (after GC)`, a.bytes / 1024, 'KB', 'Erlang/OTP process', e.bytes / 1024, false),
      figure(`first message, per fresh actor`, a.firstUs, 'µs', 'Erlang/OTP send + receive', e.firstUs, false),
    );
  }
  return figures;
};

export default spawn;
