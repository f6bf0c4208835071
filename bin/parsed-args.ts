// Straight from lib's files, not the package face: `airlock --help` must not load every layer.
import { address, type Address } from '../lib/address.ts';
import { BadUsageError } from './errors.ts';
import { InvalidAddressError } from '../lib/errors.ts';
import type { AmqpArgs } from './rabbit-transport.ts';

/** A command line after `parseArgs`: the command, its positionals and its options. */
export interface ParsedArgs {
  readonly command: string;
  readonly rest: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  return args.values[name] as string | undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** `--amqp <url> [--namespace <ns>]`, or undefined for the local admin sockets. */
export function amqpOption(args: ParsedArgs): AmqpArgs | undefined {
  const url = stringOption(args, 'amqp');
  const namespace = stringOption(args, 'namespace');
  if (url === undefined) {
    if (namespace !== undefined) throw new BadUsageError('--namespace goes with --amqp');
    return undefined;
  }
  return { url, namespace };
}

/** A whole number option (`--timeout`, `--seed`…); `positive` refuses 0. */
export function integerOption(args: ParsedArgs, name: string, { positive = false } = {}): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || (positive && value === 0)) {
    throw new BadUsageError(`--${name} takes a ${positive ? 'positive' : 'non-negative'} whole number, not '${text}'`);
  }
  return value;
}

/** The one positional a command takes. */
export function onePositional(args: ParsedArgs, what: string): string {
  if (args.rest.length !== 1) throw new BadUsageError(`${args.command} takes exactly one ${what}`);
  return args.rest[0];
}

/** An address typed on the command line: a malformed one is a usage error (exit 2), caught before any connection. */
export function addressArgument(text: string): Address {
  try {
    return address(text);
  } catch (error) {
    if (error instanceof InvalidAddressError) throw new BadUsageError(error.message);
    throw error;
  }
}
