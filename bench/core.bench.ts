/**
 * `npm run bench -- core`: the core runtime's costs, each beside a baseline run in the same
 * process, interleaved (baseline, airlock, airlock, baseline, ...) after a warm-up, medians of 5.
 *
 * - tell→handle throughput of a plain-handler actor vs a bare array queue drained by a loop
 *   calling the very same handler function. Both take bursts of BURST (10,000) messages and wait
 *   until the burst is handled before sending the next: the default mailbox (10,000, 'reject')
 *   needs no option, which is what a user would write (a single burst of 1M into a mailbox of
 *   capacity 1M measures mostly the GC of a million live envelopes, on both sides);
 * - the same bursts into an xstate actor vs `createActor(machine).send` of the same events;
 * - ask round trip (p50, p99), one ask at a time, vs the same function called through a promise;
 * - restart of one crashed child under one_for_one, from the throw to the `restarted` event,
 *   vs a bare restart (throw, catch, build the incarnation again) and vs `createActor(machine).start()`;
 * - ping-pong round trips between two actors vs the same workload in nact, and (1,000,000 round
 *   trips, Erlang's own workload) vs Erlang/OTP when `escript` is installed (bench/erl/actors.escript).
 */
import { assign, createActor, setup as xsetup } from 'xstate';
import { z } from 'zod';
import {
  child,
  createSystem,
  defineActor,
  defineMachineActor,
  defineProtocol,
  startTree,
  supervisor,
  type ActorSystem,
} from '../internal.ts';
import { figure, median, percentile, type Benchmark, type Figure } from './figures.ts';
import { erl } from './erl.ts';
import { nactPingPong } from './nact-pingpong.ts';

const RUNS = 5;
/** Messages sent before waiting for them to be handled: the default mailbox capacity. */
const BURST = 10_000;

/** Runs a warm-up of both, then `runs` interleaved pairs; returns every run's result of each. */
async function interleaved<T>(runs: number, baseline: () => Promise<T> | T, airlock: () => Promise<T> | T) {
  await baseline();
  await airlock();
  const base: T[] = [];
  const ours: T[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate who goes first, so neither side always runs right after a GC of the other's garbage.
    if (i % 2 === 0) {
      base.push(await baseline());
      ours.push(await airlock());
    } else {
      ours.push(await airlock());
      base.push(await baseline());
    }
  }
  return { base, ours };
}

/** A place for a handler to count into and to say "all N handled". */
interface Sink {
  count: number;
  sum: number;
  target: number;
  done: () => void;
}

function newSink(): Sink {
  return { count: 0, sum: 0, target: 0, done: () => {} };
}

function arm(sink: Sink, target: number): Promise<void> {
  sink.count = 0;
  sink.sum = 0;
  sink.target = target;
  return new Promise<void>((resolve) => (sink.done = resolve));
}

/** Messages per second of `bursts` bursts of `burst` sends, each burst awaited until handled. */
async function burstRate(sink: Sink, bursts: number, burst: number, send: (i: number) => void): Promise<number> {
  const start = performance.now();
  for (let b = 0; b < bursts; b++) {
    const done = arm(sink, burst);
    for (let i = 0; i < burst; i++) send(i);
    await done;
  }
  return (bursts * burst) / ((performance.now() - start) / 1000);
}

// ---- 1. tell → handle throughput, plain handler ----------------------------------------------

const Counter = defineProtocol('counter', { inc: { body: z.object({ n: z.number() }) } });

/** `validateLocal: false` is the documented opt-out of in-process validation, for trusted hot paths. */
const TRUSTED = { validateLocal: false } as const;
const trustedLabel = (label: string, trusted: boolean) => (trusted ? `${label}, validateLocal: false` : label);

async function throughputHandler(n: number, runs: number, trusted = false): Promise<Figure> {
  const sink = newSink();
  // The one handler both sides call.
  const handlers = {
    inc(body: { n: number }) {
      sink.sum += body.n;
      if (++sink.count === sink.target) sink.done();
    },
  };
  const system = createSystem({ name: 'bench-tell', ...(trusted ? TRUSTED : {}) });
  const ref = system.spawn(defineActor({ protocol: Counter, setup: () => handlers }), 'counter');
  const bodies = Array.from({ length: BURST }, (_, i) => ({ n: i }));
  const bursts = Math.ceil(n / BURST);

  const baseline = async () => {
    const start = performance.now();
    const queue: { type: 'inc'; body: { n: number } }[] = [];
    for (let b = 0; b < bursts; b++) {
      const done = arm(sink, BURST);
      for (let i = 0; i < BURST; i++) queue.push({ type: 'inc', body: bodies[i] });
      for (let head = 0; head < queue.length; head++) {
        const message = queue[head];
        handlers[message.type](message.body);
      }
      queue.length = 0;
      await done;
    }
    return (bursts * BURST) / ((performance.now() - start) / 1000);
  };
  const airlock = () => burstRate(sink, bursts, BURST, (i) => void ref.tell('inc', bodies[i]));
  const { base, ours } = await interleaved(runs, baseline, airlock);
  await system.stop();
  return figure(trustedLabel('tell→handle, plain handler', trusted), median(ours), 'msg/s', 'array-queue drain loop', median(base), true);
}

