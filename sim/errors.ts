import { AirlockError, defineWireErrors, type RegisteredErrors } from '../lib/index.ts';

// The errors the simulation harness reports, registered at load so `errorFromWire` rebuilds them in any process.

/** A crash a simulation injected on purpose (seeded), to exercise supervision and redelivery. */
export class SimulatedCrashError extends AirlockError {
  constructor(readonly address: string) {
    super('SIMULATED_CRASH', `simulated crash of ${address}`);
  }
}

/** A world or scenario used the wrong way: a node it never added, a fault scheduled after calm. */
export class ScenarioMisuseError extends AirlockError {
  constructor(readonly run: string, reason: string) {
    super('SCENARIO_MISUSE', `simulation (${run}): ${reason}`);
  }
}

/** A seed broke an invariant; the message carries the seed's result and the command that replays it. */
export class SimulationFailedError extends AirlockError {
  constructor(readonly seed: number, report: string) {
    super('SIMULATION_FAILED', `simulation failed\n${report}`);
  }
}

const SIM_ERRORS = defineWireErrors({
  SIMULATED_CRASH: SimulatedCrashError,
  SCENARIO_MISUSE: ScenarioMisuseError,
  SIMULATION_FAILED: SimulationFailedError,
});

declare module '../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof SIM_ERRORS> {}
}
