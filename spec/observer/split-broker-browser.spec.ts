import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createSystem, type ActorSystem } from '../../index.ts';
import { connectRabbit, type RabbitTransport } from '../../transports/rabbitmq/index.ts';
import { readPublicKeys, RegistrarProtocol, writeKeyDir } from '../../actors/split-broker/index.ts';
import { RunningNode } from '../bin/airlock-process.ts';
import { rendezvous } from '../actors/split-broker/loopback.ts';
import { BROKER_URL, cleanup, requireBroker, uniqueNamespace } from '../transports/rabbitmq/broker.ts';
import { CHROMIUM_ARGS, requireChromium } from './chromium.ts';
import { SEEN, startObserve, stopObserve, waitForCell, type ObserveProcess } from './support.ts';

const TOPOLOGY = fileURLToPath(new URL('../../examples/split-broker/topology.ts', import.meta.url));
const NODES = ['edge', 'keyholder', 'core'] as const;
/** Every registrar and `$ops` listener on a free port, so that parallel runs never collide. */
const FREE_PORTS = { SPLIT_BROKER_HTTP_PORT: '0', SPLIT_BROKER_AMP_PORT: '0', SPLIT_BROKER_DNS_PORT: '0', SPLIT_BROKER_EDGE_OPS_PORT: '0', SPLIT_BROKER_KEYHOLDER_OPS_PORT: '0', SPLIT_BROKER_CORE_OPS_PORT: '0' };
/** The rows of the page in order: each node's supervisor, then its children in start order; nodes by name. */
const TREE = [
  ['core', 'core/matcher', 'core/ops'],
  ['edge', 'edge/http', 'edge/amp', 'edge/dns', 'edge/ops'],
  ['keyholder', 'keyholder/oracle', 'keyholder/ops'],
];
const ADDRESSES = TREE.flat();
/** Each row as the page draws it: its indentation (14 px a level) and its address. */
const DRAWN_TREE = TREE.flatMap(([supervisor, ...children]) => [`padding-left:0px ${supervisor}`, ...children.map((address) => `padding-left:14px ${address}`)]);
/** The queues the nodes declare in the namespace (deleted after the run). */
const QUEUES = [...TREE.flatMap(([, ...actors]) => actors), ...NODES.map((node) => `${node}/$control`)];

/**
 * Issue 22 on the real thing: the split broker demo topology (examples/split-broker/topology.ts)
 * as `airlock run` runs it over RabbitMQ, one process per node (`airlock run` takes one node or
 * all), watched by `airlock observe` in Debian's chromium: the three trees, the matcher's handled
 * figure and done/s rising under real rendezvous over HTTP, and a restart of core/matcher clicked and
 * confirmed, touching nothing else.
 */
