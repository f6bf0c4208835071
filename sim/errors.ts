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

/**
 * A fault the scenario scheduled could not apply: a `crash-actor` at an address no node hosts, at
 * an actor not marked `world.crashable`, or at one that handled no message before the run ended.
 * A run with one fails (invariant `faults-applied`): a crash test must not pass having tested nothing.
 */
export class FaultNotAppliedError extends AirlockError {
  constructor(readonly fault: string, readonly target: string, reason: string) {
    super('FAULT_NOT_APPLIED', `scheduled ${fault} of ${target} did not apply: ${reason}`);
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
  FAULT_NOT_APPLIED: FaultNotAppliedError,
  SIMULATION_FAILED: SimulationFailedError,
});

declare module '../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof SIM_ERRORS> {}
}
