import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { AirlockError, errorMessage } from '../../lib/errors.ts';
import { BadActionError, ObserverRefusedError } from './errors.ts';
import { EventStreamHub } from './event-stream-hub.ts';
import type { DeadLetterSource } from './dead-letter-source.ts';
import { NODE_ACTIONS, type NodeSource } from './node-source.ts';
import type { ObservedSystem } from './observed-system.ts';
import { ObserverAuth, SESSION_COOKIE, TOKEN_COOKIE, type Caller } from './observer-auth.ts';
import { MAX_ACTION_BODY_BYTES, MAX_STREAMS } from './observer-limits.ts';
import { observerPage } from './observer-page.ts';

const SCRIPT = new URL('./assets/observer.js', import.meta.url);

/** What the page may ask the observer to do; anything else is a 400. */
const ActionRequest = z.discriminatedUnion('action', [
  z.object({ action: z.enum(NODE_ACTIONS as ['restart', 'stop', 'start']), node: z.string().min(1).max(255), address: z.string().min(1).max(255) }),
  /** Without `id`, every dead letter; with it, the one whose message id it is. */
  z.object({ action: z.literal('requeue'), id: z.string().min(1).max(255).optional() }),
]);
type ActionRequest = z.infer<typeof ActionRequest>;

/** One audited action: who asked what, and how it ended. */
export interface AuditRecord {
  who: string;
  action: string;
  target: string;
  result: string;
}

export interface ObserverServerOptions {
  system: ObservedSystem;
  nodes: NodeSource;
  deadLetters?: DeadLetterSource;
  auth: ObserverAuth;
  title: string;
  /** Every action and every refused action request, as it ends. */
  audit: (record: AuditRecord) => void;
  /** How often batched changes leave for the browsers; `PUSH_INTERVAL_MS` (the bench compares it with 0). */
  pushIntervalMs?: number;
}

/**
 * The observer's HTTP face (Node's `http` only): the page, its script, the event stream and the
 * action endpoint. Every request passes the gate (`ObserverAuth`); the control key stays in this
 * process, which signs each action on the operator's behalf.
 */
export class ObserverServer {
  private readonly server: Server;
  private readonly hub: EventStreamHub;

