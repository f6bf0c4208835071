import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ChildStatus } from '../../internal.ts';
import type { ActorStatsWire, ChildOutcome, NodeStatus } from '../../node/index.ts';
import type { NodeSource } from '../../bin/observer/node-source.ts';
import { ObservedSystem } from '../../bin/observer/observed-system.ts';
import { ObserverAuth } from '../../bin/observer/observer-auth.ts';
import { ObserverServer } from '../../bin/observer/observer-server.ts';
import { CHROMIUM_ARGS, requireChromium, waitForRows } from './chromium.ts';

const ACTORS = 10_000;
/** Rendering 10,000 rows' data in a page takes well under a second here; 15 s is room for a busy machine. */
const SEEN = { timeout: 15_000 };

/** An actor's live figures as `stats` gives them. */
function figures(address: string, i: number): ActorStatsWire {
  return {
    address, state: 'running', incarnation: 1, restarts: 0, mailbox: { depth: i % 7, capacity: 1_000, overflow: 'reject' }, received: i, handled: i,
    failed: 0, crashes: 0, refused: 0, deadLettered: 0, asks: { count: 0, sumMs: 0, buckets: [] }, behaviour: 'handler',
  };
}

/** One node with a dynamic supervisor of 10,000 children, answered from memory. */
function bigNode(): NodeSource {
  const children: ChildStatus[] = Array.from({ length: ACTORS }, (_, i) => ({ address: `big/peers/peer-${i}`, kind: 'actor', state: 'running', restarts: 0, mailboxDepth: i % 7, handled: i }));
  const tree: ChildStatus[] = [{ address: 'big', kind: 'supervisor', state: 'running', restarts: 0, strategy: 'one_for_one', children: [{ address: 'big/peers', kind: 'supervisor', state: 'running', restarts: 0, strategy: 'simple_one_for_one', children }] }];
  return {
    nodes: async () => ['big'],
    status: async (node): Promise<NodeStatus> => ({ ok: true, node, transport: 'fake', tree }),
    stats: async () => ({ at: 0, actors: children.map((status, i) => figures(status.address, i)) }),
    events: async (node) => ({ ok: true, node, epoch: 'one', events: [] }),
    act: async (): Promise<ChildOutcome> => {
      throw new Error('not in this spec');
    },
    close: async () => {},
  };
}

/** The page stays usable with 10,000 actors: it draws only the rows in view, finds one by address and collapses the tree. */
describe('the observer page with 10,000 actors (chromium)', function () {
  this.timeout(30_000);
  let system: ObservedSystem;
  let server: ObserverServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const nodes = bigNode();
    system = new ObservedSystem({ nodes, pollIntervalMs: 3_600_000 });
    server = new ObserverServer({ system, nodes, auth: ObserverAuth.loopback(), title: 'big', audit: () => {} });
    await system.start();
    const { port } = await server.listen(0, '127.0.0.1');
    browser = await chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 760 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('#viewport .row[data-address="big/peers/peer-0"]').waitFor(SEEN);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await system?.close();
  });

  const drawn = () => page.locator('#viewport .row').count();

  it('holds every row and draws only those in view', async () => {
    assert.equal(await page.textContent('#row-count'), `${ACTORS + 2} of ${ACTORS + 2} rows`);
    const count = await drawn();
    assert.ok(count > 20 && count < 80, `${count} rows drawn`);
  });

  it('draws the rows scrolled to', async () => {
    await page.locator('#viewport').evaluate((viewport) => (viewport.scrollTop = 24 * 5_000));
    await page.locator('#viewport .row[data-address="big/peers/peer-4998"]').waitFor(SEEN);
    assert.ok((await drawn()) < 80);
    assert.equal(await page.locator('#viewport .row[data-address="big/peers/peer-0"]').count(), 0);
  });

  it('finds an actor by address', async () => {
    await page.fill('#search', 'peer-9999');
    await waitForRows(page, 1, SEEN.timeout);
    assert.equal(await page.locator('#viewport .row .mailbox').textContent(), `${9999 % 7}/1000`);
    await page.fill('#search', '');
  });

  it('collapses the supervisor of the 10,000', async () => {
    await page.locator('#viewport').evaluate((viewport) => (viewport.scrollTop = 0));
    await page.locator('#viewport .row[data-address="big/peers"] [data-toggle]').click();
    await waitForRows(page, 2, SEEN.timeout);
    assert.equal(await page.textContent('#row-count'), `2 of ${ACTORS + 2} rows`);
  });
});
