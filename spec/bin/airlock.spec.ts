import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../bin/index.ts';
import { airlock, RunningNode, SPLIT_TOPOLOGY } from './airlock-process.ts';

const EDGE_TABLE = [
  'node edge (in-process)',
  'ADDRESS                 KIND                    STATE    RESTARTS  MAILBOX  HANDLED  FAILED',
  'edge                    supervisor one_for_one  running         0        -        -       -',
  '├─ edge/http            actor                   running         0        0        0       0',
  '├─ edge/smtp            actor                   running         0        0        0       0',
  '└─ edge/bridges         supervisor one_for_all  running         0        -        -       -',
  '   ├─ edge/bridges/in   actor                   running         0        0        0       0',
  '   └─ edge/bridges/out  actor                   running         0        0        0       0',
];
const CORE_TABLE = [
  'node core (in-process)',
  'ADDRESS          KIND                     STATE    RESTARTS  MAILBOX  HANDLED  FAILED',
  'core             supervisor rest_for_one  running         0        -        -       -',
  '├─ core/matcher  actor                    running         0        0        0       0',
  '└─ core/ledger   actor                    running         0        0        0       0',
];
const lines = (text: string) => text.replace(/\n$/, '').split('\n');

describe('airlock command: one process running the whole topology', function () {
  this.timeout(30_000);
  let cwd: string;
  let node: RunningNode;

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'airlock-cli-'));
    node = await RunningNode.start(cwd, SPLIT_TOPOLOGY);
  });

  after(async () => {
    await node.stop();
    await rm(cwd, { recursive: true, force: true });
  });

  it('starts every node, with a control actor and an admin socket each', () => {
    assert.deepEqual(node.lines.slice(-4), [
      'airlock: running topology split (nodes edge, core) on in-process',
      'airlock: admin socket .airlock/edge.sock',
      'airlock: admin socket .airlock/core.sock',
      'airlock: ready',
    ]);
    assert.ok(node.lines.includes('started       edge/$control'));
    assert.ok(node.lines.includes('started       core/$control'));
  });

  it('status prints every node tree with state, restarts and mailbox depth', async () => {
    const result = await airlock(cwd, 'status');
    assert.deepEqual([result.code, result.stderr], [0, '']);
    assert.deepEqual(lines(result.stdout), [...CORE_TABLE, '', ...EDGE_TABLE]);
    assert.deepEqual(lines((await airlock(cwd, 'status', '--node', 'edge')).stdout), EDGE_TABLE);
  });

  it('status --json gives the same tree as data', async () => {
    const result = await airlock(cwd, 'status', 'core/ledger', '--json');
    assert.deepEqual(JSON.parse(result.stdout), [
      {
        ok: true,
        node: 'core',
        transport: 'in-process',
        tree: [{ address: 'core/ledger', kind: 'actor', state: 'running', restarts: 0, mailboxDepth: 0, handled: 0, failed: 0 }],
      },
    ]);
  });

  it('stop keeps an actor down, start brings it back, restart restarts it; nothing else moves', async () => {
    const mark = node.lines.length;
    assert.deepEqual(await airlock(cwd, 'stop', 'edge/smtp'), { code: 0, stdout: 'stopped edge/smtp: stopped, restarts 0, mailbox 0\n', stderr: '' });
    const table = lines((await airlock(cwd, 'status', '--node', 'edge')).stdout);
    assert.equal(table[4], '├─ edge/smtp            actor                   stopped         0        0        0       0');
    assert.deepEqual(await airlock(cwd, 'start', 'edge/smtp'), { code: 0, stdout: 'started edge/smtp: running, restarts 0, mailbox 0\n', stderr: '' });
    assert.deepEqual(await airlock(cwd, 'restart', 'edge/http'), { code: 0, stdout: 'restarted edge/http: running, restarts 1, mailbox 0\n', stderr: '' });
    assert.deepEqual(node.lines.slice(mark), [
      'stopped       edge/smtp (shutdown)',
      'started       edge/smtp',
      'stopped       edge/http (shutdown)',
      'started       edge/http',
      'restarted     edge/http (restart #1)',
    ]);
  });

  it('refuses an address no supervisor holds with a typed error and exit code 1', async () => {
    assert.deepEqual(await airlock(cwd, 'restart', 'edge/nope'), {
      code: 1,
      stdout: '',
      stderr: 'airlock: NOT_SUPERVISED: cannot control edge/nope: no supervised child there\n',
    });
    assert.deepEqual(await airlock(cwd, 'restart', 'mars/rover'), {
      code: 1,
      stdout: '',
      stderr: `airlock: ADMIN_SOCKET: admin socket ${join(cwd, '.airlock', 'mars.sock')}: no node is serving it (is \`airlock run\` running in this directory?)\n`,
    });
  });

  it('refuses a second `run` of a node that is already served', async () => {
    const second = await airlock(cwd, 'run', SPLIT_TOPOLOGY, '--node', 'core');
    assert.equal(second.code, 1);
    assert.equal(lines(second.stderr).at(-1), `airlock: ADMIN_SOCKET: admin socket ${join(cwd, '.airlock', 'core.sock')}: another node is serving it`);
  });

  it('stops gracefully on SIGTERM and removes its sockets; the control key stays for the next run', async () => {
    assert.equal(await node.stop(), 0);
    assert.deepEqual(node.lines.slice(-3), ['stopped       edge/http (shutdown)', 'stopped       edge (shutdown)', 'airlock: stopped']);
    assert.deepEqual(await readdir(join(cwd, '.airlock')), ['control.key']);
  });
});

