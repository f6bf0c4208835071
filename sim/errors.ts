import { AirlockError } from '../lib/errors.ts';
import { registerErrors } from '../lib/wire-errors.ts';

// The errors the simulation harness reports, registered at load so `errorFromWire` rebuilds them in any process.

/** A crash a simulation injected on purpose (seeded), to exercise supervision and redelivery. */
export class SimulatedCrashError extends AirlockError {
  constructor(readonly address: string) {
    super('SIMULATED_CRASH', `simulated crash of ${address}`);
  }
}

declare module '../lib/wire-errors.ts' {
  interface ErrorRegistry {
    SIMULATED_CRASH: typeof SimulatedCrashError;
  }
}

registerErrors({
  SIMULATED_CRASH: SimulatedCrashError,
});