// ---- 2. the same burst into an xstate actor --------------------------------------------------

function counterMachine(sink: Sink) {
  return xsetup({
    types: { context: {} as { sum: number }, events: {} as { type: 'inc'; body: { n: number } } },
  }).createMachine({
    context: { sum: 0 },
    on: {
      inc: {
        actions: [
          assign({ sum: ({ context, event }) => context.sum + event.body.n }),
          () => {
            if (++sink.count === sink.target) sink.done();
          },
        ],
      },
    },
  });
}

async function throughputMachine(n: number, runs: number): Promise<Figure> {
  const sink = newSink();
  const system = createSystem({ name: 'bench-xstate' });
  const ref = system.spawn(defineMachineActor({ protocol: Counter, machine: () => counterMachine(sink) }), 'machine');
  const bodies = Array.from({ length: BURST }, (_, i) => ({ n: i }));
  const burst = Math.min(n, BURST);
  const bursts = Math.ceil(n / burst);

  const baseline = async () => {
    const actor = createActor(counterMachine(sink)).start();
    const rate = await burstRate(sink, bursts, burst, (i) => actor.send({ type: 'inc', body: bodies[i] }));
    actor.stop();
    return rate;
  };
  const airlock = () => burstRate(sink, bursts, burst, (i) => void ref.tell('inc', bodies[i]));
  const { base, ours } = await interleaved(runs, baseline, airlock);
  await system.stop();
  return figure('tell→handle, xstate actor', median(ours), 'msg/s', 'createActor(machine).send', median(base), true);
}

// ---- 3. ask round trip ---------------------------------------------------------------------

const Echo = defineProtocol('echo', { echo: { body: z.object({ n: z.number() }), reply: z.number() } });

async function askLatency(samples: number, runs: number): Promise<Figure[]> {
  const echo = (body: { n: number }) => body.n + 1;
  const system = createSystem({ name: 'bench-ask' });
  const ref = system.spawn(defineActor({ protocol: Echo, setup: () => ({ echo }) }), 'echo');

  /** Microseconds per sample, one request at a time. */
  const measure = async (roundTrip: (body: { n: number }) => Promise<number>) => {
    const times = new Array<number>(samples);
    let check = 0;
    for (let i = 0; i < samples; i++) {
      const body = { n: i };
      const start = performance.now();
      check += await roundTrip(body);
      times[i] = (performance.now() - start) * 1000;
    }
    if (check !== (samples * (samples + 1)) / 2) throw new Error('ask bench: wrong replies');
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  };
  const { base, ours } = await interleaved(
    runs,
    () => measure((body) => Promise.resolve(body).then(echo)),
    () => measure((body) => ref.ask('echo', body)),
  );
  await system.stop();
  const baseline = 'the handler via Promise.then';
  return [
    figure('ask round trip p50', median(ours.map((r) => r.p50)), 'µs', baseline, median(base.map((r) => r.p50)), false),
    figure('ask round trip p99', median(ours.map((r) => r.p99)), 'µs', baseline, median(base.map((r) => r.p99)), false),
  ];
}

// ---- 4. restart of one crashed child under one_for_one --------------------------------------

const Crashy = defineProtocol('crashy', { crash: { body: z.object({}) } });

/** Every restart, in µs from the throw to the `restarted` event of the supervised child. */
async function restartTimes(system: ActorSystem, address: string, restarts: number, crashedAt: { t: number }): Promise<number> {
  const ref = system.ref(address, Crashy);
  const times: number[] = [];
  let restarted!: () => void;
  const subscription = system.on('restarted').subscribe((event) => {
    if (event.address !== address) return;
    times.push((performance.now() - crashedAt.t) * 1000);
    restarted();
  });
  for (let i = 0; i < restarts; i++) {
    const next = new Promise<void>((resolve) => (restarted = resolve));
    void ref.tell('crash', {});
    await next;
  }
  subscription.unsubscribe();
  return median(times);
}

/** A one_for_one supervisor over three siblings, the middle one crashing on demand. */
function crashTree(system: ActorSystem, at: string, crashing: Parameters<typeof child>[1]) {
  const quiet = defineActor({ protocol: Crashy, setup: () => ({ crash() {} }) });
  return startTree(
    system,
    supervisor({
      strategy: 'one_for_one',
      // Room for the bench's crash loop (the default, 3 in 5 s, would give up), with a short window:
      // RestartIntensity filters its whole window on every restart, and a long one would time that.
      intensity: { maxRestarts: 1_000, withinMs: 1 },
      children: [child('before', quiet), child('crashy', crashing), child('after', quiet)],
    }),
    at,
  );
}

