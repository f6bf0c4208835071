/**
 * `edge/intake`: the HTTP front door, served with `serveHttp` (Node's http over the actor's
 * Network port, so its listener and connections belong to the incarnation).
 *
 *   POST   /orders {customer, item, cents}  the validator, then the customer's worker   200 the order and the customer's total
 *   GET    /customers/:id/total             the ledger                                  200 {customer, orders, cents}
 *   POST   /customers/:id                   starts the customer's worker                201 {customer, worker}
 *   DELETE /customers/:id                   stops it and frees its id                   200 {customer, worker}
 *   GET    /validator                       the validator's state                       200 {state: 'open' | 'cooling'}
 *
 * Every failure is a typed error with a `code`, whichever process it came from; the intake
 * answers it as an HTTP status and `{error: code}` (the table below), and never crashes on one.
 */
import type http from 'node:http';
import { z } from 'zod';
import { defineActor, serveHttp, type ActorContext } from '../../index.ts';
import { Customer, Intake, Ledger, Validator, type Order } from './protocols.ts';

export const IntakeConfig = z.object({
  host: z.string().default('127.0.0.1'),
  /** 0 picks a free port; ask the intake `where`. */
  port: z.number().int().min(0).max(65_535).default(8080),
  /** The dynamic supervisor of the customers' workers (on the core node). */
  customers: z.string().default('core/customers'),
});

/** The status each error code is answered with; anything else is a 500. */
const STATUS: Record<string, number> = {
  INVALID_MESSAGE: 400, // the body does not fit the validator's protocol (the typed ref checks it before sending)
  INVALID_SPEC: 400, // a customer id the dynamic supervisor refuses
  UNKNOWN_ADDRESS: 404, // no worker for that customer
  NOT_SUPERVISED: 404, // stopping a worker that is not there
  NOT_FOUND: 404,
  BODY_TOO_LARGE: 413,
  DUPLICATE_CHILD: 409, // starting a worker that is there
  TOO_LARGE: 422, // the validator's refusals
  THROTTLED: 429,
  ACTOR_CRASHED: 500, // the actor asked crashed on this very message
  ACTOR_STOPPED: 503,
  ASK_TIMEOUT: 504,
};

/** An error answered as an HTTP status: the validator's refusals, unknown routes. */
class Refusal extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

type Answer = { status: number; body: unknown };

export const intake = defineActor({
  protocol: Intake,
  config: IntakeConfig,
  async setup(ctx) {
    const routes = router(ctx);
    const http = await serveHttp(ctx, { host: ctx.config.host, port: ctx.config.port }, async (request, response) => {
      let answer: Answer;
      try {
        answer = await routes(request.method ?? 'GET', request.url ?? '/', await readBody(request));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        answer = typeof code === 'string' ? { status: STATUS[code] ?? 500, body: { error: code } } : { status: 500, body: { error: 'INTERNAL' } };
      }
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    return { where: () => http.address };
  },
});

function router(ctx: ActorContext<typeof Intake, z.output<typeof IntakeConfig>>) {
  const validator = ctx.ref('edge/validator', Validator);
  const ledger = ctx.ref('core/ledger', Ledger);
  const customers = ctx.dynamicSupervisor(ctx.config.customers);
  const workerOf = (customer: string) => ctx.ref(`${customers.address}/${customer}`, Customer);

  return async (method: string, url: string, body: unknown): Promise<Answer> => {
    const [path] = url.split('?');
    const customer = /^\/customers\/([^/]+)(\/total)?$/.exec(path);
    if (method === 'POST' && path === '/orders') {
      // Whatever came in is asked as it is: the ref checks it against the protocol (INVALID_MESSAGE).
      const order = body as Order;
      const verdict = await validator.ask('check', order);
      if (verdict !== 'ACCEPTED') throw new Refusal(verdict);
      return { status: 200, body: await workerOf(order.customer).ask('place', { item: order.item, cents: order.cents }) };
    }
    if (method === 'GET' && path === '/validator') return { status: 200, body: { state: await validator.ask('state', {}) } };
    if (customer && customer[2] && method === 'GET') return { status: 200, body: await ledger.ask('total', { customer: customer[1] }) };
    if (customer && !customer[2] && method === 'POST') {
      const started = await customers.start(customer[1]);
      return { status: 201, body: { customer: started.id, worker: started.address } };
    }
    if (customer && !customer[2] && method === 'DELETE') {
      const stopped = await customers.stop(customer[1]);
      return { status: 200, body: { customer: stopped.id, worker: stopped.address } };
    }
    throw new Refusal('NOT_FOUND');
  };
}

/** The request's body as JSON, or `undefined` when there is none or it is not JSON (the protocol then refuses it). */
async function readBody(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) throw new Refusal('BODY_TOO_LARGE');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
