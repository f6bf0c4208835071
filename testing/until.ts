export interface UntilOptions {
  /** How long to keep checking (15 s: generous, because a busy machine delays sockets and brokers by seconds; a check that holds ends the wait at once). */
  withinMs?: number;
  /** How long to wait between checks (10 ms). */
  everyMs?: number;
}

/**
 * Waits until `check` holds: real sockets and brokers take a few turns, and a test that sleeps a
 * fixed time is either slow or flaky on a busy machine. Fails naming `what`, which may be a
 * function for a message that reports the state at the time of the failure. It runs on real time
 * on purpose: it waits for the world outside the system (a VirtualClock drives the inside).
 */
export async function until(check: () => boolean | Promise<boolean>, what: string | (() => string), options: UntilOptions = {}): Promise<void> {
  const { withinMs = 15_000, everyMs = 10 } = options;
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
