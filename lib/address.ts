import { InvalidAddressError } from './errors.ts';

/**
 * A stable, human-readable path naming one actor, e.g. `broker/registrars/http-post`.
 * Refs are location-transparent: the system maps an address to a mailbox wherever it lives.
 */
export type Address = string;

const SEGMENT = /^[A-Za-z0-9_.$~-]+$/;

/** A child's id, and so a node's name: one segment, without the `$` of system addresses, at most 64 characters. */
const ID = /^[A-Za-z0-9_.~-]{1,64}$/;

export function isId(text: string): boolean {
  return ID.test(text);
}

/** Checks an address and returns it; throws `InvalidAddressError` for empty or odd segments. */
export function address(path: string): Address {
  if (path.length === 0) throw new InvalidAddressError(path, 'empty');
  if (path.length > 255) throw new InvalidAddressError(path, 'longer than 255 characters');
  for (const segment of path.split('/')) {
    if (!SEGMENT.test(segment)) throw new InvalidAddressError(path, `bad segment '${segment}'`);
  }
  return path;
}

export function childAddress(parent: Address, id: string): Address {
  return address(`${parent}/${id}`);
}

export function parentOf(path: Address): Address | undefined {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? undefined : path.slice(0, cut);
}

/** Whether `path` is `ancestor` itself or lives below it. */
export function isWithin(path: Address, ancestor: Address): boolean {
  return path === ancestor || path.startsWith(ancestor + '/');
}
