import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { UnknownMessageTypeError, type ChildStatus } from '../../internal.ts';
import type { ChildOutcome, LoggedEvent, NodeEvents, NodeStatus } from '../../node/index.ts';
import type { NodeAction, NodeFigures, NodeSource } from '../../bin/observer/node-source.ts';
import { ObservedSystem } from '../../bin/observer/observed-system.ts';
import { ObserverAuth } from '../../bin/observer/observer-auth.ts';
import { ObserverServer, type AuditRecord } from '../../bin/observer/observer-server.ts';

/** A node that answers from memory and counts what it was asked. */
class FakeNodes implements NodeSource {
  statusCalls = 0;
  readonly actions: string[] = [];
  restarts = 0;

  async nodes() {
    return ['edge'];
  }

  async status(node: string): Promise<NodeStatus> {
    this.statusCalls++;
    return { ok: true, node, transport: 'fake', tree: [this.tree()] };
  }

  async stats(): Promise<NodeFigures> {
    return { at: 0, actors: [] };
  }

  /** An older node: no event log, so the observer reads events from the rows' changes. */
  async events(_node: string, _after?: number): Promise<NodeEvents> {
    throw new UnknownMessageTypeError('airlock.control', 'events');
  }

  async act(_node: string, action: NodeAction, address: string): Promise<ChildOutcome> {
    this.actions.push(`${action} ${address}`);
    if (action === 'restart') this.restarts++;
    return { ok: true, address, status: { address, kind: 'actor', state: 'running', restarts: this.restarts } };
  }

  async close() {}

