import type { Scenario } from '../index.ts';
import { askPartition } from './ask-partition.ts';
import { dmzFloat } from './dmz-float.ts';
import { brokerRestart } from './orders.ts';
import { pipelineDurable, pipelineInProcess } from './pipeline.ts';
import { splitBrokerFaults } from './split-broker.ts';
import { relayScenario } from './relay.ts';
import { rendezvousScenario } from './rendezvous.ts';

/** Every scenario the runner knows, by name. */
export const scenarios: readonly Scenario[] = [pipelineDurable, pipelineInProcess, askPartition, brokerRestart, splitBrokerFaults, dmzFloat, relayScenario, rendezvousScenario];

export function scenarioNamed(name: string): Scenario | undefined {
  return scenarios.find((scenario) => scenario.name === name);
}
