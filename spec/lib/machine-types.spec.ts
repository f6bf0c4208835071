// Type-level checks: each `@ts-expect-error` below must be an error, or `tsc --noEmit` fails.
import assert from 'node:assert/strict';
import { setup } from 'xstate';
import { z } from 'zod';
import { defineMachineActor, defineProtocol, type MachineEvent } from '../../internal.ts';

const Door = defineProtocol('door', {
  open: { body: z.object({ by: z.string() }) },
  close: { body: z.object({}) },
});

/** A machine that takes `events` and `input` of the given types and does nothing with them. */
function machineOf<E extends { type: string }, I = undefined>() {
  return setup({ types: { events: {} as E, input: {} as I } }).createMachine({});
}

describe('machine actor types', () => {
  it('accepts machines whose events the protocol sends, as a value or built from the context', () => {
    const definitions = [
      defineMachineActor({ protocol: Door, machine: machineOf<MachineEvent<typeof Door>>() }),
      defineMachineActor({ protocol: Door, machine: () => machineOf<Extract<MachineEvent<typeof Door>, { type: 'close' }>>() }),
      defineMachineActor({ protocol: Door, machine: machineOf<{ type: 'open'; body: { by: string } }>() }),
      defineMachineActor({ protocol: Door, machine: machineOf<{ type: string }>() }),
      defineMachineActor({ protocol: Door, machine: machineOf<MachineEvent<typeof Door>, { floor: number }>(), input: () => ({ floor: 3 }) }),
    ];
    assert.deepEqual(definitions.map((definition) => definition.kind), ['machine', 'machine', 'machine', 'machine', 'machine']);
  });

  it('refuses a machine that expects an event type the protocol lacks', () => {
    const definitions = [
      // @ts-expect-error -- 'knock' is not a message of the door protocol
      defineMachineActor({ protocol: Door, machine: machineOf<MachineEvent<typeof Door> | { type: 'knock'; body: object }>() }),
      // @ts-expect-error -- the same, for a machine built from the context
      defineMachineActor({ protocol: Door, machine: () => machineOf<{ type: 'knock'; body: object }>() }),
    ];
    assert.equal(definitions.length, 2);
  });

  it('refuses a machine that expects a body the protocol does not send', () => {
    // @ts-expect-error -- the protocol's `open` carries `by: string`, not `by: number`
    const definition = defineMachineActor({ protocol: Door, machine: machineOf<{ type: 'open'; body: { by: number } }>() });
    assert.equal(definition.kind, 'machine');
  });

  it('refuses an input that does not fit the machine\'s input type', () => {
    // @ts-expect-error -- the machine's input is `{ floor: number }`
    const definition = defineMachineActor({ protocol: Door, machine: machineOf<MachineEvent<typeof Door>, { floor: number }>(), input: () => ({ floor: 'third' }) });
    assert.equal(definition.kind, 'machine');
  });
});
