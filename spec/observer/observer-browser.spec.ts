import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createSystem, DEAD_LETTER_HEADERS, deadLetterQueueName, encodeEnvelope, queueName, type ActorSystem } from '../../internal.ts';
import { connectRabbit } from '../../transports/rabbitmq/index.ts';
import { RunningNode } from '../bin/airlock-process.ts';
import { BROKER_URL, cleanup, rawChannel, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';
import { Worker } from './fixtures/observed-topology.ts';
import { requireChromium, CHROMIUM_ARGS, waitForRows } from './chromium.ts';
import { SEEN, startObserve, stopObserve, waitForCell, type ObserveProcess } from './support.ts';

const TOPOLOGY = fileURLToPath(new URL('./fixtures/observed-topology.ts', import.meta.url));
// The README's screenshot: written to docs/ only when asked (AIRLOCK_UPDATE_SCREENSHOT=1), so that
// running the suite leaves the checkout clean; otherwise to a scratch file, taken all the same.
const SCREENSHOT = process.env.AIRLOCK_UPDATE_SCREENSHOT === '1'
  ? fileURLToPath(new URL('../../docs/observer.png', import.meta.url))
  : join(tmpdir(), `airlock-observer-${process.pid}.png`);
const ACTORS = ['edge/http', 'edge/smtp', 'edge/bridges/in', 'edge/bridges/out', 'core/matcher', 'core/ledger', 'edge/$control', 'core/$control'];

/**
 * `airlock observe` over RabbitMQ on a topology split across two `airlock run` processes,
 * driven in Debian's chromium: the tree, a mailbox filling under a burst, a restart clicked
 * and confirmed, a dead letter requeued, and action requests without the page's session refused.
 */
describe('airlock observe in a browser (two nodes over RabbitMQ)', function () {
  this.timeout(60_000);
  const namespace = uniqueNamespace('observe');
  const amqp = ['--amqp', BROKER_URL, '--namespace', namespace];
  let cwd: string;
  let edge: RunningNode;
  let core: RunningNode;
  let observer: ObserveProcess;
  let url: string;
  let browser: Browser;
  let page: Page;
  let sender: { system: ActorSystem; close(): Promise<void> };

  before(async () => {
    await requireBroker();
    const executablePath = requireChromium();
    cwd = await mkdtemp(join(tmpdir(), 'airlock-observe-'));
    [edge, core] = await Promise.all([
      RunningNode.start(cwd, TOPOLOGY, '--node', 'edge', ...amqp),
      RunningNode.start(cwd, TOPOLOGY, '--node', 'core', ...amqp),
    ]);
    // No --node: the observer finds both by calling the roll of the namespace.
    observer = await startObserve(cwd, amqp);
    url = observer.url;
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 760 } });
    const transport = await connectRabbit({ url: BROKER_URL, namespace });
    const system = createSystem({ name: 'burst', transport });
    sender = { system, close: async () => (await system.stop({ drainTimeoutMs: 0 }), await transport.close()) };
  });

  after(async () => {
    await browser?.close();
    await sender?.close();
    await stopObserve(observer);
    await Promise.all([edge?.stop(), core?.stop()]);
    if (cwd) await rm(cwd, { recursive: true, force: true });
    await cleanup(namespace, ACTORS);
  });

  const row = (address: string) => page.locator(`#viewport .row[data-address="${address}"]`);

  it('shows each node\'s supervision tree, live', async () => {
    await page.goto(url);
    await page.locator('#connection.up').waitFor(SEEN);
    for (const address of ['edge', 'edge/http', 'edge/smtp', 'edge/bridges', 'edge/bridges/in', 'edge/bridges/out', 'core', 'core/matcher', 'core/ledger']) {
      await row(address).waitFor(SEEN);
    }
    assert.equal(await row('edge/bridges').locator('span').nth(1).textContent(), 'sup one_for_all');
    assert.equal(await row('core').locator('span').nth(1).textContent(), 'sup rest_for_one');
    assert.equal(await row('edge/http').locator('.state').textContent(), 'running');
    assert.deepEqual(await page.locator('#nodes .node.up').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node'))), ['core', 'edge']);
  });

  it('collapses a supervisor and finds an actor by address', async () => {
    await row('edge/bridges').locator('[data-toggle]').click();
    await row('edge/bridges/in').waitFor({ state: 'detached', ...SEEN });
    await row('edge/bridges').locator('[data-toggle]').click();
    await row('edge/bridges/in').waitFor(SEEN);
    await page.fill('#search', 'ledger');
    await waitForRows(page, 1, SEEN.timeout);
    assert.equal(await page.locator('#viewport .row').getAttribute('data-address'), 'core/ledger');
    await page.fill('#search', '');
    await row('edge/http').waitFor(SEEN);
  });

  it('shows a mailbox filling under a burst', async () => {
    const matcher = sender.system.ref('core/matcher', Worker);
    // 300 × 20 ms: ~6 s of work, far longer than a poll; the node holds up to its prefetch (64) at once.
    await Promise.all(Array.from({ length: 300 }, () => matcher.tell('work', { ms: 20 })));
    await waitForCell(page, 'core/matcher', 'mailbox', (text) => parseInt(text, 10) >= 10);
  });

  it('restarts an actor after a confirmation, and shows its restart count and the event', async () => {
    await row('edge/http').locator('button[data-action="restart"]').click();
    await page.locator('#confirm[open]').waitFor(SEEN);
    assert.equal(await page.textContent('#confirm-text'), 'restart edge/http on node edge?');
    await page.click('#confirm-ok');
    await waitForCell(page, 'edge/http', 'restarts', (text) => text === '1');
    await page.locator('#events .event.kind-restarted[data-address="edge/http"]').waitFor(SEEN);
    await page.locator('#events .event.kind-action[data-address="edge/http"]').waitFor(SEEN);
    assert.match(await page.textContent('#toast') ?? '', /^restart edge\/http: running, restarts 1$/);
    assert.equal(await row('edge/smtp').locator('.restarts').textContent(), '0', 'one_for_one: nothing else restarted');
    const audit = observer.lines.find((line) => line.startsWith('airlock: audit ') && line.includes('"action":"restart"'));
    assert.ok(audit, 'the restart is audited');
    assert.deepEqual(pick(JSON.parse(audit.slice('airlock: audit '.length)), ['action', 'target', 'result']), { action: 'restart', target: 'edge/http', result: 'ok: restart edge/http: running, restarts 1' });
  });

  it('filters the event stream by actor', async () => {
    await page.fill('#event-filter', 'edge/http');
    const shown = await page.locator('#events .event:not([hidden])').evaluateAll((events) => events.map((event) => event.getAttribute('data-address')));
    assert.ok(shown.length > 0 && shown.every((address) => address === 'edge/http'), String(shown));
    await page.fill('#event-filter', '');
  });

  it('lists a dead letter and requeues it, by its own button, to its actor', async () => {
    const { connection, channel } = await rawChannel();
    try {
      const envelope = encodeEnvelope({ id: `observer-spec-${process.pid}`, to: 'edge/smtp', type: 'bump', body: {}, attempt: 2 });
      await new Promise<void>((resolve, reject) =>
        channel.sendToQueue(deadLetterQueueName(namespace), Buffer.from(envelope), {
          persistent: true,
          messageId: `observer-spec-${process.pid}`,
          headers: {
            [DEAD_LETTER_HEADERS.reason]: 'ACTOR_CRASHED',
            [DEAD_LETTER_HEADERS.error]: 'actor edge/smtp crashed handling the message: flaky',
            [DEAD_LETTER_HEADERS.address]: 'edge/smtp',
            [DEAD_LETTER_HEADERS.queue]: queueName(namespace, 'edge/smtp'),
            [DEAD_LETTER_HEADERS.attempts]: 3,
          },
        }, (error) => (error ? reject(error) : resolve())),
      );
    } finally {
      await connection.close();
    }
    await page.locator('#dead-letters .dead-letter', { hasText: 'edge/smtp' }).waitFor(SEEN);
    await waitForCell(page, 'edge/smtp', 'dlq', (text) => text === '1');
    await page.locator('#events .event.kind-dead-lettered[data-address="edge/smtp"]').waitFor(SEEN);
    await page.screenshot({ path: SCREENSHOT });
    if (process.env.AIRLOCK_UPDATE_SCREENSHOT !== '1') await rm(SCREENSHOT, { force: true });

    await page.locator('#dead-letters .dead-letter[data-address="edge/smtp"] button.requeue-one').click();
    assert.equal(await page.textContent('#confirm-text'), 'requeue this dead letter to edge/smtp?');
    await page.click('#confirm-ok');
    await page.locator('#events .event.kind-action', { hasText: 'requeued 1, kept 0' }).waitFor(SEEN);
    await page.locator('#dead-letters .dead-letter').waitFor({ state: 'detached', ...SEEN });
    assert.equal(await sender.system.ref('edge/smtp', Worker).ask('count', {}), 1, 'the requeued message was handled');
  });

  it('refuses action requests without the page\'s session, or from another origin (403, typed)', async () => {
    const base = new URL(url);
    const post = (headers: Record<string, string>) =>
      fetch(new URL('/actions', base), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ action: 'restart', node: 'edge', address: 'edge/http' }) });
    const bare = await post({});
    assert.equal(bare.status, 403);
    assert.equal(((await bare.json()) as { error: { code: string } }).error.code, 'OBSERVER_CROSS_ORIGIN');
    const sameOriginNoCsrf = await post({ origin: base.origin });
    assert.deepEqual([sameOriginNoCsrf.status, ((await sameOriginNoCsrf.json()) as { error: { code: string } }).error.code], [403, 'OBSERVER_BAD_CSRF']);
    // From a page of another origin, as a browser sends it.
    const crossOrigin = await page.evaluate(async (target) => {
      const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"action":"requeue"}', mode: 'no-cors' }).catch(() => undefined);
      return response?.type;
    }, new URL('/actions', `http://localhost:${base.port}`).href);
    assert.ok(crossOrigin === 'opaque' || crossOrigin === undefined);
    await page.locator('#events .event.kind-refused').first().waitFor(SEEN);
    assert.equal(await row('edge/http').locator('.restarts').textContent(), '1', 'nothing was restarted');
  });
});

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, record[key]]));
}
