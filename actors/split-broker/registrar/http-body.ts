import type http from 'node:http';

/** Content types and CORS as Snowflake's broker sends them. */
export function send(response: http.ServerResponse, status: number, body = '', headers: http.OutgoingHttpHeaders = {}): void {
  response.writeHead(status, headers).end(body);
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

/** The path without its query. */
export function pathOf(request: http.IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
