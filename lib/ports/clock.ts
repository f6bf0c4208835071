/** A scheduled callback that can be cancelled before it fires. */
export interface Timer {
  cancel(): void;
}

/**
 * Time, as the system sees it. Actors and the runtime read the time and schedule work only
 * through this port, so a virtual clock can drive the very same code deterministically.
 */
export interface Clock {
  /** Milliseconds since the epoch (real) or since the start of a run (virtual). */
  now(): number;
  /** Calls `fire` once, `delayMs` from now. */
  setTimer(delayMs: number, fire: () => void): Timer;
}

/** The wall clock: `Date.now` and Node's timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, fire) {
    const handle = setTimeout(fire, Math.max(0, delayMs));
    // A method, not an arrow property: tsx (esbuild keepNames) would name each arrow with a defineProperty per timer.
    return {
      cancel() {
        clearTimeout(handle);
      },
    };
  },
};
