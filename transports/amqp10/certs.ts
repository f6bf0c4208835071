import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

// Node's WebCrypto; its type (node:crypto's) and the DOM's `Crypto` the library names differ only nominally.
x509.cryptoProvider.set(globalThis.crypto as unknown as ReturnType<typeof x509.cryptoProvider.get>);

/** ECDSA over P-256 with SHA-256: small keys every TLS stack and `openssl verify` accept. */
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export interface CertificateAuthority {
  readonly name: string;
  readonly certificate: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
  /** The CA certificate, PEM: the trust root every party is given. */
  readonly certPem: string;
  readonly keyPem: string;
}

/** Which side of a TLS connection a leaf may play; nodes, floats and peers play both. */
export type LeafRole = 'server' | 'client' | 'both';

export interface LeafRequest {
  /** The subject CN, also a SAN DNS name and the URI `urn:airlock:<name>`. */
  name: string;
  /** More SAN DNS names (e.g. `localhost`, a float's public host name). */
  dnsNames?: string[];
  /** SAN IP addresses (e.g. `127.0.0.1`). */
  ips?: string[];
  role?: LeafRole;
  validDays?: number;
}

export interface IssuedCertificate {
  readonly name: string;
  readonly certificate: x509.X509Certificate;
  readonly certPem: string;
  /** PKCS#8, PEM. */
  readonly keyPem: string;
}

/** A self-signed CA (basic constraints CA, path length 0): the root of trust of a test deployment. */
export async function makeCertificateAuthority(name: string, validDays = 365): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${escapeDn(name)}`,
    ...validity(validDays),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { name, certificate, keys, certPem: certificate.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** A leaf signed by `ca`, with real names: CN, SAN DNS names, URI and IPs. */
export async function issueCertificate(ca: CertificateAuthority, request: LeafRequest): Promise<IssuedCertificate> {
  const keys = await generateKeys();
  const role = request.role ?? 'both';
  const usages = [
    ...(role === 'client' ? [] : [x509.ExtendedKeyUsage.serverAuth]),
    ...(role === 'server' ? [] : [x509.ExtendedKeyUsage.clientAuth]),
  ];
  const names: x509.JsonGeneralNames = [
    ...[request.name, ...(request.dnsNames ?? [])].map((value) => ({ type: 'dns' as const, value })),
    { type: 'url', value: `urn:airlock:${request.name}` },
    ...(request.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${escapeDn(request.name)}`,
    issuer: ca.certificate.subject,
    ...validity(request.validDays ?? 365),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension(usages, false),
      new x509.SubjectAlternativeNameExtension(names, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return { name: request.name, certificate, certPem: certificate.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return globalThis.crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await globalThis.crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** 16 random bytes, top bit clear so the DER integer stays positive. */
function serialNumber(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** Backdated an hour, so clocks a little apart still agree the certificate is valid. */
function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 3_600_000), notAfter: new Date(now + days * DAY_MS) };
}

/** Names go into a DN string: characters with a meaning there are escaped. */
function escapeDn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}
