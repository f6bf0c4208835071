import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { child, createSystem, startTree, supervisor, VirtualClock, type ActorSystem } from '../../../../internal.ts';
import { dnsRegistrarActor, RegistrarProtocol } from '../../../../actors/split-broker/index.ts';
import { decodeRegistrationResponse, encodeRegistrationQuery, registrationQueryNames } from '../../../../actors/split-broker/wire/index.ts';

/** Sends one query and resolves with the RCODE and TXT text of its response. */
function query(port: number, name: string): Promise<{ rcode: string; text: string | undefined }> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('message', (message) => (socket.close(), resolve(decodeRegistrationResponse(message))));
    socket.send(encodeRegistrationQuery(name, 9), port, '127.0.0.1');
  });
}

describe('DNS registrar: a registration it refuses', function () {
  this.timeout(10_000);
  let system: ActorSystem;
  let port: number;
  beforeEach(async () => {
    system = createSystem({ ports: { clock: new VirtualClock({ start: 1_700_000_000_000 }) } });
    startTree(system, supervisor({ children: [child('dns', dnsRegistrarActor, { config: { port: 0, zone: 'b.test', maxBodyBytes: 10 } })] }), 'edge');
    port = (await system.ref('edge/dns', RegistrarProtocol).ask('where', {})).port;
  });
  afterEach(() => system.stop({ drainTimeoutMs: 0 }));

  it('is refused again when a resolver repeats its last query, never acknowledged as if it were waiting for the broker', async () => {
    const [name] = registrationQueryNames(new Uint8Array(20), 'b.test', 'abc');
    assert.deepEqual(await query(port, name!), { rcode: 'REFUSED', text: undefined });
    assert.deepEqual(await query(port, name!), { rcode: 'REFUSED', text: undefined });
  });
});
