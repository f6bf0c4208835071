/**
 * The ping-pong workload in nact 7 (bench only): two stateless actors pass a counter back and
 * forth, each message carrying the ref to answer, as nact's docs recommend instead of `sender`.
 * One round trip is ping → pong → ping. Returns the elapsed milliseconds for `roundTrips`.
 */
import nact from 'nact';

interface Ball {
  n: number;
  replyTo: nact.Ref<Ball>;
}

export async function nactPingPong(roundTrips: number): Promise<number> {
  const system = nact.start();
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const pong = nact.spawnStateless(system, (msg: Ball, ctx) => nact.dispatch(msg.replyTo, { n: msg.n, replyTo: ctx.self }), 'pong');
  const ping = nact.spawnStateless(
    system,
    (msg: Ball, ctx) => {
      if (msg.n >= roundTrips) finished();
      else nact.dispatch(msg.replyTo, { n: msg.n + 1, replyTo: ctx.self });
    },
    'ping',
  );
  const start = performance.now();
  nact.dispatch(pong, { n: 1, replyTo: ping });
  await done;
  const elapsed = performance.now() - start;
  nact.stop(system);
  return elapsed;
}
