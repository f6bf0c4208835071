import assert from 'node:assert/strict';
import { BridgeManagerConfig, FloatConfig, RemotePeer } from '../../../actors/dmz-float/index.ts';
import { DEFAULT_CREDIT_PER_PEER, DEFAULT_HEALTH_CHECK_DEADLINE_MS, DEFAULT_RECONNECT, HEALTH_CHECK_PHRASE } from '../../../actors/dmz-float/limits.ts';
import { ActivationRefusedError, admittedBytes, decodeActivation, encodeActivation } from '../../../actors/dmz-float/tunnel/index.ts';

const float = { public: { host: '127.0.0.1', port: 0 }, tunnel: { host: '127.0.0.1', port: 0 } };
const bridge = {
  float: { host: '127.0.0.1', port: 5671, expectedName: 'float-a-tunnel' },
  publicTls: { key: 'k', cert: 'c', trustRoot: 'r' },
  inboxPrefix: 'internal.peers.',
  registry: 'a-bridge/registry',
};

describe('DMZ float schemas: strict where users and strangers write, defaults from limits.ts', () => {
  it('refuses a misspelt option instead of silently using the default', () => {
    assert.equal(FloatConfig.safeParse({ ...float, creditPerPeers: 1 }).success, false);
    assert.equal(FloatConfig.safeParse({ ...float, healthCheck: { host: '127.0.0.1', port: 0, deadlinMs: 5 } }).success, false);
    assert.equal(BridgeManagerConfig.safeParse({ ...bridge, queryIntervalMS: 10 }).success, false);
    assert.equal(RemotePeer.safeParse({ name: 'b', host: 'b', port: 1, expectedName: 'b', proxy: {} }).success, false);
  });

  it('takes its defaults from limits.ts', () => {
    const parsed = FloatConfig.parse({ ...float, healthCheck: { host: '127.0.0.1', port: 0 } });
    assert.equal(parsed.creditPerPeer, DEFAULT_CREDIT_PER_PEER);
    assert.equal(parsed.healthCheck?.phrase, HEALTH_CHECK_PHRASE);
    assert.equal(parsed.healthCheck?.deadlineMs, DEFAULT_HEALTH_CHECK_DEADLINE_MS);
    assert.deepEqual([parsed.healthCheck?.maxConnections, parsed.healthCheck?.maxPerSource, parsed.healthCheck?.firstByteMs], [64, 8, 1_000]);
    assert.deepEqual(BridgeManagerConfig.parse(bridge).reconnect, DEFAULT_RECONNECT);
  });

  it('refuses an activation carrying a field the Float does not know', () => {
    const activation = encodeActivation({ key: 'k', cert: 'c', trustRoot: 'r', inboxPrefix: 'internal.peers.' });
    assert.equal(decodeActivation(activation).inboxPrefix, 'internal.peers.');
    const extended = new TextEncoder().encode(JSON.stringify({ key: 'k', cert: 'c', trustRoot: 'r', inboxPrefix: 'internal.peers.', inboxes: '*' }));
    assert.throws(() => decodeActivation(extended), ActivationRefusedError);
  });

  it("admits the smaller of an activation's two limits, takes one without the path's (an older BridgeManager), and refuses a path limit that is not a positive integer within the ceiling", () => {
    const base = { key: 'k', cert: 'c', trustRoot: 'r', inboxPrefix: 'internal.peers.' };
    assert.equal(admittedBytes(decodeActivation(encodeActivation(base))), 10 * 1024 * 1024);
    assert.equal(admittedBytes(decodeActivation(encodeActivation({ ...base, pathMaxBodyBytes: 1_042_833 }))), 1_042_833);
    assert.equal(admittedBytes(decodeActivation(encodeActivation({ ...base, maxMessageBytes: 4_096, pathMaxBodyBytes: 1_042_833 }))), 4_096);
    for (const pathMaxBodyBytes of [0, -1, 1.5, '1000', 1024 * 1024 * 1024 + 1]) {
      const bytes = new TextEncoder().encode(JSON.stringify({ ...base, pathMaxBodyBytes }));
      assert.throws(() => decodeActivation(bytes), ActivationRefusedError, `pathMaxBodyBytes ${String(pathMaxBodyBytes)}`);
    }
  });

  it('gives the BridgeManager the transports\' 1 MiB frame for its inboxes unless told otherwise, and refuses a frame below 64 KiB', () => {
    assert.equal(BridgeManagerConfig.parse(bridge).inboxMaxFrameBytes, 1024 * 1024);
    assert.equal(BridgeManagerConfig.safeParse({ ...bridge, inboxMaxFrameBytes: 64 * 1024 - 1 }).success, false);
  });
});
