import http from 'node:http';
import type { ActorContext } from './context.ts';
import type { HostPort } from './ports/network.ts';

export interface HttpServeOptions {
  /** Where to listen; `127.0.0.1` unless given (name `0.0.0.0` to face the network). */
  host?: string;
  /** 0 picks a free port; `HttpService.address` says which. */
  port: number;
  /** Passed to Node's `http.createServer` (limits, timeouts). */
  server?: http.ServerOptions;
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
  ctx: Pick<ActorContext<never>, 'network' | 'supervise'>,
  options: HttpServeOptions,
  handler: HttpHandler,
): Promise<HttpService> {
  const server = http.createServer(options.server ?? {});
  // Node knows the peer of its own sockets only; the port tells it for every stream.
  const remotes = new WeakMap<object, HostPort>();
  const handle = ctx.supervise(handler);
  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) =>
    handle(request, response, remotes.get(request.socket) ?? { host: '', port: 0 }),
  );
  const listener = await ctx.network.listen({ host: options.host ?? '127.0.0.1', port: options.port }, ({ stream, remote }) => {
    remotes.set(stream, remote);
    server.emit('connection', stream);
  });
  return { address: listener.address, server, close: () => listener.close() };
}
