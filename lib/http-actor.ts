import http from 'node:http';
import type { ActorContext } from './context.ts';
import type { Timer } from './ports/clock.ts';
import type { HostPort } from './ports/network.ts';

export interface HttpServeOptions {
  /** Where to listen; `127.0.0.1` unless given (name `0.0.0.0` to face the network). */
  host?: string;
  /** 0 picks a free port; `HttpService.address` says which. */
  port: number;
  /** Passed to Node's `http.createServer` (limits such as `maxHeaderSize`). */
  server?: http.ServerOptions;
  /**
   * How long a connection may take to send a request's headers and body (10 s), on the system
   * clock: Node enforces its own `headersTimeout`/`requestTimeout` only on servers that listen
   * themselves, so without this a client trickling bytes would hold a connection for ever.
   * The wait for the response (a long poll) is not counted; the next request's time starts when
   * the response is sent.
   */
  requestTimeoutMs?: number;
}

/** Answers one request; `remote` is the peer's address, under simulation too. A throw crashes the actor. */
export type HttpHandler = (request: http.IncomingMessage, response: http.ServerResponse, remote: HostPort) => unknown;

export interface HttpService {
  /** Where it listens (the port actually bound). */
  readonly address: HostPort;
  /** Node's server, for its events and settings; it never listens itself. */
  readonly server: http.Server;
  /** Stops accepting; the end of the incarnation does this, and ends open connections, anyway. */
  close(): Promise<void>;
}

/**
 * Serves HTTP from an actor: Node's `http.Server` over the streams of the actor's Network port
 * (the server takes each one through its `connection` event), so the listener and every
 * connection belong to the incarnation, the handler runs under its supervision, and the same
 * actor runs unchanged on the simulated network. Call it from (an async) `setup`.
 */
export async function serveHttp(
  ctx: Pick<ActorContext<never>, 'network' | 'supervise' | 'clock'>,
  options: HttpServeOptions,
  handler: HttpHandler,
): Promise<HttpService> {
  const server = http.createServer(options.server ?? {});
  // Node knows the peer of its own sockets only; the port tells it for every stream.
  const remotes = new WeakMap<object, HostPort>();
  const deadlines = new WeakMap<object, Timer>();
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  /** Gives `stream` until the deadline to deliver a whole request, or ends it. */
  const armDeadline = (stream: NodeJS.ReadableStream & { destroy(): void }) => {
    deadlines.get(stream)?.cancel();
    deadlines.set(stream, ctx.clock.setTimer(requestTimeoutMs, () => stream.destroy()));
  };
  const handle = ctx.supervise(handler);
  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const stream = request.socket;
    // The headers are in. A body still on its way keeps the deadline until it has all arrived;
    // then what follows (a long poll) is the handler's time, not the client's.
    if (!hasBody(request)) deadlines.get(stream)?.cancel();
    else request.once('end', () => deadlines.get(stream)?.cancel());
    response.once('finish', () => {
      if (!stream.destroyed) armDeadline(stream);
    });
    handle(request, response, remotes.get(stream) ?? { host: '', port: 0 });
  });
  const listener = await ctx.network.listen({ host: options.host ?? '127.0.0.1', port: options.port }, ({ stream, remote }) => {
    remotes.set(stream, remote);
    // Node's server sets TCP_NODELAY on the sockets it accepts itself (its `noDelay`, true by
    // default); these it is handed, so it is set here, or Nagle holds back each response's bytes.
    if (options.server?.noDelay !== false && 'setNoDelay' in stream && typeof stream.setNoDelay === 'function') stream.setNoDelay(true);
    armDeadline(stream);
    stream.once('close', () => deadlines.get(stream)?.cancel());
    server.emit('connection', stream);
  });
  return { address: listener.address, server, close: () => listener.close() };
}

function hasBody(request: http.IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
