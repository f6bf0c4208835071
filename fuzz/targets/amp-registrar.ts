/** The split broker's AMP-cache registrar (`GET /amp/client/<path>`) under hostile HTTP requests. */
import { randomBytes } from '../frames.ts';
import { httpRow } from '../http-row.ts';
import { invalidUtf8 } from '../mutations.ts';
import { MAX_BODY_BYTES, splitBrokerEdge } from '../split-broker.ts';
import { clientBody } from '../snowflake-bodies.ts';

const ROUTE = '/amp/client/';

/** Snowflake's AMP path: format `0`, a cache breaker, `/`, the body in unpadded base64url. */
function ampPath(body: Uint8Array, breaker: string): string {
  return `${ROUTE}0${breaker}/${Buffer.from(body).toString('base64url')}`;
}

export const ampRegistrarTarget = httpRow('ampRegistrar', splitBrokerEdge('amp'), {
  maxBodyBytes: MAX_BODY_BYTES,
  valid: (random) => ({ method: 'GET', path: ampPath(Buffer.from(clientBody(random)), Buffer.from(randomBytes(random, 8)).toString('base64url')), body: '' }),
  hostilePaths: (random) => [
    ROUTE,
    `${ROUTE}0`,
    `${ROUTE}1/YWJj`,
    `${ROUTE}0/YW*j`,
    `${ROUTE}0///${'A'.repeat(1 + random.int(64))}`,
    ampPath(invalidUtf8(random), ''),
    ampPath(Buffer.alloc(MAX_BODY_BYTES + 1 + random.int(1_000), 0x61), 'x'),
    `${ROUTE}0/${'%ff'.repeat(100)}`,
    `/amp/client${'/'.repeat(300)}`,
    `${ROUTE}0/YWJj?${'q'.repeat(2_000)}`,
  ],
});
