import { z } from 'zod';
import { defineActor } from '../../../lib/actor.ts';
import { MetricsRegistry } from '../../ops/index.ts';
import { MatcherMetrics } from '../metrics/matcher-metrics.ts';
import { CLIENT_TIMEOUT_MS, DEFAULT_RELAY_PATTERN, PROXY_TIMEOUT_MS } from '../limits.ts';
import { DEFAULT_BRIDGES, Matcher } from './matching.ts';
import { MatcherProtocol } from './protocol.ts';

export const MatcherConfig = z
  .strictObject({
    proxyTimeoutMs: z.number().int().positive().default(PROXY_TIMEOUT_MS),
    clientTimeoutMs: z.number().int().positive().default(CLIENT_TIMEOUT_MS),
    /** The relays this broker hands out; a proxy must accept at least these. */
    allowedRelayPattern: z.string().default(DEFAULT_RELAY_PATTERN),
    /** Bridge fingerprint → the relay URL a matched proxy connects to. */
    bridges: z.record(z.string(), z.string()).default(Object.fromEntries(DEFAULT_BRIDGES)),
    /** The node's registry; the figures are kept but not exported without one. */
    metrics: MetricsRegistry.optional(),
  })
  .prefault({});

/**
 * The core broker (core zone: no key, no socket): Snowflake's matching rules on the Clock port.
 * Polls and client waits last up to 10 s, so every ask is answered later (`replyLater`) and the
 * mailbox keeps flowing: many proxies and clients wait at once. A stop ends every wait.
 */
export const matcherActor = defineActor({
  protocol: MatcherProtocol,
  config: MatcherConfig,
  setup(ctx) {
    const { metrics, bridges, ...options } = ctx.config;
    const matcher = new Matcher({ ...options, clock: ctx.clock, bridges: new Map(Object.entries(bridges)), figures: new MatcherMetrics(metrics) });
    ctx.onStop(() => matcher.dispose());
    return {
      proxyPoll: ({ ticket, ...request }) => ctx.replyLater(matcher.proxyPoll(request, ticket)),
      withdrawPoll: ({ sid, ticket }) => void matcher.withdrawPoll(sid, ticket),
      clientOffer: (request) => ctx.replyLater(matcher.clientOffer(request)),
      answer: ({ sid, answer }) => matcher.answer(sid, answer),
    };
  },
});
