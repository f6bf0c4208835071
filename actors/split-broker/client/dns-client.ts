import sodium from 'sodium-native';
import { realClock, type Clock, type Timer } from '../../../lib/ports/clock.ts';
import type { DatagramSocket, Network } from '../../../lib/ports/network.ts';
import { realNetwork } from '../../../lib/ports/real-network.ts';
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
import { queryOverTcp } from './dns-tcp-query.ts';
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
  /** Times the retries and the deadline (the real clock unless given). */
  clock?: Clock;
  /** Where the UDP socket comes from (real sockets unless given: a simulation hands a virtual one). */
  network?: Network;
}

/** The text a registrar answers a chunk with while others are missing. */
const ACK = /^ack \d+\/\d+$/;

/**
 * A client's rendezvous through DNS: the sealed registration split into TXT queries over UDP
 * (`<data>.<seq>.<total>.<session>.<zone>`, see actors/split-broker/wire/dns-registration.ts), sent one
 * after another, each sent again every `retryMs` until answered; the last one is answered with
 * the ClientPollResponse in TXT strings, verified like any 2.0 answer. A registrar's RCODE
 * refusal rejects with `BrokerRequestError` (refused); a reply truncated (TC) is asked again over
 * TCP on the same port, from the same `network`; datagrams that are not the answer to
 * the query in flight (late duplicates, strangers) are ignored.
 */
export class DnsRendezvousClient {
  private readonly clock: Clock;
  private readonly network: Network;

  constructor(private readonly options: DnsRendezvousOptions) {
    this.clock = options.clock ?? realClock;
    this.network = options.network ?? realNetwork;
  }

  async register(offer: RendezvousOffer): Promise<RendezvousAnswer> {
    const registration = prepareRegistration(offer, this.options.oracle, this.clock.now());
    const names = registrationQueryNames(registration.sealed!, this.options.zone, randomSession(), this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    // One socket for the whole registration; each exchange in turn takes what arrives on it.
    const inbox: Inbox = {};
    const anyHost = this.options.server.host.includes(':') ? '::' : '0.0.0.0'; // an IPv6 server needs an IPv6 socket
    const socket = await this.network.bindDatagram({ host: anyHost, port: 0 }, (datagram) => inbox.deliver?.(datagram));
    const deadline = this.clock.now() + (this.options.timeoutMs ?? CLIENT_REQUEST_TIMEOUT_MS);
    try {
      let text = '';
      for (const [seq, name] of names.entries()) {
        text = await this.exchange(socket, inbox, name, seq === names.length - 1, deadline);
      }
      return registration.read(text);
    } finally {
      await socket.close();
    }
  }

  /** Sends the query for `name` until a response with its id arrives that is not a bare ack of the last chunk. */
  private exchange(socket: DatagramSocket, inbox: Inbox, name: string, isLast: boolean, deadline: number): Promise<string> {
    const { host, port } = this.options.server;
    const where = `dns://${host}:${port}/${name}`;
    const id = randomQueryId();
    const query = encodeRegistrationQuery(name, id);
    const retryMs = this.options.retryMs ?? DNS_QUERY_RETRY_MS;
    return new Promise((resolve, reject) => {
      let resend: Timer | undefined;
      let done = false;
      const finish = (outcome: () => void) => {
        done = true;
        resend?.cancel();
        expiry.cancel();
        outcome();
      };
      // A lost datagram is sent again every `retryMs` until the answer or the deadline.
      const send = () => {
        if (done) return;
        socket.send(query, { host, port }).catch(() => {});
        resend = this.clock.setTimer(retryMs, send);
      };
      inbox.deliver = (datagram) => {
        if (done) return;
        const response = readResponse(datagram, id);
        if (!response) return;
        if (response.truncated) {
          // Too large for a datagram (TC, RFC 1035 §4.2.1): the registrar serves the same name over TCP on its port.
          const overTcp = queryOverTcp(this.network, { host, port }, query, id, this.clock, deadline, where);
          return finish(() => resolve(overTcp.then((reply) => textOf(readResponse(reply, id), where))));
        }
        if (response.rcode !== 'NOERROR') {
          finish(() => reject(new BrokerRequestError(where, 'refused', `answered ${response.rcode}`, { rcode: response.rcode })));
        } else if (response.text !== undefined && !(isLast && ACK.test(response.text))) {
          finish(() => resolve(response.text!));
        }
      };
      const expiry = this.clock.setTimer(Math.max(0, deadline - this.clock.now()), () =>
        finish(() => reject(new BrokerRequestError(where, 'timeout', 'no answer before the deadline'))),
      );
      send();
    });
  }
}

/** Where the registration's socket hands each datagram: the exchange in flight. */
interface Inbox {
  deliver?: (datagram: Uint8Array) => void;
}

/** The response to query `id` (TC read from its header), or undefined for any other datagram (undecodable ones included). */
function readResponse(datagram: Uint8Array, id: number): { rcode: string; text: string | undefined; truncated: boolean } | undefined {
  if (datagram.length < 3 || ((datagram[0]! << 8) | datagram[1]!) !== id) return undefined;
  try {
    return { ...decodeRegistrationResponse(datagram), truncated: (datagram[2]! & 0x02) !== 0 };
  } catch {
    return undefined;
  }
}

/** The TXT text of the one reply a TCP query gets: anything else is the registrar's refusal or an undecodable reply. */
function textOf(response: { rcode: string; text: string | undefined } | undefined, where: string): string {
  if (response?.rcode !== 'NOERROR' || response.text === undefined) {
    throw new BrokerRequestError(where, 'refused', `answered ${response?.rcode ?? 'with an undecodable reply'} over TCP`, { rcode: response?.rcode });
  }
  return response.text;
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
