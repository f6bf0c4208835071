/** Valid Snowflake broker bodies (proxy protocol 1.3, client protocol 1.0 and 2.0), the start of every HTTP and AMP mutation. */
import type { Random } from '../internal.ts';
import { pickOne } from './frames.ts';

const NATS = ['unknown', 'restricted', 'unrestricted'];

export function proxyPollBody(random: Random): string {
  return JSON.stringify({ Sid: `sid${random.int(1e6)}`, Version: '1.3', Type: 'standalone', NAT: pickOne(random, NATS), Clients: random.int(5), AcceptedRelayPattern: 'snowflake.torproject.net$' });
}

export function answerBody(random: Random): string {
  return JSON.stringify({ Version: '1.0', Sid: `sid${random.int(1e6)}`, Answer: JSON.stringify({ type: 'answer', sdp: 'v=0' }) });
}

/** A 1.0 body (plaintext offer), a legacy bare offer, or a 2.0 body whose sealed box is random (the Oracle refuses it). */
export function clientBody(random: Random): string {
  const offer = JSON.stringify({ type: 'offer', sdp: `v=0 ${random.int(1e6)}` });
  switch (random.int(3)) {
    case 0:
      return `1.0\n${JSON.stringify({ offer, nat: pickOne(random, NATS), fingerprint: '' })}`;
    case 1:
      return offer;
    default:
      return `2.0\n${Buffer.from(Array.from({ length: 48 + random.int(200) }, () => random.int(256))).toString('base64')}`;
  }
}
