/**
 * Minimal stand-ins for the split broker's registrars, only to test the client library: an HTTP
 * server and a DNS-over-UDP server on 127.0.0.1 (port 0) that record what they receive and answer
 * in Snowflake's wire formats through actors/split-broker/wire.
 */
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OracleKeys, RegistrationOpener, signedResponse } from '../../../../actors/split-broker/oracle/index.ts';
import {
  decodeRegistrationQuery,
  encodeRegistrationResponse,
  parseRegistrationName,
  type DnsRegistrationError,
} from '../../../../actors/split-broker/wire/index.ts';
import { decodeSealedBody, encodeClientPollResponse, type ClientPollResponse } from '../../../../actors/split-broker/wire/index.ts';
import { RegistrationReassembler } from '../../../../actors/split-broker/registrar/index.ts';
import { realClock } from '../../../../lib/ports/clock.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  body: string;
  /** The client's port: the same port twice means one kept-alive connection. */
  remotePort: number;
}

export type FakeResponse = { status?: number; headers?: Record<string, string>; body: string } | 'hang';

export interface FakeHttp {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeHttp(respond: (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>): Promise<FakeHttp> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const request = { method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'), remotePort: req.socket.remotePort ?? 0 };
      requests.push(request);
      const response = await respond(request);
      if (response === 'hang') return;
      res.writeHead(response.status ?? 200, response.headers ?? {});
      res.end(response.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the Oracle would do with a 2.0 body: open it and sign `response` for its nonce. */
export function oracleAnswer(keys: OracleKeys, body: string, response: Pick<ClientPollResponse, 'answer' | 'error'>): string {
  const registration = new RegistrationOpener({ keys, clock: realClock }).open(decodeSealedBody(body));
  return encodeClientPollResponse(signedResponse(keys, registration.nonce, response));
}

export interface FakeDns {
  server: { host: string; port: number };
  /** Every query name received, in order (retries included). */
  names: string[];
  close(): Promise<void>;
}

/**
 * A DNS registrar for `zone`: acks each chunk with "ack <received>/<total>", answers the chunk
 * that completes a registration with `answer(sealed)`, answers a malformed query with its RCODE,
 * and drops (does not answer) the queries `drop` returns true for.
 */
export async function startFakeDns(
  zone: string,
  answer: (sealed: Uint8Array) => string,
  drop: (name: string, count: number) => boolean = () => false,
): Promise<FakeDns> {
  const names: string[] = [];
  const reassembler = new RegistrationReassembler(realClock);
  const answers = new Map<string, string>();
  const socket = dgram.createSocket('udp4');
  socket.on('message', (datagram, peer) => {
    const query = decodeRegistrationQuery(datagram);
    names.push(query.name);
    if (drop(query.name, names.filter((name) => name === query.name).length)) return;
    const reply = (outcome: { text: string } | { rcode: 'FORMERR' | 'REFUSED' }) =>
      socket.send(encodeRegistrationResponse(query, outcome), peer.port, peer.address);
    try {
      const chunk = parseRegistrationName(query.name, zone);
      const state = reassembler.accept(chunk, peer.address);
      if (state.state === 'partial') reply({ text: `ack ${state.received}/${state.total}` });
      else if (state.state === 'complete') {
        answers.set(state.session, answer(state.sealed));
        reply({ text: answers.get(state.session)! });
      } else reply({ text: answers.get(chunk.session)! });
    } catch (error) {
      reply({ rcode: (error as DnsRegistrationError).rcode });
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: { host: '127.0.0.1', port: socket.address().port },
    names,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

export { OracleKeys };
