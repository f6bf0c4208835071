import dgram from 'node:dgram';
import sodium from 'sodium-native';
import type { OraclePublicKeys } from '../oracle/keys.ts';
import {
  DEFAULT_CHUNK_BYTES,
  base32Encode,
  decodeRegistrationResponse,
  encodeRegistrationQuery,
  registrationQueryNames,
} from '../wire/dns-registration.ts';
import { CLIENT_REQUEST_TIMEOUT_MS, DNS_QUERY_RETRY_MS } from '../limits.ts';
import { BrokerRequestError } from './errors.ts';
import { prepareRegistration, type RendezvousOffer, type RendezvousAnswer } from './prepare-registration.ts';

export interface DnsRendezvousOptions {
  /** The registrar's (or a resolver's) UDP address. */
  server: { host: string; port: number };
  /** The registrar's zone, e.g. `reg.example.net`. */
  zone: string;
  /** DNS carries only sealed registrations: the Oracle's public keys are required. */
  oracle: OraclePublicKeys;
  /** A query unanswered this long is sent again (a datagram may be lost). */
  retryMs?: number;
  /** The whole registration fails with `BrokerRequestError` (timeout) after this long. */
  timeoutMs?: number;
  chunkBytes?: number;
}

/** The text a registrar answers a chunk with while others are missing. */
const ACK = /^ack \d+\/\d+$/;

/**
 * A client's rendezvous through DNS: the sealed registration split into TXT queries over UDP
 * (`<data>.<seq>.<total>.<session>.<zone>`, see actors/split-broker/wire/dns-registration.ts), sent one
 * after another, each sent again every `retryMs` until answered; the last one is answered with
 * the ClientPollResponse in TXT strings, verified like any 2.0 answer. A registrar's RCODE
 * refusal rejects with `BrokerRequestError` (refused); datagrams that are not the answer to
 * the query in flight (late duplicates, strangers) are ignored.
 */
export class DnsRendezvousClient {
  constructor(private readonly options: DnsRendezvousOptions) {}

  async register(offer: RendezvousOffer): Promise<RendezvousAnswer> {
    const registration = prepareRegistration(offer, this.options.oracle);
    const names = registrationQueryNames(registration.sealed!, this.options.zone, randomSession(), this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    const socket = dgram.createSocket(this.options.server.host.includes(':') ? 'udp6' : 'udp4');
    const deadline = Date.now() + (this.options.timeoutMs ?? CLIENT_REQUEST_TIMEOUT_MS);
    try {
      let text = '';
      for (const [seq, name] of names.entries()) text = await this.exchange(socket, name, seq === names.length - 1, deadline);
      return registration.read(text);
    } finally {
      socket.close();
    }
  }

  /** Sends the query for `name` until a response with its id arrives that is not a bare ack of the last chunk. */
  private exchange(socket: dgram.Socket, name: string, isLast: boolean, deadline: number): Promise<string> {
    const { host, port } = this.options.server;
    const where = `dns://${host}:${port}/${name}`;
    const id = randomQueryId();
    const query = encodeRegistrationQuery(name, id);
    return new Promise((resolve, reject) => {
      const finish = (outcome: () => void) => {
        clearInterval(resend);
        clearTimeout(expiry);
        socket.off('message', onMessage);
        outcome();
      };
      const onMessage = (datagram: Buffer) => {
        const response = readResponse(datagram, id);
        if (!response) return;
        if (response.rcode !== 'NOERROR') {
          finish(() => reject(new BrokerRequestError(where, 'refused', `answered ${response.rcode}`, { rcode: response.rcode })));
        } else if (response.text !== undefined && !(isLast && ACK.test(response.text))) {
          finish(() => resolve(response.text!));
        }
      };
      const send = () => socket.send(query, port, host);
      socket.on('message', onMessage);
      const resend = setInterval(send, this.options.retryMs ?? DNS_QUERY_RETRY_MS);
      const expiry = setTimeout(
        () => finish(() => reject(new BrokerRequestError(where, 'timeout', 'no answer before the deadline'))),
        Math.max(0, deadline - Date.now()),
      );
      send();
    });
  }
}

/** The response to query `id`, or undefined for any other datagram (undecodable ones included). */
function readResponse(datagram: Buffer, id: number): { rcode: string; text: string | undefined } | undefined {
  if (datagram.length < 2 || datagram.readUInt16BE(0) !== id) return undefined;
  try {
    return decodeRegistrationResponse(datagram);
  } catch {
    return undefined;
  }
}

/** Random query ids make a spoofed answer a guess (the client is not an actor: it may draw them itself). */
function randomQueryId(): number {
  const bytes = Buffer.alloc(2);
  sodium.randombytes_buf(bytes);
  return bytes.readUInt16BE(0);
}

function randomSession(): string {
  const bytes = Buffer.alloc(10);
  sodium.randombytes_buf(bytes);
  return base32Encode(bytes);
}
