import { watchLauncher } from './launcher-watch.ts';

/** Why `airlock run` was asked to stop: a signal, or the npx that started it was killed. */
export type StopReason = NodeJS.Signals | 'SIGTERM to npx';

export interface StopRequest {
  /** Resolves with the first reason to stop. */
  readonly requested: Promise<StopReason>;
  /** Stops listening (a signal that already came leaves its "second signal means now" handlers). */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM (and, under npx, for npx's end) from the moment it is called, so
 * a signal that arrives while the node starts stops it gracefully once started instead of killing
 * it half-way: call it before starting anything.
 */
export function listenForStop(env: NodeJS.ProcessEnv): StopRequest {
  const launcher = watchLauncher(env);
  const signals = listenForSignals();
  const requested = Promise.race([signals.first, launcher.gone.then((): StopReason => 'SIGTERM to npx')]);
  return {
    requested,
    dispose: () => {
      launcher.stop();
      signals.stopListening();
    },
  };
}

/** The first SIGINT or SIGTERM; once one came, a second one exits at once, skipping the graceful part. */
function listenForSignals(): { first: Promise<NodeJS.Signals>; stopListening(): void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const stopListening = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const first = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (signal) => {
      stopListening();
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { first, stopListening };
}
