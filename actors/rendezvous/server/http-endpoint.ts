import type http from 'node:http';
import { z } from 'zod';
import { address } from '../../../lib/address.ts';
import { defineActor } from '../../../lib/actor.ts';
import { serveHttp } from '../../../lib/http-actor.ts';
import { defineProtocol } from '../../../lib/protocol.ts';
import { sourceOfHost } from '../../../lib/rate-per-source.ts';
import { ENDPOINT_ASK_TIMEOUT_MS, MAX_REQUEST_BYTES } from '../limits.ts';
import { hashFromHex } from '../wire/bucket-id.ts';
import { RendezvousProtocol } from './protocol.ts';
import { REFUSALS, type RefusalCode } from './refusals.ts';

export const RendezvousEndpointConfig = z.strictObject({
  /** `0.0.0.0` to face the network. */
  host: z.string().default('127.0.0.1'),
  /** 0 picks a free port (ask the endpoint `where`). */
  port: z.number().int().min(0).max(65_535),
  /** The server actor it forwards to. */
  server: z.string().transform((text) => address(text)),
  askTimeoutMs: z.number().int().positive().default(ENDPOINT_ASK_TIMEOUT_MS),
});
export type RendezvousEndpointConfigInput = z.input<typeof RendezvousEndpointConfig>;

export const RendezvousEndpointProtocol = defineProtocol('rendezvous-endpoint', {
  where: { body: z.strictObject({}), reply: z.strictObject({ host: z.string(), port: z.number().int() }) },
});
export type RendezvousEndpointProtocol = typeof RendezvousEndpointProtocol;

const BYTES = 'application/octet-stream';
const TEXT = 'text/plain';

/** The body length of each response sent, for the request log. */
const sent = new WeakMap<http.ServerResponse, number>();

/** Writes the status, the type and length, and the body; ends the response. */
function send(response: http.ServerResponse, status: number, type: string, body: Uint8Array | string, headers: http.OutgoingHttpHeaders = {}): void {
  sent.set(response, Buffer.byteLength(body));
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers }).end(body);
}
const BUCKET_PATH = /^\/buckets\/([^/]*)$/;

/**
 * Reads a body of at most `maxBytes`; resolves undefined (and stops reading) when it is longer,
 * so an oversized body never sits in memory whole.
 */
function readBody(request: http.IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.removeAllListeners('data');
        request.resume();
        return resolve(undefined);
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', () => resolve(undefined));
  });
}

/**
 * The rendezvous server's HTTP face (the README documents every byte):
 *
 *   POST /links            body: one sealed link (240 bytes) → 201, body: the bucket id (6 bytes)
 *   GET  /buckets/<hash>   hash: 64 hex characters           → 200, body: n × 240 bytes, the bucket's links
 *
 * A refusal is its HTTP status (refusals.ts) with the refusal's name as a text body. Each request
 * counts against its source (the peer's IPv4 address or IPv6 /64) in the server's rates.
 */
export const rendezvousEndpointActor = defineActor({
  protocol: RendezvousEndpointProtocol,
  config: RendezvousEndpointConfig,
  async setup(ctx) {
    const config = ctx.config;
    const server = ctx.ref(config.server, RendezvousProtocol);
    const refuse = (response: http.ServerResponse, code: RefusalCode, headers: http.OutgoingHttpHeaders = {}) => send(response, REFUSALS[code], TEXT, code, headers);
    const ask = <T>(asking: () => Promise<T>): Promise<T | { ok: false; code: 'SERVER_UNAVAILABLE' }> =>
      asking().catch((error: unknown) => {
        ctx.log.warn({ error: String(error) }, 'the rendezvous server did not answer');
        return { ok: false as const, code: 'SERVER_UNAVAILABLE' as const };
      });

    const storeLink = async (request: http.IncomingMessage, response: http.ServerResponse, source: string) => {
      const body = await readBody(request, MAX_REQUEST_BYTES);
      // The rest of an oversized body is left unread: the connection closes after the answer.
      if (!body) return refuse(response, 'LINK_SIZE', { Connection: 'close' });
      const answer = await ask(() => server.ask('store', { link: body, source }, { timeoutMs: config.askTimeoutMs }));
      if (!answer.ok) return refuse(response, answer.code);
      send(response, 201, BYTES, answer.bucket);
    };

    const fetchBucket = async (hex: string, response: http.ServerResponse, source: string) => {
      const hash = hashFromHex(hex);
      if (!hash) return refuse(response, 'HASH_FORMAT');
      const answer = await ask(() => server.ask('fetch', { hash, source }, { timeoutMs: config.askTimeoutMs }));
      if (!answer.ok) return refuse(response, answer.code);
      send(response, 200, BYTES, Buffer.concat(answer.links));
    };

    const service = await serveHttp(ctx, { host: config.host, port: config.port }, (request, response, remote) => {
      const source = sourceOfHost(remote.host);
      const path = (request.url ?? '/').split('?')[0]!;
      // All the server learns of a request: who, what path (a bucket hash at most), and the answer's size.
      response.once('finish', () => ctx.log.debug({ method: request.method, path, source, status: response.statusCode, bytes: sent.get(response) ?? 0 }, 'request'));
      const bucket = BUCKET_PATH.exec(path);
      if (path === '/links') return request.method === 'POST' ? storeLink(request, response, source) : response.writeHead(405, { Allow: 'POST' }).end();
      if (bucket) return request.method === 'GET' ? fetchBucket(bucket[1]!, response, source) : response.writeHead(405, { Allow: 'GET' }).end();
      response.writeHead(404).end();
    });
    ctx.log.info(service.address, 'rendezvous endpoint listening');
    return { where: () => service.address };
  },
});
