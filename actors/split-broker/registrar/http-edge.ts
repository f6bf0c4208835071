/** What the HTTP edges (the HTTP and AMP registrars) share: CORS, bounded bodies, paths, sending. */
import type http from 'node:http';

/** Writes the status, the headers and the body, and ends the response. */
export function send(response: http.ServerResponse, status: number, body = '', headers: http.OutgoingHttpHeaders = NO_HEADERS): void {
  response.writeHead(status, headers).end(body);
}

const NO_HEADERS: http.OutgoingHttpHeaders = Object.freeze({});

/** The CORS headers Snowflake's broker sets on every response (see `allowCrossOrigin`). */
export const CROSS_ORIGIN_HEADERS: Readonly<http.OutgoingHttpHeaders> = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Origin, X-Session-ID',
});

/**
 * `send` with the CORS headers first, then `headers`: what the HTTP edges answer every request
 * with. The same bytes as `allowCrossOrigin` then `send`, in one `writeHead` (no `setHeader`).
 */
export function sendCrossOrigin(response: http.ServerResponse, status: number, body = '', headers?: http.OutgoingHttpHeaders): void {
  response.writeHead(status, headers === undefined ? CROSS_ORIGIN_HEADERS : { ...CROSS_ORIGIN_HEADERS, ...headers }).end(body);
}

/**
 * CORS for every HTTP edge, as Snowflake's broker sets it on every response (browser proxies and
 * clients call it from other origins), refusals included.
 */
export function allowCrossOrigin(response: http.ServerResponse): void {
  for (const [name, value] of Object.entries(CROSS_ORIGIN_HEADERS)) response.setHeader(name, value!);
}

/**
 * Answers a CORS preflight (OPTIONS) with 200; true when it was one. Called once the request
 * was counted against its source's rate, so preflights cannot be sent for free. `reply` sends it
 * (`sendCrossOrigin` for an edge that does not call `allowCrossOrigin`).
 */
export function answerPreflight(request: http.IncomingMessage, response: http.ServerResponse, reply = send): boolean {
  if (request.method !== 'OPTIONS') return false;
  reply(response, 200);
  return true;
}

/**
 * Reads a request body up to `maxBytes`; resolves undefined (and stops reading) when it is
 * longer, so an oversized body never sits in memory whole.
 */
export function readBody(request: http.IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const over = () => {
      request.removeAllListeners('data');
      request.resume();
      resolve(undefined);
    };
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return over();
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(undefined));
  });
}

/**
 * Calls `then` once if the client hangs up before the response was sent (at once if it already
 * has): a long poll whose client is gone can then be taken back.
 */
export function whenHungUp(response: http.ServerResponse, then: () => void): void {
  if (response.destroyed) return then();
  response.once('close', () => {
    if (!response.writableEnded) then();
  });
}

/** The path without its query. */
export function pathOf(request: http.IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
