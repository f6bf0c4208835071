import { encodePublicKeys, publicKeyPath, secretKeyPath, writeKeyDir } from '../../actors/split-broker/index.ts';
import { BadUsageError } from '../errors.ts';
import { println, type CommandIo } from '../io.ts';
import { resolve } from 'node:path';

/**
 * `airlock keygen --out <dir>`: the split broker Oracle's keys. `<dir>/oracle.key` holds both
 * secrets (mode 0600; an existing one is never overwritten), `<dir>/oracle.pub` the public keys
 * clients seal to and verify with.
 */
export async function keygenCommand(args: { out: string | undefined }, io: CommandIo): Promise<number> {
  if (args.out === undefined) throw new BadUsageError('keygen needs --out <dir>');
  const dir = resolve(io.cwd, args.out);
  const keys = encodePublicKeys(writeKeyDir(dir));
  println(io.out, `wrote ${secretKeyPath(dir)} (secret, mode 0600) and ${publicKeyPath(dir)}`);
  println(io.out, `box  (X25519, clients seal to it):   ${keys.box}`);
  println(io.out, `sign (Ed25519, clients verify with): ${keys.sign}`);
  return 0;
}