describe('airlock command: usage and errors', () => {
  let cwd: string;

  before(async () => (cwd = await mkdtemp(join(tmpdir(), 'airlock-cli-'))));
  after(() => rm(cwd, { recursive: true, force: true }));

  it('says when no node runs here', async () => {
    assert.deepEqual(await airlock(cwd, 'status'), {
      code: 1,
      stdout: '',
      stderr: `airlock: ADMIN_SOCKET: admin socket ${join(cwd, '.airlock')}: no node runs here (no admin sockets); start one with \`airlock run\`\n`,
    });
  });

  /** Usage errors need no node: the command runs in this process, on a real working directory. */
  async function inProcess(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io = { out: { write: (text: string) => (stdout += text) }, err: { write: (text: string) => (stderr += text) }, env: {}, cwd };
    const code = await main(argv, io);
    return { code, stdout, stderr };
  }

  it('exits 2 with the usage for unknown commands, options and missing arguments', async () => {
    for (const [args, message] of [
      [['launch'], "unknown command 'launch'"],
      [['restart'], 'restart takes exactly one <address>'],
      [['restart', 'edge/http', '--json'], "'restart' takes no --json"],
      [['run', SPLIT_TOPOLOGY, '--node', 'moon'], "topology split has no node 'moon' (it has edge, core)"],
    ] as const) {
      const result = await inProcess(...args);
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(lines(result.stderr)[0], `airlock: BAD_USAGE: ${message}`);
      assert.equal(lines(result.stderr)[1], 'usage:');
    }
  });

  it('graph draws the supervision trees of a topology without starting it', async () => {
    const result = await inProcess('graph', SPLIT_TOPOLOGY);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(lines(result.stdout), [
      'topology split',
      '',
      'edge                    supervisor one_for_one, at most 3 restarts in 5000 ms',
      '├─ edge/http            actor speaking spec.counter; permanent, shutdown 5000 ms',
      '├─ edge/smtp            actor speaking spec.counter; permanent, shutdown 5000 ms',
      '└─ edge/bridges         supervisor one_for_all, at most 3 restarts in 5000 ms; permanent, shutdown infinity',
      '   ├─ edge/bridges/in   actor speaking spec.counter; permanent, shutdown 5000 ms',
      '   └─ edge/bridges/out  actor speaking spec.counter; permanent, shutdown 5000 ms',
      '',
      'core             supervisor rest_for_one, at most 3 restarts in 5000 ms',
      '├─ core/matcher  actor speaking spec.counter; permanent, shutdown 5000 ms',
      '└─ core/ledger   actor speaking spec.counter; permanent, shutdown 5000 ms',
    ]);
    const dot = await inProcess('graph', SPLIT_TOPOLOGY, '--dot');
    assert.ok(dot.stdout.startsWith('digraph "split" {\n'));
    assert.ok(dot.stdout.includes('  "edge/bridges" -> "edge/bridges/in" [label="permanent"];\n'));
    assert.equal(dot.stdout.match(/->/g)?.length, 7, 'one edge per child');
  });

  it('exits 2 with a usage error for a malformed address, before connecting anywhere', async () => {
    const result = await inProcess('restart', 'edge//http');
    assert.deepEqual([result.code, result.stdout], [2, '']);
    assert.equal(lines(result.stderr)[0], "airlock: BAD_USAGE: invalid address 'edge//http': bad segment ''");
  });
});
