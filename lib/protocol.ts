import { compile, INVALID, type z } from 'zod';
import { compileFn } from 'zod/v4/core';
import { InvalidMessageError, UnknownMessageTypeError, type AirlockError } from './errors.ts';

/** One message of a protocol: its body schema and, for messages that can be asked, the reply's. */
export interface MessageSpec {
  readonly body: z.ZodType;
  readonly reply?: z.ZodType;
}

export type MessageSpecs = Record<string, MessageSpec>;

/**
 * The messages one actor accepts, declared once: the TypeScript types and the runtime validator
 * both come from this schema, so a ref can only `tell` what the receiver understands and every
 * body decoded from bytes is checked against the same source of truth.
 */
export interface Protocol<S extends MessageSpecs = MessageSpecs> {
  readonly name: string;
  readonly messages: S;
  /** Validates a body decoded from bytes; returns the parsed body or throws a typed error. */
  validate(type: string, body: unknown): unknown;
  /** Validates a reply decoded from bytes. */
  validateReply(type: string, reply: unknown): unknown;
  has(type: string): boolean;
  /**
   * Why a message sent in-process is refused, or undefined: an unknown type, or (when `checkBody`)
   * a body that does not match. Checks without copying the body; the receiver gets the very object.
   */
  refusal(type: string, body: unknown, checkBody: boolean): AirlockError | undefined;
}

export type AnyProtocol = Protocol<any>;
export type SpecsOf<P> = P extends Protocol<infer S> ? S : never;
export type MessageType<P> = keyof SpecsOf<P> & string;
export type Body<P, T extends MessageType<P>> = z.output<SpecsOf<P>[T]['body']>;
export type Reply<P, T extends MessageType<P>> = SpecsOf<P>[T] extends { reply: infer R extends z.ZodType }
  ? z.output<R>
  : never;
/** The message types of `P` that declare a reply, i.e. the ones that may be asked. */
export type AskableType<P> = {
  [T in MessageType<P>]: SpecsOf<P>[T] extends { reply: z.ZodType } ? T : never;
}[MessageType<P>];
/** A message of `P` as a discriminated union on `type`. */
export type Message<P> = { [T in MessageType<P>]: { type: T; body: Body<P, T> } }[MessageType<P>];

/** One message type, ready to check: its schema, compiled once, and the body check derived from it. */
interface CompiledMessage {
  readonly body: z.ZodType;
  readonly reply: z.ZodType | undefined;
  /**
   * The body's generated check, called directly: `INVALID` or not. `schema.validate` reaches it
   * through one function every schema of the process shares, whose property reads and call see
   * every schema's shape (a ping-pong between two protocols paid ~16 ns a message for that,
   * against ~3 ns for the check itself). Undefined when zod cannot generate one.
   */
  readonly check: ((body: unknown) => unknown) | undefined;
}

/** The generated yes-or-no check of `schema` (zod's own, as `compile` makes it), or undefined. */
function generatedCheck(schema: z.ZodType): ((body: unknown) => unknown) | undefined {
  try {
    return compileFn(schema, { assertOnly: true });
  } catch {
    return undefined;
  }
}

export function defineProtocol<const S extends MessageSpecs>(name: string, messages: S): Protocol<S> {
  // zod's ahead-of-time compile of each schema: the same results and errors, several times faster;
  // a schema it cannot compile stays on zod's runtime parser. A Map: no prototype keys to guard against.
  const compiled = new Map<string, CompiledMessage>(
    Object.entries(messages).map(([type, spec]) => [
      type,
      { body: compile(spec.body), reply: spec.reply && compile(spec.reply), check: generatedCheck(spec.body) },
    ]),
  );
  const specOf = (type: string): CompiledMessage => {
    const spec = compiled.get(type);
    if (!spec) throw new UnknownMessageTypeError(name, type);
    return spec;
  };
  const invalid = (type: string, error: z.ZodError): InvalidMessageError =>
    new InvalidMessageError(
      name,
      type,
      error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
    );
  const parse = (schema: z.ZodType, type: string, value: unknown): unknown => {
    const result = schema.safeParse(value);
    if (!result.success) throw invalid(type, result.error);
    return result.data;
  };
  return {
    name,
    messages,
    has: (type) => compiled.has(type),
    validate: (type, body) => parse(specOf(type).body, type, body),
    validateReply(type, reply) {
      const schema = specOf(type).reply;
      if (!schema) throw new InvalidMessageError(name, type, ['this message takes no reply']);
      return parse(schema, type, reply);
    },
    refusal(type, body, checkBody) {
      const spec = compiled.get(type);
      if (spec === undefined) return new UnknownMessageTypeError(name, type);
      // `validate` only answers yes or no, building no copy; the issues are worked out on a refusal only.
      if (!checkBody) return undefined;
      // The generated check says yes: valid. Its no (rare) goes to zod's runtime, as `validate` does.
      const check = spec.check;
      if ((check !== undefined && check(body) !== INVALID) || spec.body.validate(body)) return undefined;
      const result = spec.body.safeParse(body);
      return result.success ? undefined : invalid(type, result.error);
    },
  };
}