describe('airlock observe in a browser on the split broker (edge, keyholder, core over RabbitMQ)', function () {
  // Three `airlock run` processes, `airlock observe` and chromium start on a 2-core machine shared with other engineers' specs.
  this.timeout(90_000);
  const namespace = uniqueNamespace('observe-sb');
  const amqp = ['--amqp', BROKER_URL, '--namespace', namespace];
  const nodes: RunningNode[] = [];
  let cwd: string;
  let observer: ObserveProcess;
  let browser: Browser;
  let page: Page;
  let transport: RabbitTransport;
  let system: ActorSystem;

  before(async () => {
    await requireBroker();
    const executablePath = requireChromium();
    cwd = await mkdtemp(join(tmpdir(), 'airlock-observe-sb-'));
    writeKeyDir(join(cwd, 'oracle'));
    // Only the keyholder is told where the keys are, as in production.
    const keyDirOf = (node: string) => join(cwd, node === 'keyholder' ? 'oracle' : 'no-keys-here');
    // Started side by side; each is kept once up, so that `after` stops every one that came up.
    await allStarted(NODES.map((node) => RunningNode.startWithEnv(cwd, { ...FREE_PORTS, SPLIT_BROKER_KEY_DIR: keyDirOf(node) }, TOPOLOGY, '--node', node, ...amqp).then((running) => nodes.push(running))));
    await allStarted([
      startObserve(cwd, [...amqp, '--node', NODES.join(',')]).then((started) => (observer = started)),
      chromium.launch({ executablePath, args: CHROMIUM_ARGS }).then((launched) => (browser = launched)),
    ]);
    page = await browser.newPage({ viewport: { width: 1400, height: 760 } });
    transport = await connectRabbit({ url: BROKER_URL, namespace });
    system = createSystem({ name: 'spec', transport });
  });

  after(async () => {
    await browser?.close();
    await system?.stop({ drainTimeoutMs: 0 });
    await transport?.close();
    await stopObserve(observer);
    await Promise.all(nodes.map((node) => node.stop()));
    if (cwd) await rm(cwd, { recursive: true, force: true });
    await cleanup(namespace, QUEUES);
  });

  const row = (address: string) => page.locator(`#viewport .row[data-address="${address}"]`);
  /** The matcher's handled figure as the observer pushed it to the page (the table shows its rate, done/s). */
  const matcherHandled = () =>
    page.evaluate(() => (globalThis as unknown as { __observer: { rows: Map<string, { handled?: number }> } }).__observer.rows.get('core|core/matcher')?.handled);

  /** The matcher's done/s cell, found by its column's header (the table's cells have no class of their own). */
  const matcherDonePerSecond = async () => {
    const titles = await page.locator('.row.head > span').evaluateAll((spans) => spans.map((span) => span.getAttribute('title')));
    return row('core/matcher').locator(':scope > span').nth(titles.indexOf('messages handled per second')).textContent(SEEN);
  };

  it('shows the three nodes\' trees: registrars, oracle and matcher under their supervisors', async () => {
    await page.goto(observer.url);
    await page.locator('#connection.up').waitFor(SEEN);
    for (const address of ['edge', 'edge/http', 'edge/dns', 'keyholder', 'keyholder/oracle', 'core', 'core/matcher']) await row(address).waitFor(SEEN);
    // The tree as drawn: each node's supervisor, its children indented under it, in start order.
    const drawn = await page.locator('#viewport .row').evaluateAll((rows) => rows.map((item) => `${item.querySelector('.address')?.getAttribute('style')} ${item.getAttribute('data-address')}`));
    assert.deepEqual(drawn, DRAWN_TREE);
    for (const supervisor of NODES) assert.equal(await row(supervisor).locator('.kind').textContent(), 'sup one_for_one', supervisor);
    for (const actor of ['edge/http', 'edge/dns', 'keyholder/oracle', 'core/matcher']) {
      assert.equal(await row(actor).locator('.kind').textContent(), 'actor', actor);
      assert.equal(await row(actor).locator('.state').textContent(), 'running', actor);
    }
    assert.deepEqual(await page.locator('#nodes .node.up').evaluateAll((items) => items.map((item) => item.getAttribute('data-node'))), ['core', 'edge', 'keyholder']);
  });

  it('shows the matcher\'s handled figure rise, and its done/s, under rendezvous over HTTP', async () => {
    const before = (await matcherHandled()) ?? 0;
    const { port } = await system.ref('edge/http', RegistrarProtocol).ask('where', {});
    // Only the HTTP port is dialled; the others are not this method's.
    const ports = { http: port, amp: 0, dns: 0, zone: 'unused' };
    const keys = readPublicKeys(join(cwd, 'oracle'));
    let round = 0;
    const once = () => rendezvous('http', ports, keys, `observer-${process.pid}-${++round}`);
    assert.match(await once(), /^answer of proxy-observer-/);
    // A proxy's poll and a client's offer at least: two messages handled by the matcher.
    await waitFor(async () => ((await matcherHandled()) ?? 0) >= before + 2, async () => `the matcher's handled figure went from ${before} to ${await matcherHandled()}`);
    // The table shows the rate (between two polls a second apart): rendezvous go on until it is seen.
    let loading = true;
    const load = (async () => {
      while (loading) await once();
    })();
    try {
      await waitFor(async () => parseFloat((await matcherDonePerSecond()) ?? '') > 0, async () => `core/matcher's done/s stayed '${await matcherDonePerSecond()}'`);
    } finally {
      loading = false;
      await load;
    }
  });

  it('restarts core/matcher after a confirmation: its restart count is 1, the event shows, nothing else restarted', async () => {
    await row('core/matcher').locator('button[data-action="restart"]').click();
    await page.locator('#confirm[open]').waitFor(SEEN);
    assert.equal(await page.textContent('#confirm-text'), 'restart core/matcher on node core?');
    await page.click('#confirm-ok');
    await waitForCell(page, 'core/matcher', 'restarts', (text) => text === '1');
    await page.locator('#events .event.kind-restarted[data-address="core/matcher"]').waitFor(SEEN);
    const restarts = await page.locator('#viewport .row').evaluateAll((rows) => rows.map((item) => `${item.getAttribute('data-address')} ${item.querySelector('.restarts')?.textContent}`));
    assert.deepEqual(restarts, ADDRESSES.map((address) => `${address} ${address === 'core/matcher' ? 1 : 0}`), 'one_for_one: only core/matcher restarted');
  });
});

/** Polls `passes` every 100 ms until it holds; fails after SEEN.timeout with `why()`. */
async function waitFor(passes: () => Promise<boolean>, why: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + SEEN.timeout;
  while (!(await passes())) {
    if (Date.now() > deadline) throw new Error(await why());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for every start to settle, then throws the first failure (Promise.all would leave the slower ones running unseen). */
async function allStarted(starts: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(starts)).find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}
