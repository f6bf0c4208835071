/** The split broker's HTTP registrar (Snowflake's broker routes) under hostile HTTP requests. */
import { pickOne } from '../frames.ts';
import { httpRow } from '../http-row.ts';
import type { RequestRoutes } from '../http-requests.ts';
import { MAX_BODY_BYTES, splitBrokerEdge } from '../split-broker.ts';
import { answerBody, clientBody, proxyPollBody } from '../snowflake-bodies.ts';

const ROUTES = [
  { path: '/proxy', body: proxyPollBody },
  { path: '/answer', body: answerBody },
  { path: '/client', body: clientBody },
];

export const httpRoutes: RequestRoutes = {
  maxBodyBytes: MAX_BODY_BYTES,
  valid(random) {
    const route = pickOne(random, ROUTES);
    return { method: 'POST', path: route.path, body: route.body(random) };
  },
  hostilePaths: (random) => ['/', '/proxy/', '/PROXY', '/client?x=1', '/%00', '/..%2fclient', `/${'a'.repeat(8_000)}`, '*', 'http://elsewhere/client', `/answer#${random.int(100)}`, '/constructor', '/__proto__'],
};

export const httpRegistrarTarget = httpRow('httpRegistrar', splitBrokerEdge('http'), httpRoutes);
