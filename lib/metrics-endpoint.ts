import type { ActorContext } from './context.ts';
import { serveHttp, type HttpService } from './http-actor.ts';

/** What a `/metrics` endpoint serves: a prom-client `Registry` fits (lib itself loads no prom-client). */
export interface MetricsText {
  metrics(): Promise<string>;
  readonly contentType: string;
}

/**
 * Serves `GET /metrics` (and 404 for anything else) from `registry`, over the actor's Network
 * port: the one endpoint behind a design's ops listener and a node's `$ops` listener.
 */
export function serveMetrics(
  ctx: Pick<ActorContext<never>, 'network' | 'supervise' | 'clock'>,
  options: { host: string; port: number },
  registry: MetricsText,
): Promise<HttpService> {
  return serveHttp(ctx, options, (request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') return void response.writeHead(404).end();
    return registry.metrics().then((text) => response.writeHead(200, { 'Content-Type': registry.contentType }).end(text));
  });
}
