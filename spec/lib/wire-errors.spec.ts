import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Packr, unpack, pack } from 'msgpackr';
import {
  ActorCrashedError,
  AirlockError,
  AskTimeoutError,
  BrokerUnavailableError,
  DuplicateErrorCodeError,
  InvalidMessageError,
  NotSupervisedError,
  defineWireErrors,
  errorFromWire,
  errorToWire,
  registerErrors,
  type RegisteredErrors,
} from '../../internal.ts';
import { BrokerRequestError } from '../../actors/split-broker/client/index.ts';

/** Through msgpack and back, as a reply crossing RabbitMQ does. */
const across = (error: Error) => errorFromWire(unpack(pack(errorToWire(error))));

describe('errors across processes', () => {
  it('come back as instances of their own class, with their fields', () => {
    const crashed = across(new ActorCrashedError('shop/parser', new Error('bad order')));
    assert.ok(crashed instanceof ActorCrashedError);
    assert.ok(crashed instanceof AirlockError);
    assert.equal(crashed.address, 'shop/parser');
    assert.equal(crashed.code, 'ACTOR_CRASHED');
    assert.equal(crashed.name, 'ActorCrashedError');
    assert.equal(crashed.message, 'actor shop/parser crashed handling the message: bad order');

    const timedOut = across(new AskTimeoutError('back/ledger', 'total', 250));
    assert.ok(timedOut instanceof AskTimeoutError);
    assert.deepEqual([timedOut.to, timedOut.type, timedOut.timeoutMs], ['back/ledger', 'total', 250]);

    const invalid = across(new InvalidMessageError('ledger', 'add', ['cents: expected number']));
    assert.ok(invalid instanceof InvalidMessageError);
    assert.deepEqual(invalid.issues, ['cents: expected number']);
  });

  it('keep an unknown code as a plain AirlockError, and a foreign error as an Error', () => {
    const unknown = errorFromWire({ code: 'FROM_THE_FUTURE', message: 'new kind' });
    assert.equal(Object.getPrototypeOf(unknown), AirlockError.prototype);
    assert.equal((unknown as AirlockError).code, 'FROM_THE_FUTURE');
    assert.equal(errorFromWire({ message: 'no code' }).constructor, Error);
    assert.equal(errorFromWire('garbage').message, 'remote error');
  });

  it('copy only plain fields from the wire, never structure or reserved names', () => {
    const error = errorFromWire({
      code: 'ACTOR_STOPPED',
      message: 'stopped',
      fields: { address: 'a/b', nested: { evil: true }, list: [{ evil: true }], stack: 'forged', ['__proto__']: 'x' },
    }) as AirlockError & Record<string, unknown>;
    assert.equal(error.address, 'a/b');
    assert.equal(error.nested, undefined);
    assert.equal(error.list, undefined);
    assert.equal(Object.hasOwn(error, '__proto__'), false);
    assert.notEqual(error.stack, 'forged');
    assert.equal(Object.getPrototypeOf(error).constructor.name, 'ActorStoppedError');
  });

  it('never return a decoded object itself: an Error decoded by msgpackr becomes a new error of plain fields', () => {
    const forged = Object.assign(new Error('forged'), { code: 'ACTOR_CRASHED', fields: { address: 'a/b' } });
    // msgpackr's Error extension, as a sender with structured types on would write it.
    const decoded = new Packr({ moreTypes: true }).unpack(new Packr({ moreTypes: true }).pack(forged)) as Error;
    assert.ok(decoded instanceof Error);
    const fromDecoded = errorFromWire(decoded);
    assert.notEqual(fromDecoded, decoded);
    assert.equal(fromDecoded.constructor, Error);
    assert.equal(fromDecoded.message, 'forged');

    const fromForged = errorFromWire(forged) as ActorCrashedError;
    assert.notEqual(fromForged, forged);
    assert.ok(fromForged instanceof ActorCrashedError);
    assert.deepEqual([fromForged.message, fromForged.address, fromForged.stack === forged.stack], ['forged', 'a/b', false]);
  });

  it('read only own fields: inherited or getter-made code, message and fields are ignored', () => {
    const inherited = Object.create({ code: 'ACTOR_STOPPED', message: 'inherited', fields: { address: 'x' } }) as object;
    const viaGetter = { get code() { return 'ACTOR_STOPPED'; }, get message() { return 'getter'; } };
    for (const body of [inherited, viaGetter, ['ACTOR_STOPPED', 'array'], null, 42]) {
      const error = errorFromWire(body);
      assert.equal(error.constructor, Error);
      assert.equal(error.message, 'remote error');
    }
  });
});

/** An error of a layer outside lib, registered by the module that defines it (as each actor's errors.ts does). */
class OrderRefusedError extends AirlockError {
  constructor(readonly order: string) {
    super('SPEC_ORDER_REFUSED', `order ${order} refused`);
  }
}

/** A class whose `code` is a literal: registered under any other code, it fails to compile. */
class ParcelLostError extends AirlockError {
  override readonly code = 'SPEC_PARCEL_LOST';

