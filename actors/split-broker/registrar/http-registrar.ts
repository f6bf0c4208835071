import type http from 'node:http';
import { defineActor } from '../../../lib/actor.ts';
import { serveHttp } from '../../../lib/http-actor.ts';
import { MatcherProtocol } from '../matcher/protocol.ts';
import { OracleProtocol } from '../oracle/protocol.ts';
import {
  decodeAnswerRequest,
  decodeProxyPollRequest,
  encodeAnswerResponse,
  encodeClientPollResponse,
  encodeNoMatch,
  encodeProxyMatch,
  legacyClientPollRequest,
  legacyHttpResponse,
  SnowflakeMessageError,
} from '../wire/index.ts';
import { EdgeBounds } from './edge-bounds.ts';
import { clientResponse, forwardClientBody } from './forward-registration.ts';
import { answerPreflight, pathOf, readBody, sendCrossOrigin as send, whenHungUp } from './http-edge.ts';
import { RegistrarConfig } from './registrar-config.ts';
import { RegistrarProtocol } from './protocol.ts';
import { HOP_DELIVERY, MAX_REGISTRATION_BYTES } from '../limits.ts';

type Route = (body: string, request: http.IncomingMessage, response: http.ServerResponse) => Promise<void> | void;

/**
 * The HTTP registrar (edge zone): Snowflake 2.5's broker routes, byte for byte. Proxy polls and
 * answers go straight to the Matcher (they carry no secret); client bodies go to the Oracle
 * unopened. It holds no key, and bounds body size, requests per source and waits in flight.
 */
export const httpRegistrarActor = defineActor({
  protocol: RegistrarProtocol,
  config: RegistrarConfig,
  async setup(ctx) {
    const config = ctx.config;
    const oracle = ctx.ref(config.oracle, OracleProtocol);
    const matcher = ctx.ref(config.matcher, MatcherProtocol);
    const bounds = EdgeBounds.forMethod(ctx.clock, config, 'http');
    const timeoutMs = config.askTimeoutMs;

    // Malformed proxy requests get 400 with an empty body, as Tor's broker answers.
    const malformed = (response: http.ServerResponse) => (error: unknown) => {
      if (!(error instanceof SnowflakeMessageError)) throw error;
      bounds.refuse('malformed');
      send(response, 400);
    };

    const busy = (response: http.ServerResponse) => send(response, 503);

    // An oversized body gets 400 with an empty body; the connection closes when the rest was left unread.
    const oversized = (response: http.ServerResponse, headers: http.OutgoingHttpHeaders = {}) => {
      bounds.refuse('oversized');
      send(response, 400, '', headers);
    };

    const proxyPoll: Route = (body, _request, response) => {
      let poll;
      try {
        poll = decodeProxyPollRequest(body);
      } catch (error) {
        return malformed(response)(error);
      }
      const ticket = ctx.random.id();
      const waiting = bounds.wait(() =>
        matcher.ask('proxyPoll', { ...poll, ticket }, { timeoutMs, delivery: HOP_DELIVERY }).then(
          (result) => (result.status === 'client match' ? encodeProxyMatch(result) : encodeNoMatch(result.status)),
          () => encodeNoMatch(),
        ),
      );
      if (!waiting) return busy(response);
      // A proxy that hung up must not be handed a client, who would wait 10 s for its answer.
      // Should the Matcher be unreachable, the poll ends at its own timeout instead.
      whenHungUp(response, () => void matcher.tell('withdrawPoll', { sid: poll.sid, ticket }).catch(() => {}));
      return waiting.then((text) => send(response, 200, text));
    };

    const answer: Route = (body, _request, response) => {
      let request;
      try {
        request = decodeAnswerRequest(body);
      } catch (error) {
        return malformed(response)(error);
      }
      return matcher.ask('answer', request, { timeoutMs, delivery: HOP_DELIVERY }).then(
        (status) => send(response, 200, encodeAnswerResponse(status)),
        () => send(response, 500),
      );
    };

    const client: Route = (body, request, response) => {
      // Snowflake's legacy body is the bare offer, its NAT in a header: rewritten to 1.0 as Snowflake does.
      const legacy = body.startsWith('{');
      const rewritten = legacy ? legacyClientPollRequest(body, request.headers['snowflake-nat-type'] as string | undefined) : body;
      // Go's escaping (`<` becomes `\u003c`) can push a body that fit past what the Oracle takes: refused as oversized, like the body.
      if (rewritten.length > MAX_REGISTRATION_BYTES) return oversized(response);
      const forwarded = bounds.wait(() => forwardClientBody(oracle, rewritten, bounds, timeoutMs));
      if (!forwarded) return busy(response);
      return forwarded.then((result) => {
        if (!legacy) return send(response, 200, encodeClientPollResponse(clientResponse(result)));
        const { status, body: text } = legacyHttpResponse(clientResponse(result));
        send(response, status, text);
      });
    };

    const routes: Record<string, Route> = { '/proxy': proxyPoll, '/answer': answer, '/client': client };
    const service = await serveHttp(ctx, { host: config.host, port: config.port }, (request, response, remote) => {
      // Every response carries Snowflake's CORS headers: `send` here is `sendCrossOrigin`.
      // Every request costs its source a token, preflights and unknown paths too.
      if (!bounds.admit(remote.host)) return send(response, 429);
      if (answerPreflight(request, response, send)) return;
      const path = pathOf(request);
      const route = request.method === 'POST' && Object.hasOwn(routes, path) ? routes[path] : undefined;
      if (!route) return send(response, 404);
      return readBody(request, config.maxBodyBytes).then((body) => {
        if (body !== undefined) return route(body, request, response);
        oversized(response, { Connection: 'close' });
      });
    });
    return { where: () => service.address };
  },
});