  constructor(private readonly options: ObserverServerOptions) {
    this.hub = new EventStreamHub(options.system, options.pushIntervalMs);
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve(this.server.address() as AddressInfo));
    });
  }

  async close(): Promise<void> {
    this.hub.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://observer');
      if (request.method === 'POST' && url.pathname === '/actions') return await this.action(request, response);
      if (request.method !== 'GET') return send(response, 405, { ok: false, error: { code: 'OBSERVER_METHOD', message: `${request.method} is not served` } });
      const token = url.searchParams.get('token');
      if (url.pathname === '/' && token !== null && this.options.auth.tokenMatches(token)) {
        // The token leaves the address bar: from now on the cookie carries it.
        response.writeHead(303, { location: '/', 'set-cookie': ObserverAuth.cookie(TOKEN_COOKIE, token), 'referrer-policy': 'no-referrer' });
        return void response.end();
      }
      this.options.auth.admit(request);
      if (url.pathname === '/') return this.page(request, response);
      if (url.pathname === '/observer.js') return await this.script(response);
      if (url.pathname === '/events') return this.events(response);
      send(response, 404, { ok: false, error: { code: 'OBSERVER_NOT_FOUND', message: `nothing at ${url.pathname}` } });
    } catch (error) {
      this.fail(response, error);
    }
  }

  private page(request: IncomingMessage, response: ServerResponse): void {
    const session = this.options.auth.session(request);
    const html = observerPage(this.options.system.snapshot(), this.options.auth.csrfToken(session.id), this.options.title);
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      ...(session.fresh ? { 'set-cookie': ObserverAuth.cookie(SESSION_COOKIE, session.id) } : {}),
    });
    response.end(html);
  }

  private async script(response: ServerResponse): Promise<void> {
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/javascript; charset=utf-8' });
    response.end(await readFile(SCRIPT));
  }

  private events(response: ServerResponse): void {
    if (this.hub.size >= MAX_STREAMS) return send(response, 503, { ok: false, error: { code: 'OBSERVER_BUSY', message: `${MAX_STREAMS} browsers watch already` } });
    this.hub.attach(response);
  }

  private async action(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let caller: Caller;
    try {
      caller = this.options.auth.authorizeAction(request);
    } catch (error) {
      const who = `${request.socket.remoteAddress ?? '?'} (unauthorized)`;
      this.options.audit({ who, action: 'request', target: request.url ?? '/', result: `refused: ${errorMessage(error)}` });
      if (error instanceof AirlockError) this.options.system.record({ node: '-', address: '-', kind: 'refused', detail: `${error.code} from ${who}` });
      throw error;
    }
    const body = parseAction(await readBody(request));
    const who = `session ${caller.session} from ${caller.remote}`;
    const target = body.action === 'requeue' ? (body.id === undefined ? 'dead letters' : `dead letter ${body.id}`) : body.address;
    try {
      const summary = await this.perform(body);
      this.options.audit({ who, action: body.action, target, result: `ok: ${summary}` });
      send(response, 200, { ok: true, summary });
    } catch (error) {
      this.options.audit({ who, action: body.action, target, result: `failed: ${errorMessage(error)}` });
      this.options.system.record({ node: body.action === 'requeue' ? '-' : body.node, address: target, kind: 'refused', detail: `${body.action} failed: ${errorMessage(error)}` });
      const code = error instanceof AirlockError ? error.code : 'INTERNAL';
      send(response, error instanceof BadActionError ? 400 : 502, { ok: false, error: { code, message: errorMessage(error) } });
    }
  }

  private async perform(body: ActionRequest): Promise<string> {
    const { system } = this.options;
    if (body.action === 'requeue') {
      if (!this.options.deadLetters) throw new BadActionError('dead letters live on the broker: observe with --amqp to requeue them');
      const { moved, kept } = await this.options.deadLetters.requeue(body.id);
      await system.refreshDeadLetters();
      if (body.id !== undefined && moved.length + kept.length === 0) throw new BadActionError(`no dead letter ${body.id} (requeued or purged meanwhile?)`);
      const summary = `requeued ${moved.length}, kept ${kept.length}`;
      system.record({ node: '-', address: moved[0]?.address ?? '-', kind: 'action', detail: summary });
      return summary;
    }
    if (body.address !== body.node && !body.address.startsWith(`${body.node}/`)) throw new BadActionError(`node ${body.node} does not host ${body.address}`);
    const outcome = await this.options.nodes.act(body.node, body.action, body.address);
    await system.refresh(body.node);
    const summary = `${body.action} ${outcome.address}: ${outcome.status.state}, restarts ${outcome.status.restarts}`;
    system.record({ node: body.node, address: body.address, kind: 'action', detail: summary });
    return summary;
  }

  private fail(response: ServerResponse, error: unknown): void {
    if (response.headersSent) return void response.destroy();
    const status = error instanceof ObserverRefusedError ? 403 : error instanceof BadActionError ? 400 : 500;
    const code = error instanceof AirlockError ? error.code : 'INTERNAL';
    send(response, status, { ok: false, error: { code, message: errorMessage(error) } });
  }
}

/** No framing by other sites (the buttons act), scripts only from here, no token in a Referer. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the bound the rest is read and dropped, so the refusal can still be answered.
      if (size > MAX_ACTION_BODY_BYTES) reject(new BadActionError(`an action request is at most ${MAX_ACTION_BODY_BYTES} bytes`));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseAction(text: string): ActionRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadActionError('an action request is JSON');
  }
  const parsed = ActionRequest.safeParse(json);
  if (!parsed.success) throw new BadActionError(`not an action: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  return parsed.data;
}
