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
