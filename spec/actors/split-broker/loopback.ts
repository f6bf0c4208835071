/**
 * Minimal clients and proxies that speak the split broker's three methods on loopback, built on
 * the wire codecs and raw HTTP/UDP rather than the client library's clients, so that the
 * registrars are checked against code of their own (the demo uses the client library).
 */
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import {
  decodeAmpArmor,
  decodeRegistrationResponse,
  encodeAmpPath,
  encodeRegistrationQuery,
  registrationQueryNames,
  type NatType,
  type ProxyPollResponse,
} from '../../../actors/split-broker/wire/index.ts';
import {
  proxyAnswerBody,
  proxyPollBody,
  readAnswerResponse,
  readProxyPollResponse,
  sealRegistration,
  verifyAnswer,
  type OraclePublicKeys,
} from '../../../actors/split-broker/client/index.ts';

export type Method = 'http' | 'amp' | 'dns';
/** Each method's loopback port, and the DNS registrar's zone. */
export type BrokerPorts = Record<Method, number> & { zone: string };

export async function post(port: number, path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body, headers });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** One proxy poll: resolves with the broker's answer (a client's offer, or no match). */
export async function pollAsProxy(port: number, sid: string, nat: NatType = 'unrestricted', clients = 0): Promise<ProxyPollResponse> {
  return readProxyPollResponse((await post(port, '/proxy', proxyPollBody({ sid, nat, clients }))).body);
}

export async function answerAsProxy(port: number, sid: string, answer: string): Promise<boolean> {
  return readAnswerResponse((await post(port, '/answer', proxyAnswerBody(sid, answer))).body);
}

/** Sends a client body by `method` and returns the broker's ClientPollResponse text. */
export async function sendClientBody(method: Method, ports: BrokerPorts, body: string, sealed: Uint8Array): Promise<string> {
  if (method === 'http') return (await post(ports.http, '/client', body)).body;
  if (method === 'amp') {
    const response = await fetch(`http://127.0.0.1:${ports.amp}/amp/client/${encodeAmpPath(Buffer.from(body), randomBytes(9))}`);
    return Buffer.from(decodeAmpArmor(await response.text())).toString('utf8');
  }
  return dnsRegister(ports.dns, ports.zone, sealed);
}

/** Sends a sealed registration as TXT queries, one chunk each, and returns the last answer's text. */
export async function dnsRegister(port: number, zone: string, sealed: Uint8Array, session = randomBytes(8).toString('hex')): Promise<string> {
  const socket = dgram.createSocket('udp4');
  try {
    let text = '';
    for (const [index, name] of registrationQueryNames(sealed, zone, session).entries()) {
      const reply = new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no DNS answer within 15 s')), 15_000);
        socket.once('message', (message) => (clearTimeout(timer), resolve(message)));
      });
      socket.send(encodeRegistrationQuery(name, index + 1), port, '127.0.0.1');
      const response = decodeRegistrationResponse(await reply);
      if (response.rcode !== 'NOERROR') throw new Error(`DNS registrar answered ${response.rcode}`);
      text = response.text ?? '';
    }
    return text;
  } finally {
    socket.close();
  }
}

/**
 * One rendezvous: a proxy polls over HTTP, a client seals a registration and sends it by
 * `method`, the proxy answers the offer it got, and the client verifies the Oracle's signature.
 * Resolves with the verified answer.
 */
export async function rendezvous(method: Method, ports: BrokerPorts, keys: OraclePublicKeys, id: string): Promise<string> {
  const sid = `proxy-${id}`;
  const proxy = pollAsProxy(ports.http, sid).then(async (poll) => {
    if (poll.status !== 'client match') throw new Error(`proxy ${sid}: ${poll.status}`);
    await answerAsProxy(ports.http, sid, `answer of ${sid} to ${poll.offer}`);
  });
  // The proxy's poll must reach the Matcher first; a client told "no proxies" tries again, freshly sealed.
  for (let attempt = 0; ; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { body, sealed, nonce } = sealRegistration({ offer: `offer of client-${id}`, nat: 'unrestricted' }, keys.box);
    const response = verifyAnswer(await sendClientBody(method, ports, body, sealed), nonce, keys.sign);
    if (response.answer !== undefined) {
      await proxy;
      return response.answer;
    }
    if (attempt === 5) throw new Error(`client-${id}: ${response.error}`);
  }
}
