import type { z } from 'zod';
import { InvalidMessageError, UnknownMessageTypeError } from './errors.ts';

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

export function defineProtocol<const S extends MessageSpecs>(name: string, messages: S): Protocol<S> {
  const specOf = (type: string): MessageSpec => {
    const spec = Object.hasOwn(messages, type) ? messages[type] : undefined;
    if (!spec) throw new UnknownMessageTypeError(name, type);
    return spec;
  };
  const parse = (schema: z.ZodType, type: string, value: unknown): unknown => {
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new InvalidMessageError(
        name,
        type,
        result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`),
      );
    }
    return result.data;
  };
  return {
    name,
    messages,
    has: (type) => Object.hasOwn(messages, type),
    validate: (type, body) => parse(specOf(type).body, type, body),
    validateReply(type, reply) {
      const schema = specOf(type).reply;
      if (!schema) throw new InvalidMessageError(name, type, ['this message takes no reply']);
      return parse(schema, type, reply);
    },
  };
}