  constructor() {
    super('SPEC_PARCEL_LOST', 'parcel lost');
  }
}

const SPEC_ERRORS = defineWireErrors({ SPEC_ORDER_REFUSED: OrderRefusedError, SPEC_PARCEL_LOST: ParcelLostError });

declare module '../../lib/wire-errors.ts' {
  interface ErrorRegistry extends RegisteredErrors<typeof SPEC_ERRORS> {}
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The TypeScript compiler's diagnostics for `files` (name → source), compiled against this repository's lib. */
async function compile(files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-wire-errors-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(ROOT, 'tsconfig.json'), compilerOptions: { types: [], typeRoots: [] }, include: [], files: Object.keys(files) }));
    for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source.replaceAll('LIB/', join(ROOT, 'lib/')));
    const result = await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir]).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('error codes registered by their layers', () => {
  it("rebuild a layer's own error as its class, with its fields", () => {
    const refused = across(new OrderRefusedError('A-17'));
    assert.ok(refused instanceof OrderRefusedError);
    assert.deepEqual([refused.code, refused.name, refused.order, refused.message], ['SPEC_ORDER_REFUSED', 'OrderRefusedError', 'A-17', 'order A-17 refused']);
    // Layers outside lib register theirs at load, like this module: supervision, RabbitMQ, the clients.
    assert.ok(across(new NotSupervisedError('edge/http')) instanceof NotSupervisedError);
    assert.ok(across(new BrokerUnavailableError('amqp://broker')) instanceof BrokerUnavailableError);
    assert.ok(across(new BrokerRequestError('http://broker/', 'timeout', 'no answer')) instanceof BrokerRequestError);
  });

  it('refuse a second class for a code that is taken', () => {
    class Impostor extends AirlockError {}
    const taken = (error: unknown) =>
      error instanceof DuplicateErrorCodeError && error.code === 'DUPLICATE_ERROR_CODE' && error.duplicate === 'SPEC_ORDER_REFUSED' && error.registered === 'OrderRefusedError' && error.claimant === 'Impostor';
    assert.throws(() => registerErrors({ SPEC_ORDER_REFUSED: Impostor as typeof OrderRefusedError }), taken);
    assert.throws(() => registerErrors({ ACTOR_CRASHED: Impostor as typeof ActorCrashedError }), (error: unknown) => error instanceof DuplicateErrorCodeError && error.registered === 'ActorCrashedError');
    assert.ok(across(new OrderRefusedError('B-2')) instanceof OrderRefusedError, 'the first class keeps its code');
    assert.throws(() => defineWireErrors({ SPEC_PARCEL_LOST: Impostor }), (error: unknown) => error instanceof DuplicateErrorCodeError && error.registered === 'ParcelLostError');
  });

  it('defineWireErrors registers the classes and returns them, each under its code', () => {
    assert.deepEqual(SPEC_ERRORS, { SPEC_ORDER_REFUSED: OrderRefusedError, SPEC_PARCEL_LOST: ParcelLostError });
    assert.ok(across(new ParcelLostError()) instanceof ParcelLostError);
  });

  it('refuse at compile time a code two layers claim with different classes, and a literal code registered under another', async function () {
    this.timeout(30_000);
    const layer = (name: string, code: string, extra: string) => `
      import { AirlockError } from 'LIB/errors.ts';
      import { defineWireErrors, type RegisteredErrors } from 'LIB/wire-errors.ts';
      export class ${name} extends AirlockError {
        readonly ${extra} = true;
        constructor() { super('${code}', '${name}'); }
      }
      const ERRORS = defineWireErrors({ ${code}: ${name} });
      declare module 'LIB/wire-errors.ts' {
        interface ErrorRegistry extends RegisteredErrors<typeof ERRORS> {}
      }`;
    assert.equal(await compile({ 'a.ts': layer('FirstError', 'SHARED', 'first'), 'b.ts': layer('OtherError', 'OTHER', 'other') }), '', 'two layers, two codes');
    const clash = await compile({ 'a.ts': layer('FirstError', 'SHARED', 'first'), 'b.ts': layer('SecondError', 'SHARED', 'second') });
    assert.match(clash, /error TS2320: Interface 'ErrorRegistry' cannot simultaneously extend types[\s\S]*Named property 'SHARED'/);
    const libCode = await compile({ 'a.ts': layer('TimeoutError', 'ASK_TIMEOUT', 'mine') });
    assert.match(libCode, /Named property 'ASK_TIMEOUT'/);
    const misnamed = await compile({
      'a.ts': `
        import { AirlockError } from 'LIB/errors.ts';
        import { defineWireErrors } from 'LIB/wire-errors.ts';
        class LiteralError extends AirlockError { override readonly code = 'LITERAL'; }
        defineWireErrors({ ANOTHER: LiteralError });`,
    });
    assert.match(misnamed, /error TS2322: Type 'typeof LiteralError' is not assignable to type 'never'/);
  });
});
