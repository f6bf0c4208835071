import { defineActor } from '../../../lib/actor.ts';
import { serveHttp } from '../../../lib/http-actor.ts';
import { OracleProtocol } from '../oracle/protocol.ts';
import { encodeClientPollResponse, type ClientPollResponse } from '../wire/index.ts';
import { AMP_RESPONSE_HEADERS, encodeAmpArmor } from '../wire/amp-armor.ts';
import { decodeAmpPath } from '../wire/amp-path.ts';
import { STR_CANNOT_DECODE_PATH } from '../limits.ts';
import { EdgeBounds } from './edge-bounds.ts';
import { RegistrationEncodingError } from '../wire/errors.ts';
import { clientResponse, forwardClientBody } from './forward-registration.ts';
import { answerPreflight, pathOf, sendCrossOrigin as send } from './http-edge.ts';
import { RegistrarConfig } from './registrar-config.ts';
import { RegistrarProtocol } from './protocol.ts';

const ROUTE = '/amp/client/';

/**
 * The AMP-cache registrar (edge zone), as Snowflake's `ampClientOffers`: `GET /amp/client/<path>`
 * carries the client body encoded in the path; the answer goes back in AMP armor, an HTML page
 * an AMP cache will serve. A path that does not decode is answered, armored, with Snowflake's
 * "cannot decode URL path".
 */
export const ampRegistrarActor = defineActor({
  protocol: RegistrarProtocol,
  config: RegistrarConfig,
  async setup(ctx) {
    const config = ctx.config;
    const oracle = ctx.ref(config.oracle, OracleProtocol);
    const bounds = EdgeBounds.forMethod(ctx.clock, config, 'amp');

    const armored = (response: import('node:http').ServerResponse, reply: ClientPollResponse) =>
      send(response, 200, encodeAmpArmor(Buffer.from(encodeClientPollResponse(reply), 'utf8')), { ...AMP_RESPONSE_HEADERS });

    const service = await serveHttp(ctx, { host: config.host, port: config.port }, (request, response, remote) => {
      // Every response carries Snowflake's CORS headers: `send` here is `sendCrossOrigin`.
      // Every request costs its source a token, preflights and unknown paths too.
      if (!bounds.admit(remote.host)) return send(response, 429);
      if (answerPreflight(request, response, send)) return;
      const path = pathOf(request);
      if (request.method !== 'GET' || !path.startsWith(ROUTE)) return send(response, 404);
      let body: string;
      try {
        const bytes = decodeAmpPath(path.slice(ROUTE.length));
        if (bytes.length > config.maxBodyBytes) {
          bounds.refuse('oversized');
          return send(response, 400);
        }
        body = Buffer.from(bytes).toString('utf8');
      } catch (error) {
        if (!(error instanceof RegistrationEncodingError)) throw error;
        bounds.refuse('malformed');
        return armored(response, { error: STR_CANNOT_DECODE_PATH });
      }
      const forwarded = bounds.wait(() => forwardClientBody(oracle, body, bounds, config.askTimeoutMs));
      if (!forwarded) return send(response, 503);
      return forwarded.then((result) => armored(response, clientResponse(result)));
    });
    return { where: () => service.address };
  },
});
