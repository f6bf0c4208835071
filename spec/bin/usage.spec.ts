import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { airlock } from './airlock-process.ts';
import { importsOf } from './recorded-imports.ts';

const lines = (text: string) => text.replace(/\n$/, '').split('\n');

describe('airlock command: help and usage errors', function () {
  this.timeout(30_000);
  let cwd: string;

  before(async () => (cwd = await mkdtemp(join(tmpdir(), 'airlock-usage-'))));
  after(() => rm(cwd, { recursive: true, force: true }));

  it('`airlock <command> --help` prints that command\'s usage and exits 0', async () => {
    const status = await airlock(cwd, 'status', '--help');
    assert.deepEqual([status.code, status.stderr], [0, '']);
    assert.deepEqual(lines(status.stdout).slice(0, 3), [
      'usage:',
      '  airlock status [<address>] [--node <name>] [--json] [--amqp <url> [--namespace <ns>]] [--timeout <ms>]',
      '',
    ]);
    assert.ok(!status.stdout.includes('airlock run'), 'only the one command');
    const deadLetters = await airlock(cwd, 'help', 'dead-letters');
    assert.equal(deadLetters.code, 0);
    assert.equal(lines(deadLetters.stdout)[1], '  airlock dead-letters list|requeue|purge [--amqp <url>] [--namespace <ns>] [--timeout <ms>]');
  });

  it('`airlock --help` lists every command, sim, certs and dead-letters included', async () => {
    const result = await airlock(cwd, '--help');
    assert.equal(result.code, 0);
    const commands = lines(result.stdout)
      .filter((line) => line.startsWith('  airlock '))
      .map((line) => line.split(' ')[3]);
    assert.deepEqual([...new Set(commands)], ['run', 'status', 'restart', 'stop', 'start', 'graph', 'dead-letters', 'observe', 'certs', 'keygen', 'sim']);
  });

  it('an invalid address is a usage error: exit 2, the reason and that command\'s usage', async () => {
    const result = await airlock(cwd, 'restart', 'bad address!');
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.deepEqual(lines(result.stderr).slice(0, 3), [
      "airlock: BAD_USAGE: invalid address 'bad address!': bad segment 'bad address!'",
      'usage:',
      '  airlock restart <address> [--amqp <url> [--namespace <ns>]] [--timeout <ms>]',
    ]);
    assert.equal((await airlock(cwd, 'status', 'edge//http')).code, 2);
  });

  it('a --timeout that is not a positive whole number is a usage error', async () => {
    const result = await airlock(cwd, 'status', '--node', 'edge', '--timeout', '0');
    assert.equal(result.code, 2);
    assert.equal(lines(result.stderr)[0], "airlock: BAD_USAGE: --timeout takes a positive whole number, not '0'");
  });

  it('`airlock --help` loads neither amqplib, xstate, rxjs nor any command', async () => {
    for (const args of [['--help'], ['status', '--help']]) {
      const loaded = await importsOf(cwd, {}, ...args);
      // bin/cli.ts, or dist/bin/cli.js when a fresh build is there (see bin/airlock.js).
      assert.ok(loaded.some((url) => /\/bin\/cli\.[jt]s$/.test(url)), 'the recorder saw the command line module');
      const heavy = loaded.filter((url) => /node_modules\/(amqplib|xstate|rxjs|msgpackr|zod)\/|\/bin\/commands\//.test(url));
      assert.deepEqual(heavy, [], args.join(' '));
    }
  });
});