async function restartLatency(restarts: number, runs: number): Promise<Figure[]> {
  const crashedAt = { t: 0 };
  const boom = () => {
    crashedAt.t = performance.now();
    throw new Error('boom');
  };
  const setupHandlers = () => ({ crash: boom });
  const system = createSystem({ name: 'bench-restart' });
  crashTree(system, 'plain', defineActor({ protocol: Crashy, setup: setupHandlers }));
  const machine = () =>
    xsetup({ types: { events: {} as { type: 'crash'; body: object } } }).createMachine({
      initial: 'up',
      states: { up: { on: { crash: { actions: boom } } } },
    });
  crashTree(system, 'machine', defineMachineActor({ protocol: Crashy, machine }));

  /** A bare restart: the crash thrown and caught, the handlers built again, the next message handled. */
  const bareRestart = () => {
    const times: number[] = [];
    let handlers = setupHandlers();
    for (let i = 0; i < restarts; i++) {
      try {
        handlers.crash();
      } catch {
        handlers = setupHandlers();
      }
      times.push((performance.now() - crashedAt.t) * 1000);
    }
    return median(times);
  };
  /** What any xstate restart must do: build and start the machine's actor again. */
  const machineStart = () => {
    const times: number[] = [];
    for (let i = 0; i < restarts; i++) {
      const start = performance.now();
      const actor = createActor(machine()).start();
      times.push((performance.now() - start) * 1000);
      actor.stop();
    }
    return median(times);
  };
  const plain = await interleaved(runs, bareRestart, () => restartTimes(system, 'plain/crashy', restarts, crashedAt));
  const machined = await interleaved(runs, machineStart, () => restartTimes(system, 'machine/crashy', restarts, crashedAt));
  await system.stop();
  return [
    figure('restart, plain child (one_for_one)', median(plain.ours), 'µs', 'throw+catch+setup()', median(plain.base), false),
    figure('restart, xstate child (one_for_one)', median(machined.ours), 'µs', 'createActor(machine).start()', median(machined.base), false),
  ];
}

// ---- 5. ping-pong vs nact --------------------------------------------------------------------

const PingSide = defineProtocol('ping-side', { pong: { body: z.object({ n: z.number() }) } });
const PongSide = defineProtocol('pong-side', { ping: { body: z.object({ n: z.number() }) } });

async function pingPong(roundTrips: number, runs: number, trusted = false, erlRoundTrips = 0): Promise<Figure[]> {
  const sink = newSink();
  const system = createSystem({ name: 'bench-pingpong', ...(trusted ? TRUSTED : {}) });
  system.spawn(
    defineActor({
      protocol: PongSide,
      setup: (ctx) => {
        const ping = ctx.ref('pp/ping', PingSide);
        return { ping: ({ n }) => void ping.tell('pong', { n }) };
      },
    }),
    'pp/pong',
  );
  system.spawn(
    defineActor({
      protocol: PingSide,
      setup: (ctx) => {
        const pong = ctx.ref('pp/pong', PongSide);
        return {
          pong: ({ n }) => {
            if (n >= sink.target) sink.done();
            else void pong.tell('ping', { n: n + 1 });
          },
        };
      },
    }),
    'pp/ping',
  );
  const pong = system.ref('pp/pong', PongSide);
  const rounds = (count: number) => async () => {
    const done = arm(sink, count);
    const start = performance.now();
    void pong.tell('ping', { n: 1 });
    await done;
    return count / ((performance.now() - start) / 1000);
  };
  const nact = async () => roundTrips / ((await nactPingPong(roundTrips)) / 1000);
  const { base, ours } = await interleaved(runs, nact, rounds(roundTrips));
  const label = trustedLabel('ping-pong, 2 actors', trusted);
  const figures = [figure(label, median(ours), 'round trips/s', 'nact 7', median(base), true)];
  // Erlang's own workload (1,000,000 round trips), timed inside the VM, when escript is installed.
  if (erlRoundTrips > 0 && (await erl('pingpong', 1_000)) !== undefined) {
    const otp = async () => (await erl<{ roundTripsPerS: number }>('pingpong', erlRoundTrips))!.roundTripsPerS;
    const against = await interleaved(runs, otp, rounds(erlRoundTrips));
    figures.push(figure(`${label} (${erlRoundTrips.toLocaleString('en-US')})`, median(against.ours), 'round trips/s', 'Erlang/OTP', median(against.base), true));
  }
  await system.stop();
  return figures;
}

// ---- the benchmark -------------------------------------------------------------------------

const core: Benchmark = async ({ quick }) => {
  const scale = quick ? 0.1 : 1;
  const runs = quick ? 3 : RUNS;
  const n = (count: number) => Math.max(100, Math.round(count * scale));
  return [
    await throughputHandler(n(1_000_000), runs),
    await throughputHandler(n(1_000_000), runs, true),
    await throughputMachine(n(100_000), runs),
    ...(await askLatency(n(50_000), runs)),
    ...(await restartLatency(n(2_000), runs)),
    ...(await pingPong(n(50_000), runs, false, n(1_000_000))),
    ...(await pingPong(n(50_000), runs, true, n(1_000_000))),
  ];
};

export default core;
