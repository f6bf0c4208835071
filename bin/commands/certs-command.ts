import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BadUsageError } from '../errors.ts';
import { issueCertificate, makeCertificateAuthority } from '../../transports/amqp10/index.ts';
import { println, type CommandIo } from '../io.ts';

export const CERTS_USAGE = 'airlock certs --out <dir> --names <name,name,…> [--ca-name <name>] [--dns <name,…>] [--ips <ip,…>] [--days <n>]';

/** Names are file names too: letters, digits, dot, dash, underscore. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * `airlock certs`: a test CA and a certificate per name (node, float, peer), each an ECDSA P-256
 * leaf for both TLS sides with CN and SAN (DNS name, `urn:airlock:<name>`, extra DNS names and IPs).
 * Writes ca.pem (+ ca.key) and <name>.pem + <name>.key; keys owner-only (0600), the directory 0700.
 */
export async function certsCommand(options: CertsOptions, io: CommandIo): Promise<number> {
  const args = checked(options);
  const dir = resolve(io.cwd, args.out);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await makeCertificateAuthority(args.caName, args.days);
  await save(dir, 'ca', ca.certPem, ca.keyPem);
  for (const name of args.names) {
    const leaf = await issueCertificate(ca, { name, dnsNames: args.dns, ips: args.ips, validDays: args.days });
    await save(dir, name, leaf.certPem, leaf.keyPem);
    println(io.out, `${name}.pem  ${leaf.certificate.subject}  SAN ${[name, ...args.dns].map((dns) => `DNS:${dns}`).concat(`URI:urn:airlock:${name}`, args.ips.map((ip) => `IP:${ip}`)).join(', ')}`);
  }
  println(io.out, `ca.pem  ${ca.certificate.subject}  (trust root; ca.key signs, keep it offline)`);
  println(io.out, `written to ${dir}`);
  return 0;
}

async function save(dir: string, name: string, certPem: string, keyPem: string): Promise<void> {
  await writeFile(join(dir, `${name}.pem`), certPem, { mode: 0o644 });
  const keyFile = join(dir, `${name}.key`);
  await writeFile(keyFile, keyPem, { mode: 0o600 });
  await chmod(keyFile, 0o600); // an existing file keeps its old mode on write
}

/** The options as `airlock certs` takes them (`--ca-name` and the lists still as text). */
export interface CertsOptions {
  out?: string;
  names?: string;
  'ca-name'?: string;
  dns?: string;
  ips?: string;
  days?: string;
}

function checked(values: CertsOptions) {
  if (!values.out) throw new BadUsageError(`certs needs --out: ${CERTS_USAGE}`);
  const names = list(values.names);
  if (names.length === 0) throw new BadUsageError(`certs needs --names: ${CERTS_USAGE}`);
  const bad = names.find((name) => !NAME.test(name) || name === 'ca');
  if (bad !== undefined) throw new BadUsageError(`'${bad.slice(0, 80)}' is not a usable certificate name (letters, digits, . _ -; not 'ca')`);
  if (new Set(names).size !== names.length) throw new BadUsageError('--names lists a name twice');
  const days = values.days === undefined ? 365 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new BadUsageError('--days must be a whole number of days from 1 to 3650');
  return { out: values.out, names, caName: values['ca-name'] ?? 'airlock test CA', dns: list(values.dns), ips: list(values.ips), days };
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}
