/** Up to this many sends unconfirmed at once: the RabbitMQ benches' publishers, airlock's and raw amqplib's alike. */
export const WINDOW = 1_000;

/** Makes `count` sends, keeping at most WINDOW of them pending. */
export async function windowed(count: number, send: (seq: number) => Promise<void>): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (let seq = 0; seq < count; seq++) {
    const sent = send(seq);
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
    if (inFlight.size >= WINDOW) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

/**
 * Messages per second: `count` sends through `windowed`, timed from the first send until the
 * receiving side has called `pair.onJob` once per message (set here, read by the consumer).
 */
export async function sendThroughput(pair: { onJob: (seq: number) => void }, count: number, send: (seq: number) => Promise<void>): Promise<number> {
  let handled = 0;
  const done = new Promise<void>((resolve) => (pair.onJob = () => ++handled === count && resolve()));
  const start = performance.now();
  await windowed(count, send);
  await done;
  return count / ((performance.now() - start) / 1_000);
}
