import assert from 'node:assert/strict';
import * as dmzFloat from '../../../actors/dmz-float/index.ts';
import * as tunnel from '../../../actors/dmz-float/tunnel/index.ts';

/** What a user composing the DMZ float design writes topologies with (`airlock/dmz-float`). */
const DMZ_FLOAT_FACE = [
  'BridgeControlProtocol', 'BridgeManagerConfig', 'FloatConfig', 'FloatEndpoint', 'FloatProtocol', 'FloatStatusReply',
  'InboxRegistryConfig', 'OutboundProtocol', 'OutboundQueue', 'PeerInboxProtocol', 'QueueConsumerConfig', 'ReconnectSettings',
  'RemotePeer', 'TlsSettings', 'bridgeControlTransient', 'bridgeManagerActor', 'floatActor', 'inboxRegistryActor',
  'isFinalRefusal', 'isRefusal', 'outboundQueueOf', 'queueConsumerActor',
];

/** The tunnel contract: what the Float and the BridgeManager both speak (internal to the design). */
const TUNNEL_CONTRACT = [
  'ALREADY_ACTIVE', 'Activation', 'ActivationRefusedError', 'FORWARDED', 'PublicTls', 'TUNNEL', 'TUNNEL_CONDITIONS',
  'decodeActivation', 'encodeActivation',
];

describe('the DMZ float face', () => {
  it('exports the actors, their protocols and configs, and nothing else', () => {
    assert.deepEqual(Object.keys(dmzFloat).sort(), DMZ_FLOAT_FACE);
  });

  it('keeps the tunnel contract, the limits and the internals inside', () => {
    for (const name of ['TUNNEL', 'FORWARDED', 'Activation', 'encodeActivation', 'decodeActivation', 'AuditLog', 'PeerGate', 'DEFAULT_MAX_MESSAGE_BYTES', 'hasCode']) {
      assert.ok(!(name in dmzFloat), `${name} is exported from airlock/dmz-float`);
    }
  });

  it('keeps the whole tunnel contract in tunnel/, and only it', () => {
    assert.deepEqual(Object.keys(tunnel).sort(), TUNNEL_CONTRACT);
  });
});
