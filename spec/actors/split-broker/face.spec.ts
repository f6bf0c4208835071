import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ops from '../../../actors/ops/index.ts';
import * as clients from '../../../actors/split-broker/client/index.ts';
import * as splitBroker from '../../../actors/split-broker/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** `airlock/split-broker`: what composing the design takes. */
const SPLIT_BROKER_FACE = [
  'CLIENT_REQUEST_TIMEOUT_MS', 'CLIENT_TIMEOUT_MS', 'DEFAULT_BRIDGE_FINGERPRINT', 'DEFAULT_RELAY_PATTERN', 'DnsRegistrarConfig',
  'KeyFileError', 'MAX_REGISTRATION_BYTES', 'MatcherConfig', 'MatcherProtocol', 'NAT_TYPES', 'ORACLE_ASK_TIMEOUT_MS', 'OpsProtocol',
  'OracleConfig', 'OracleProtocol', 'PROXY_TIMEOUT_MS', 'REGISTRAR_ASK_TIMEOUT_MS', 'RegistrarConfig', 'RegistrarProtocol', 'STR_BRIDGE_NOT_FOUND',
  'STR_BROKER_UNAVAILABLE', 'STR_CANNOT_DECODE_PATH', 'STR_NO_PROXIES', 'STR_TIMED_OUT', 'STR_UNSUPPORTED_VERSION', 'ampRegistrarActor',
  'dnsRegistrarActor', 'encodePublicKeys', 'httpRegistrarActor', 'matcherActor', 'oracleActor', 'publicKeyPath', 'readPublicKeys',
  'secretKeyPath', 'splitBrokerNodes', 'writeKeyDir',
];

/** `airlock/clients`: a client's and a proxy's side of the broker. */
const CLIENTS_FACE = [
  'AmpRendezvousClient', 'AnswerSignatureError', 'BrokerRequestError', 'CLIENT_REQUEST_TIMEOUT_MS', 'DnsRendezvousClient',
  'HttpRendezvousClient', 'ProxyClient', 'RegistrationEncodingError', 'RendezvousRefusedError', 'STR_BRIDGE_NOT_FOUND',
  'STR_BROKER_UNAVAILABLE', 'STR_NO_PROXIES', 'STR_TIMED_OUT', 'SnowflakeMessageError', 'prepareRegistration', 'proxyAnswerBody',
  'proxyPollBody', 'readAnswerResponse', 'readProxyPollResponse', 'sealRegistration', 'verifyAnswer',
];

/** actors/ops: a node's /metrics listener and its registry. */
const OPS_FACE = ['MetricsRegistry', 'OpsConfig', 'OpsProtocol', 'Registry', 'counter', 'gauge', 'opsActor'];

/** The relative specifiers a file loads at run time (`import type` and `export type` load nothing). */
function valueImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)].map(([, specifier]) => specifier!);
}

/** Every file `entry` loads at run time, following relative imports (repository-relative paths). */
function loadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of valueImports(file)) visit(relative(ROOT, resolve(ROOT, dirname(file), specifier)));
  };
  visit(entry);
  return seen;
}

function sources(path: string): string[] {
  if (path.endsWith('.ts')) return [path];
  return readdirSync(join(ROOT, path), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(path, file));
}

describe('the split broker faces', () => {
  it('airlock/split-broker exports what composing the design takes, and nothing else', () => {
    assert.deepEqual(Object.keys(splitBroker).sort(), SPLIT_BROKER_FACE);
  });

  it('airlock/clients exports the client library, and nothing else', () => {
    assert.deepEqual(Object.keys(clients).sort(), CLIENTS_FACE);
  });

  it("actors/ops exports the node's /metrics listener and registry, and nothing else", () => {
    assert.deepEqual(Object.keys(ops).sort(), OPS_FACE);
  });

  it('keeps internals out of every face', () => {
    const internals = ['ProxyHeap', 'TokenBuckets', 'base32Encode', 'RegistrationReassembler', 'LabeledCounts', 'Matcher', 'OracleKeys', 'RegistrationOpener', 'EdgeBounds', 'HttpExchange', 'NonceMemory'];
    for (const face of [splitBroker, clients, ops]) for (const name of internals) assert.ok(!(name in face), `${name} is on a face`);
  });

  it('a client process loads no actor code: airlock/clients reaches only client/, wire/, limits.ts and lib/ errors', () => {
    const loaded = [...loadedBy('actors/split-broker/client/index.ts')].filter((file) => !/^actors\/split-broker\/(client|wire)\/|^actors\/split-broker\/limits\.ts$/.test(file));
    assert.deepEqual(loaded.sort(), ['lib/errors.ts', 'lib/wire-errors.ts']);
  });

  it('the example and the shipped scenario import public faces only', () => {
    const faces = new Set(['index.ts', 'actors/split-broker/index.ts', 'actors/split-broker/client/index.ts', 'actors/ops/index.ts', 'sim/index.ts']);
    const deep: string[] = [];
    for (const file of [...sources('examples/split-broker'), 'sim/scenarios/split-broker.ts']) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, specifier] of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), specifier!));
        const sameExample = file.startsWith('examples/split-broker/') && target.startsWith('examples/split-broker/');
        if (!sameExample && !faces.has(target) && !/^transports\/[^/]+\/index\.ts$/.test(target)) deep.push(`${file} imports ${specifier}`);
      }
    }
    assert.deepEqual(deep, []);
  });

  it('nothing outside examples/ imports an example', () => {
    const importers: string[] = [];
    for (const folder of ['actors', 'bench', 'sim', 'spec/actors/split-broker', 'spec/bench']) {
      for (const file of sources(folder)) {
        const text = readFileSync(join(ROOT, file), 'utf8');
        for (const [, specifier] of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
          if (relative(ROOT, resolve(ROOT, dirname(file), specifier!)).startsWith('examples/split-broker/')) importers.push(`${file} imports ${specifier}`);
        }
      }
    }
    assert.deepEqual(importers, []);
  });
});
