import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { defineTopology, run, type RunningTopology } from '../../../index.ts';
import type { Clock } from '../../../lib/ports/clock.ts';
import { issueCertificate, makeCertificateAuthority } from '../../../transports/amqp10/certs.ts';
import { ListenerProtocol, RegistryProtocol, relayTree, type Attachment, type PartyTls, type RelayedStream, type RelayHint, type RelayOptions } from '../../../actors/relay/index.ts';

export interface RelayPki {
  relay: PartyTls & { ca: string };
  /** The reserved party, behind NAT. */
  c: PartyTls;
  /** The connecting party. */
  b: PartyTls;
  /** Anyone else: a relay answering for C, another party. */
  impostor: PartyTls;
  others: PartyTls[];
}

let made: Promise<RelayPki> | undefined;

/** Certificates made in the test: a CA for the relay's own, and parties' leaves (identities are their keys; the CA does not matter to pinning). */
export function relayPki(): Promise<RelayPki> {
  made ??= (async () => {
    const ca = await makeCertificateAuthority('relay test CA');
    const leaf = async (name: string) => {
      const issued = await issueCertificate(ca, { name, dnsNames: ['localhost'], ips: ['127.0.0.1'] });
      return { key: issued.keyPem, cert: issued.certPem };
    };
    return {
      relay: { ...(await leaf('relay')), ca: ca.certPem },
      c: await leaf('party-c'),
      b: await leaf('party-b'),
      impostor: await leaf('impostor'),
      others: await Promise.all([1, 2, 3].map((n) => leaf(`party-${n}`))),
    };
  })();
  return made;
}

export interface StartedRelay {
  running: RunningTopology;
  hint: RelayHint;
  figures(): Promise<{ reservations: number; circuits: number; refusals: Record<string, number>; ended: Record<string, number> }>;
  listener(): Promise<{ connections: number; handshaking: number; links: number; waiting: number }>;
  stop(): Promise<void>;
}

/** A relay on loopback (given ports, or fresh ones), its tree at `relay`. */
export async function startRelay(options: Omit<RelayOptions, 'tls' | 'tcp'> & { clock?: Clock; tcpPort?: number; tlsPort?: number } = {}): Promise<StartedRelay> {
  const pki = await relayPki();
  const { clock, tcpPort = 0, tlsPort = 0, ...relay } = options;
  const running = run(
    defineTopology('relay-test', {
      relay: relayTree({ ...relay, tcp: { host: '127.0.0.1', port: tcpPort }, tls: { host: '127.0.0.1', port: tlsPort, key: pki.relay.key, cert: pki.relay.cert } }),
    }),
    clock ? { ports: { clock } } : {},
  );
  const status = await running.ref('relay/listener', ListenerProtocol).ask('status', {});
  return {
    running,
    hint: { host: '127.0.0.1', port: status.tcp!.port, tlsPort: status.tls!.port, ca: pki.relay.ca, servername: 'relay' },
    figures: () => running.ref('relay/registry', RegistryProtocol).ask('status', {}),
    listener: () => running.ref('relay/listener', ListenerProtocol).ask('status', {}),
    stop: () => running.stop({ drainTimeoutMs: 0 }),
  };
}

/** Everything a stream delivers until it ends or errs, and how it ended. */
export function collect(stream: Duplex): { chunks: Buffer[]; ended: Promise<{ error?: Error }>; text(): string; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<{ error?: Error }>((resolve) => {
    stream.once('error', (error) => resolve({ error }));
    stream.once('close', () => resolve({}));
  });
  return { chunks, ended, text: () => Buffer.concat(chunks).toString(), bytes: () => Buffer.concat(chunks) };
}

export const sha256 = (bytes: Buffer | Buffer[]) => {
  const hash = createHash('sha256');
  for (const chunk of Array.isArray(bytes) ? bytes : [bytes]) hash.update(chunk);
  return hash.digest('hex');
};

export const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

/** C's service: answers each chunk upper-cased, and ends its side when B ends. Returns the streams it served. */
export function serveUpper(attachment: Attachment): RelayedStream[] {
  const streams: RelayedStream[] = [];
  attachment.on('stream', (stream) => {
    streams.push(stream);
    stream.on('error', () => {});
    stream.on('data', (chunk: Buffer) => stream.write(chunk.toString().toUpperCase()));
    stream.on('end', () => stream.end());
  });
  return streams;
}

/** Writes `text` on `stream` and resolves with as many characters as it sent, once they came back. */
export function ask(stream: RelayedStream, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (chunk: Buffer) => {
      got += chunk.toString();
      if (got.length >= text.length) {
        stream.off('data', onData);
        resolve(got);
      }
    };
    stream.on('data', onData);
    stream.once('error', reject);
    stream.write(text);
  });
}