  private tree(): ChildStatus {
    return {
      address: 'edge',
      kind: 'supervisor',
      state: 'running',
      restarts: 0,
      strategy: 'one_for_one',
      children: [{ address: 'edge/http', kind: 'actor', state: 'running', restarts: this.restarts, mailboxDepth: 0, handled: 0, failed: 0 }],
    };
  }
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly the headers given (fetch would add an Origin of its own to none). */
function call(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        // An event stream never ends: its first frame is enough.
        if (res.headers['content-type']?.startsWith('text/event-stream') && text.includes('\n\n')) {
          req.destroy();
          resolve({ status: res.statusCode!, headers: res.headers, body: text });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const code = (answer: Answer) => (JSON.parse(answer.body) as { error: { code: string } }).error.code;
const cookieOf = (answer: Answer) => String(answer.headers['set-cookie']).split(';')[0];

/**
 * The observer's HTTP gate and its fan-out, against a node faked in memory: who may see the
 * page and the event stream, who may act, that actions are audited, and that browsers never
 * make the observer ask the nodes more often.
 */
describe('the observer server', function () {
  /** Real sockets on loopback, nothing slow: 10 s is room for a busy machine. */
  this.timeout(10_000);
  let nodes: FakeNodes;
  let system: ObservedSystem;
  let server: ObserverServer;
  let port: number;
  let audit: AuditRecord[];

  async function start(auth: ObserverAuth) {
    nodes = new FakeNodes();
    audit = [];
    // Polled once at start and (an hour later) again: every further status below is an action's refresh.
    system = new ObservedSystem({ nodes, pollIntervalMs: 3_600_000 });
    server = new ObserverServer({ system, nodes, auth, title: 'spec', audit: (record) => audit.push(record) });
    await system.start();
    port = (await server.listen(0, '127.0.0.1')).port;
  }

  afterEach(async () => {
    await server.close();
    await system.close();
  });

  /** A page load: the session cookie and the CSRF token in the page. */
  async function session(headers: Record<string, string> = {}) {
    const page = await call(port, 'GET', '/', headers);
    assert.equal(page.status, 200);
    const csrf = /name="airlock-csrf" content="([^"]+)"/.exec(page.body)![1];
    return { cookie: cookieOf(page), csrf };
  }

  const action = (headers: Record<string, string>, body: unknown) =>
    call(port, 'POST', '/actions', { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}`, ...headers }, JSON.stringify(body));

  describe('on loopback', () => {
    beforeEach(() => start(ObserverAuth.loopback()));

    it('serves the page with the tree, its script and the event stream', async () => {
      const page = await call(port, 'GET', '/');
      assert.equal(page.status, 200);
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.match(String(page.headers['set-cookie']), /^airlock_observer_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
      assert.equal((await call(port, 'GET', '/observer.js')).status, 200);
      const stream = await call(port, 'GET', '/events');
      assert.match(stream.body, /^event: snapshot\ndata: \{"rows":\[\{"key":"edge\|edge"/);
    });

    it('refuses a Host that is not loopback (DNS rebinding)', async () => {
      const answer = await call(port, 'GET', '/', { host: `attacker.example:${port}` });
      assert.deepEqual([answer.status, code(answer)], [403, 'OBSERVER_BAD_HOST']);
    });

    it('acts for a page of its own, signs nothing in the browser, and audits who did what', async () => {
      const { cookie, csrf } = await session();
      const answer = await action({ cookie, 'x-airlock-csrf': csrf }, { action: 'restart', node: 'edge', address: 'edge/http' });
      assert.deepEqual([answer.status, JSON.parse(answer.body)], [200, { ok: true, summary: 'restart edge/http: running, restarts 1' }]);
      assert.deepEqual(nodes.actions, ['restart edge/http']);
      assert.equal(audit.length, 1);
      assert.match(audit[0].who, /^session [\w-]{8} from 127\.0\.0\.1$/);
      assert.deepEqual({ ...audit[0], who: '' }, { who: '', action: 'restart', target: 'edge/http', result: 'ok: restart edge/http: running, restarts 1' });
      assert.deepEqual(system.snapshot().events.map((event) => [event.kind, event.address]), [['restarted', 'edge/http'], ['action', 'edge/http']]);
    });

    const refusals: [string, (s: { cookie: string; csrf: string }) => Record<string, string>, string][] = [
      ['no Origin', (s) => ({ cookie: s.cookie, 'x-airlock-csrf': s.csrf, origin: '' }), 'OBSERVER_CROSS_ORIGIN'],
      ['another Origin', (s) => ({ cookie: s.cookie, 'x-airlock-csrf': s.csrf, origin: 'http://attacker.example' }), 'OBSERVER_CROSS_ORIGIN'],
      ['no CSRF token', (s) => ({ cookie: s.cookie }), 'OBSERVER_BAD_CSRF'],
      ['another session\'s CSRF token', (s) => ({ cookie: 'airlock_observer_session=AAAAAAAAAAAAAAAAAAAAAAAA', 'x-airlock-csrf': s.csrf }), 'OBSERVER_BAD_CSRF'],
      ['no session', (s) => ({ 'x-airlock-csrf': s.csrf }), 'OBSERVER_BAD_CSRF'],
    ];
    for (const [what, headers, expected] of refusals) {
      it(`refuses an action with ${what} (403 ${expected}), audited`, async () => {
        const answer = await action(headers(await session()), { action: 'restart', node: 'edge', address: 'edge/http' });
        assert.deepEqual([answer.status, code(answer)], [403, expected]);
        assert.deepEqual(nodes.actions, []);
        assert.match(audit[0].result, /^refused: /);
      });
    }

    const badBodies: [string, string][] = [
      ['not JSON', '{'],
      ['an unknown action', JSON.stringify({ action: 'kill', node: 'edge', address: 'edge/http' })],
      ['an address another node hosts', JSON.stringify({ action: 'stop', node: 'edge', address: 'core/matcher' })],
      ['a body past the bound', JSON.stringify({ action: 'stop', node: 'edge', address: 'x'.repeat(5_000) })],
      ['a requeue without a broker', JSON.stringify({ action: 'requeue' })],
    ];
    for (const [what, body] of badBodies) {
      it(`answers ${what} with a typed 400 and acts on nothing`, async () => {
        const { cookie, csrf } = await session();
        const answer = await call(port, 'POST', '/actions', { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}`, cookie, 'x-airlock-csrf': csrf }, body);
        assert.deepEqual([answer.status, code(answer)], [400, 'OBSERVER_BAD_ACTION']);
        assert.deepEqual(nodes.actions, []);
      });
    }

    it('serves any number of pages and streams from what it polled: browsers add no requests to the nodes', async () => {
      const before = nodes.statusCalls;
      await Promise.all(Array.from({ length: 8 }, () => call(port, 'GET', '/')));
      await Promise.all(Array.from({ length: 8 }, () => call(port, 'GET', '/events')));
      assert.equal(nodes.statusCalls, before);
    });

    it('batches changes: 200 events within one push interval reach a browser as one update', async () => {
      const frames: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/events' }, (res) => {
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (chunk: string) => {
            text += chunk;
            const parts = text.split('\n\n');
            text = parts.pop()!;
            frames.push(...parts);
            if (frames.length === 1) for (let i = 0; i < 200; i++) system.record({ node: 'edge', address: 'edge/http', kind: 'action', detail: `#${i}` });
            if (frames.length === 2) {
              req.destroy();
              resolve();
            }
          });
        });
        req.on('error', reject);
        req.end();
      });
      assert.ok(frames[1].startsWith('event: update\n'));
      const update = JSON.parse(frames[1].slice(frames[1].indexOf('data: ') + 6)) as { events: unknown[] };
      assert.equal(update.events.length, 200);
    });
  });

  describe('reachable (--listen), with a token', () => {
    let token: string;
    beforeEach(async () => {
      const auth = ObserverAuth.reachable();
      token = auth.token!;
      await start(auth);
    });

    it('refuses the page, its script, the event stream and actions without the token', async () => {
      for (const path of ['/', '/observer.js', '/events', '/?token=wrong']) {
        const answer = await call(port, 'GET', path);
        assert.deepEqual([answer.status, code(answer)], [403, 'OBSERVER_UNAUTHENTICATED'], path);
      }
      const answer = await action({}, { action: 'restart', node: 'edge', address: 'edge/http' });
      assert.deepEqual([answer.status, code(answer)], [403, 'OBSERVER_UNAUTHENTICATED']);
    });

    it('takes the token once from the address into a cookie, or as a bearer header', async () => {
      const entry = await call(port, 'GET', `/?token=${token}`);
      assert.deepEqual([entry.status, entry.headers.location], [303, '/']);
      const tokenCookie = cookieOf(entry);
      const { cookie, csrf } = await session({ cookie: tokenCookie });
      const answer = await action({ cookie: `${tokenCookie}; ${cookie}`, 'x-airlock-csrf': csrf }, { action: 'stop', node: 'edge', address: 'edge/http' });
      assert.equal(answer.status, 200);
      assert.deepEqual(nodes.actions, ['stop edge/http']);
      assert.equal((await call(port, 'GET', '/events', { authorization: `Bearer ${token}` })).status, 200);
      // The CSRF token still matters with the bearer token.
      const forged = await action({ authorization: `Bearer ${token}`, cookie }, { action: 'stop', node: 'edge', address: 'edge/http' });
      assert.deepEqual([forged.status, code(forged)], [403, 'OBSERVER_BAD_CSRF']);
    });
  });

  describe('with a node that keeps an event log', () => {
    it('shows the node\'s own events once each, with their time, and reads a new life of the node from its start', async () => {
      const logging = new (class extends FakeNodes {
        epoch = 'life-1';
        log: LoggedEvent[] = [
          { seq: 1, at: 10, kind: 'started', address: 'edge/http', detail: '' },
          { seq: 2, at: 20, kind: 'reply-dropped', address: 'edge/http', detail: 'NO_PENDING_ASK: late' },
        ];
        override async events(node: string, after = 0): Promise<NodeEvents> {
          return { ok: true, node, epoch: this.epoch, events: this.log.filter((event) => event.seq > after) };
        }
      })();
      nodes = logging;
      system = new ObservedSystem({ nodes, pollIntervalMs: 3_600_000 });
      server = new ObserverServer({ system, nodes, auth: ObserverAuth.loopback(), title: 'spec', audit: () => {} });
      await system.start();
      const seen = () => system.snapshot().events.map((event) => `${event.at} ${event.kind} ${event.detail}`);
      assert.deepEqual(seen(), ['10 started ', '20 reply-dropped NO_PENDING_ASK: late']);

      logging.restarts = 1; // a restart the rows show: the log, not the rows, tells it
      logging.log.push({ seq: 3, at: 30, kind: 'restarted', address: 'edge/http', detail: 'restart #1' });
      await system.refresh('edge');
      assert.deepEqual(seen().slice(2), ['30 restarted restart #1']);

      logging.epoch = 'life-2';
      logging.log = [{ seq: 1, at: 40, kind: 'started', address: 'edge/http', detail: '' }];
      await system.refresh('edge');
      assert.deepEqual(seen().slice(3), ['40 started ']);
    });
  });
});
