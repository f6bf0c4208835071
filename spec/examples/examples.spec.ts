import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const tsx = (script: string) => run(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });

/** The README promises these commands work as written; run them as a reader would. */
describe('examples from the README', function () {
  this.timeout(40_000);

  it('npm run demo: the split broker matches over http, amp and dns, and keeps matching while DNS crash-loops', async () => {
    const { stdout } = await tsx('examples/split-broker/demo.ts');
    const lines = stdout.split('\n');
    const matches = lines.filter((line) => / match {2}(http|amp |dns ) client-\S+ +got ".*", signature verified/.test(line));
    assert.equal(matches.length, 12, stdout);
    const first = lines.findIndex((line) => line.includes('restarted edge/dns (restart #1)'));
    const last = lines.findIndex((line) => line.includes('fault off'));
    assert.ok(first > 0 && lines.slice(first, last).some((line) => line.includes('match  http')), 'HTTP matches go on between DNS restarts');
    assert.ok(lines.includes('  core      snowflake_client_poll_total{nat="unrestricted",status="matched"} 12'), stdout);
  });

  it('npm run demo:shop: the parser crashes on the bad order, is restarted, and the ledger keeps its total', async () => {
    const { stdout } = await tsx('examples/supervised-demo.ts');
    const lines = stdout.split('\n').map((line) => line.replace(/^\+\s*\d+ ms\s+/, '').replace(/\s+/g, ' ').trim());
    const crash = lines.indexOf("failed front/parser: cannot parse order 'garbage!'");
    const restart = lines.indexOf('restarted front/parser (restart #1)');
    assert.ok(crash > 0 && restart > crash, stdout);
    assert.ok(lines.includes('error front/parser ACTOR_CRASHED: actor front/parser crashed handling the message: cannot parse order \'garbage!\''));
    assert.ok(lines.includes('reply front/parser coffee 2.80'), 'the order after the crash is handled by the new incarnation');
    assert.ok(lines.includes('reply back/ledger total: 3 orders, 10.50'), 'the ledger was never restarted');
    assert.ok(lines.includes('status front/parser running, restarts 1, handled 3, failed 1'), stdout);
  });

  it('npm run demo:float: the flow both ways, every message once across a cut tunnel, and the passive BridgeManager taking over', async () => {
    const started = Date.now();
    const { stdout } = await tsx('examples/dmz-float/demo.ts');
    const lines = stdout.split('\n');
    assert.ok(Date.now() - started < 15_000, `the demo took ${Date.now() - started} ms`);
    assert.equal(lines.filter((line) => /^ {2}arrived {5}a-bridge <- b-node: message \d+ from B$/.test(line)).length, 15, stdout);
    assert.equal(lines.filter((line) => /^ {2}arrived {5}b-node {3}<- a-node: message \d+ from A$/.test(line)).length, 4, stdout);
    const cut = lines.indexOf('  -- cut --');
    const stop = lines.indexOf('  -- a-bridge (active) stopped --');
    assert.ok(cut > 0 && lines.slice(cut).some((line) => line.includes('message 13 from B')), stdout);
    assert.ok(lines.some((line) => /^ {3}B sent 13, A's inbox handled 13, each once, in order \(\d+ resent cop(y|ies) dropped by message id\)$/.test(line)), stdout);
    assert.ok(stop > cut && lines.slice(stop).some((line) => line.startsWith('   {"event":"activated","bridge":"a-bridge"')), stdout);
    assert.equal(lines.at(-2), 'float active: true; every message arrived once: true');
  });

  it('npm run demo:orders: each request with its answer, the poison order a crash, the burst throttled', async () => {
    const { stdout } = await tsx('examples/orders/demo.ts');
    const answers = stdout.trim().split('\n').map((line) => line.replace(/^.*\s{2,}/, ''));
    assert.deepEqual(answers, [
      '201 {"customer":"ada","worker":"core/customers/ada"}',
      '200 {"customer":"ada","item":"tea","cents":350,"total":350}',
      '422 {"error":"TOO_LARGE"}',
      '500 {"error":"ACTOR_CRASHED"}',
      '404 {"error":"UNKNOWN_ADDRESS"}',
      '200 {"customer":"ada","item":"cake","cents":420,"total":770}',
      '200 {"customer":"ada","item":"jam","cents":150,"total":920}',
      '429 {"error":"THROTTLED"}',
      '200 {"customer":"ada","orders":3,"cents":920}',
    ], stdout);
  });

  it('npm run demo:relay: B reaches the service behind NAT through the relay, which shows only byte counts, across a relay restart', async () => {
    const { stdout } = await tsx('examples/relay/demo.ts');
    const lines = stdout.split('\n').map((line) => line.replace(/^\+\s*\d+ ms\s+/, ''));
    assert.equal(lines.filter((line) => /^B got: hello (ada|grace)-[12], from behind the NAT \(you are [0-9a-f]{16}…\)$/.test(line)).length, 4, stdout);
    assert.equal(lines.filter((line) => /^B connected to [0-9a-f]{16}… \(TLSv1\.3, C's key pinned\)$/.test(line)).length, 2, stdout);
    assert.ok(lines.every((line) => !line.includes('relay sees') || /^relay sees circuit [A-Za-z0-9_-]{8}…: \d+ bytes to C, \d+ bytes to B$/.test(line)), stdout);
    const restart = lines.indexOf('restarting the relay (its whole tree)');
    assert.ok(restart > 0 && lines.slice(restart).some((line) => line.startsWith('C attached as')), stdout);
    assert.equal(lines.at(-2), 'done');
  });

  for (const args of [[], ['--pg']]) {
    it(`npm run demo:rendezvous ${args.join(' ')}: Bob opens Alice's link from the bucket, Eve opens nothing, the server sees only sizes and hashes, across a restart`, async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/rendezvous/demo.ts', ...args], { timeout: 30_000 });
      const lines = stdout.split('\n').map((line) => line.replace(/^\+\s*\d+ ms\s+/, ''));
      assert.ok(lines.some((line) => /^parties \| Bob fetched the bucket \(4 links\), tried 4: opened chat\.alice\.example:5223\/a1ice-7f3k9q$/.test(line)), stdout);
      assert.ok(lines.includes('parties | Eve, with the hash and a wrong passphrase: 4 links, tried 4, none opened'), stdout);
      assert.ok(lines.includes('parties | Bob, after the restart: opened chat.alice.example:5223/a1ice-7f3k9q'), stdout);
      assert.equal(lines.filter((line) => line === 'server  | POST /links from 127.0.0.1 → 201, 6 bytes').length, 4, stdout);
      assert.equal(lines.filter((line) => /^server {2}\| GET \/buckets\/[0-9a-f]{16}… from 127\.0\.0\.1 → 200, 960 bytes$/.test(line)).length, 3, stdout);
      assert.ok(lines.filter((line) => line.startsWith('server')).every((line) => !line.includes('alice') && !line.includes('violet')), 'the server never sees the link or the passphrase');
      if (args.length > 0) assert.equal(lines.filter((line) => /^server {2}\| row: bucket_hash [0-9a-f]{16}… slot \d {2}link 240 B [0-9a-f]{24}… {2}expires_at \d+$/.test(line)).length, 8, stdout);
      assert.equal(lines.at(-2), 'parties | done');
    });
  }

  it("the README's 30-line example prints what its comments say", async () => {
    const { stdout } = await tsx('examples/hello.ts');
    assert.equal(stdout, 'hello ada\n1\n');
  });
});
