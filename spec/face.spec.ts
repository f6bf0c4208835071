import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import * as airlock from '../index.ts';
import type { MachineEvent, RunOptions, SystemEvent } from '../index.ts';
import * as dmzFloat from '../actors/dmz-float/index.ts';
import * as tunnel from '../actors/dmz-float/tunnel/index.ts';
import * as ops from '../actors/ops/index.ts';
import * as clients from '../actors/split-broker/client/index.ts';
import * as splitBroker from '../actors/split-broker/index.ts';
import * as relay from '../actors/relay/index.ts';
import * as rendezvous from '../actors/rendezvous/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** package.json's `exports`: each face of the package, compiled into dist/ (spec/package/pack.spec.ts uses them). */
const EXPORTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
const FACES = Object.entries(EXPORTS).filter((entry): entry is [string, { types: string; default: string }] => typeof entry[1] === 'object');

/** The source of a face: `./dist/x/index.js` is compiled from `x/index.ts`. */
function sourceOf(face: { default: string }): string {
  return join(ROOT, face.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
}

/** Imports the source of the subpath `airlock/<name>`, as the package's exports map it. */
function importFace(subpath: string): Promise<Record<string, unknown>> {
  const face = FACES.find(([key]) => key === subpath);
  assert.ok(face, `package.json exports no ${subpath}`);
  return import(pathToFileURL(sourceOf(face[1])).href) as Promise<Record<string, unknown>>;
}

/** What a user writes topologies with; everything else stays internal or behind a subpath. */
const PUBLIC_FACE = [
  'ActorCrashedError', 'ActorStoppedError', 'AirlockError', 'AskTimeoutError', 'ChildRunningError', 'DeliveryAttemptsExceededError', 'DuplicateChildError',
  'InvalidAddressError', 'InvalidMessageError', 'InvalidSpecError', 'MailboxFullError', 'MalformedFrameError', 'NoReplyError',
  'NotADynamicSupervisorError', 'NotSupervisedError', 'OversizedMessageError', 'RunningTopology', 'SystemStoppedError', 'TooManyChildrenError',
  'UnknownAddressError', 'UnknownMessageTypeError', 'VirtualClock', 'address', 'child', 'connectRabbit', 'createSystem',
  'defineActor', 'defineMachineActor', 'defineProtocol', 'defineTopology', 'defineWireErrors', 'dynamicSupervisor', 'errorMessage', 'realClock',
  'realNetwork', 'realPorts', 'realRandom', 'registerErrors', 'replyWith', 'run', 'seededRandom', 'serveHttp', 'supervisor',
  'withConfig',
];

/** The optional parts, each its own subpath: a transport, the simulation, the test tools. */
const OPTIONAL_FACES: Record<string, string[]> = {
  './rabbitmq': [
    'BrokerUnavailableError', 'DEAD_LETTER_HEADERS', 'DeadLetterQueue', 'HEADERS_DROPPED', 'InvalidBrokerUrlsError', 'LEASE_RENEW_MS', 'NoDeadLetterQueueError',
    'OversizedHeadersError', 'PublishNackedError', 'QueueMismatchError', 'RabbitLease', 'RabbitTransport', 'TransientMessageLostError',
    'UnpublishableMessageError', 'connectRabbit', 'deadLetterQueueName', 'queueName',
  ],
  './postgres': [
    'DEDUPE_CLAIMS_PER_MAILBOX', 'DEDUPE_PRUNE_EVERY_MS', 'DEDUPE_RETENTION_MS', 'DEFAULT_DEDUPE_TABLE', 'DedupeStoreUnavailableError', 'InvalidDedupeTableError',
    'NoDedupeTransactionError', 'PgDedupeStore',
  ],
  './amqp10': [
    'LinkConnectError', 'LinkConnectTimeoutError', 'LinkLostError', 'LinkRefusedError', 'PeerIdentityError', 'amqp10Links', 'carriesName', 'identityOf',
    'issueCertificate', 'lazyAmqp10Links', 'makeCertificateAuthority', 'namesOf',
  ],
  './sim': [
    'BREAKAGES', 'BROKER_HOST', 'DEFAULT_WORLD', 'DeliveryLedger', 'FaultDice', 'FaultNotAppliedError', 'NO_FAULTS', 'ScenarioMisuseError', 'SimBroker',
    'SimDurableTransport', 'SimLinks', 'SimLocalTransport', 'SimNetwork', 'SimNode', 'SimScheduler', 'SimWorld', 'SimulatedCrashError',
    'SimulationFailedError', 'Trace', 'assertSeedsPass', 'checkInvariants', 'completedInBound', 'confirmedNotLost', 'faultRates', 'faultsApplied',
    'formatEntry', 'formatResult', 'handledOnce', 'orderPerLink', 'replayCommand', 'runScenario', 'startTree',
    'supervisionWithinIntensity', 'sweepSeeds',
  ],
  './testing': ['freePort', 'startCuttableProxy', 'until'],
};

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

/** What a user composing the DMZ float design writes topologies with (`airlock/dmz-float`). */
const DMZ_FLOAT_FACE = [
  'BridgeControlProtocol', 'BridgeManagerConfig', 'FloatConfig', 'FloatEndpoint', 'FloatProtocol', 'FloatStatusReply',
  'InboxRegistryConfig', 'OutboundProtocol', 'OutboundQueue', 'PeerInboxProtocol', 'QueueConsumerConfig', 'ReconnectSettings',
  'RemotePeer', 'TlsSettings', 'bridgeControlTransient', 'bridgeManagerActor', 'floatActor', 'inboxRegistryActor',
  'isFinalRefusal', 'isRefusal', 'outboundQueueOf', 'queueConsumerActor',
];

/** `airlock/relay`: the ciphertext relay's tree, its actors' protocols and configs, and the client library. */
const RELAY_FACE = [
  'Attachment', 'CircuitProtocol', 'IdentityMismatchError', 'ListenerConfig', 'ListenerProtocol', 'RegistryConfig', 'RegistryProtocol',
  'RelayRefusedError', 'RelayUnavailableError', 'STATUS', 'attach', 'connect', 'identityOf', 'isIdentity', 'registryActor', 'relayTree',
];

/** `airlock/rendezvous`: the rendezvous tree, its actors' protocols and configs, the stores, the client library, sealing and opening, the errors. */
const RENDEZVOUS_FACE = [
  'BucketFingerprintError', 'BucketRefusedError', 'ConnectionLinkError', 'DEFAULT_STRENGTH', 'INSECURE_TEST_STRENGTH', 'MAX_LINKS_PER_BUCKET',
  'MemoryBucketStore', 'PostgresBucketStore', 'REFUSALS', 'RendezvousEndpointConfig', 'RendezvousEndpointProtocol', 'RendezvousProtocol',
  'RendezvousServerConfig', 'RendezvousUnavailableError', 'SEALED_LINK_BYTES', 'StoreUnavailableError', 'actorRendezvous', 'bucketHash',
  'checkBucketId', 'decodeBucketId', 'findLink', 'httpRendezvous', 'openLink', 'rendezvousEndpointActor', 'rendezvousServerActor', 'rendezvousTree', 'sealLink',
  'storeLink',
];

/** The tunnel contract: what the Float and the BridgeManager both speak (internal to the design). */
const TUNNEL_CONTRACT = [
  'ALREADY_ACTIVE', 'Activation', 'ActivationRefusedError', 'FORWARDED', 'PublicTls', 'TUNNEL', 'TUNNEL_CONDITIONS',
  'admittedBytes', 'decodeActivation', 'encodeActivation',
];

describe('the public face', () => {
  it("the root exports the user's API and nothing else", () => {
    assert.deepEqual(Object.keys(airlock).sort(), PUBLIC_FACE);
  });

  it('exports the types the README names (a missing one fails `tsc --noEmit`, as TS2305)', () => {
    const Door = airlock.defineProtocol('door', { open: { body: z.object({ by: z.string() }) } });
    const event: MachineEvent<typeof Door> = { type: 'open', body: { by: 'ada' }, envelope: { id: '1', to: 'door', type: 'open', body: { by: 'ada' }, attempt: 0 } };
    const options: RunOptions = { onEvent: (seen: SystemEvent) => void seen };
    assert.deepEqual([event.body, typeof options.onEvent], [{ by: 'ada' }, 'function']);
  });

  it('keeps internals and a mocha-shadowing `describe` out of the root', () => {
    for (const name of ['ActorCell', 'BoundedMailbox', 'MailboxRegistry', 'PendingAsks', 'TimerQueue', 'SimBroker', 'SimWorld', 'checkInvariants', 'describe']) {
      assert.ok(!(name in airlock), `${name} is exported from the root`);
    }
  });

  it('maps every face of the package to its declarations and JavaScript in dist/, compiled from a source face', () => {
    const keys = FACES.map(([key]) => key);
    for (const key of ['.', './rabbitmq', './amqp10', './sim', './testing', './clients', './split-broker', './dmz-float', './relay', './rendezvous']) assert.ok(keys.includes(key), `no ${key}`);
    for (const [key, face] of FACES) {
      assert.ok(face.default.startsWith('./dist/') && face.default.endsWith('.js'), `${key}: ${face.default}`);
      assert.equal(face.types, face.default.replace(/\.js$/, '.d.ts'), key);
      assert.ok(existsSync(sourceOf(face)), `${key}: no ${relative(ROOT, sourceOf(face))}`);
    }
    assert.equal(sourceOf(FACES[0][1]), join(ROOT, 'index.ts'));
    assert.ok(!FACES.some(([, face]) => sourceOf(face) === join(ROOT, 'internal.ts')), 'internal.ts is a face of the package');
  });

  it('each optional subpath exports its pinned list, imported as package.json maps it', async () => {
    for (const [subpath, names] of Object.entries(OPTIONAL_FACES)) {
      assert.deepEqual(Object.keys(await importFace(subpath)).sort(), names, subpath);
    }
    const amqp10 = (await importFace('./amqp10')) as { amqp10Links: { connect: unknown } };
    assert.equal(typeof amqp10.amqp10Links.connect, 'function');
  });
});

describe('the design faces', () => {
  it('airlock/split-broker exports what composing the design takes, and nothing else', () => {
    assert.deepEqual(Object.keys(splitBroker).sort(), SPLIT_BROKER_FACE);
  });

  it('airlock/clients exports the client library, and nothing else', () => {
    assert.deepEqual(Object.keys(clients).sort(), CLIENTS_FACE);
  });

  it("actors/ops exports the node's /metrics listener and registry, and nothing else", () => {
    assert.deepEqual(Object.keys(ops).sort(), OPS_FACE);
  });

  it('airlock/dmz-float exports the actors, their protocols and configs, and nothing else', () => {
    assert.deepEqual(Object.keys(dmzFloat).sort(), DMZ_FLOAT_FACE);
  });

  it('airlock/relay exports the tree, its protocols and configs, the client library, and nothing else', async () => {
    assert.deepEqual(Object.keys(relay).sort(), RELAY_FACE);
    assert.deepEqual(Object.keys(await importFace('./relay')).sort(), RELAY_FACE);
    for (const name of ['Registry', 'Splice', 'StreamHandoff', 'FrameReader', 'encodeFrame', 'listenerActor', 'circuitActor', 'serverTls']) assert.ok(!(name in relay), `${name} is on airlock/relay`);
  });

  it('airlock/rendezvous exports the tree, its protocols and configs, the stores, the client library and the errors, and nothing else', async () => {
    assert.deepEqual(Object.keys(rendezvous).sort(), RENDEZVOUS_FACE);
    assert.deepEqual(Object.keys(await importFace('./rendezvous')).sort(), RENDEZVOUS_FACE);
    for (const name of ['BucketRules', 'RatePerSource', 'encodeConnectionLink', 'decodeConnectionLink', 'openAny', 'deriveKey', 'FlakyStore']) assert.ok(!(name in rendezvous), `${name} is on airlock/rendezvous`);
  });

  it("the DMZ float's tunnel/ holds the whole tunnel contract, and only it", () => {
    assert.deepEqual(Object.keys(tunnel).sort(), TUNNEL_CONTRACT);
  });

  it('keeps internals out of every design face', () => {
    const splitBrokerInternals = ['ProxyHeap', 'TokenBuckets', 'base32Encode', 'RegistrationReassembler', 'LabeledCounts', 'Matcher', 'OracleKeys', 'RegistrationOpener', 'EdgeBounds', 'HttpExchange', 'NonceMemory'];
    for (const face of [splitBroker, clients, ops]) for (const name of splitBrokerInternals) assert.ok(!(name in face), `${name} is on a face`);
    for (const name of ['TUNNEL', 'FORWARDED', 'Activation', 'encodeActivation', 'decodeActivation', 'AuditLog', 'PeerGate', 'DEFAULT_MAX_MESSAGE_BYTES', 'hasCode']) {
      assert.ok(!(name in dmzFloat), `${name} is exported from airlock/dmz-float`);
    }
  });
});
