import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../../bin/index.ts';

const run = promisify(execFile);

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: { write: (text: string) => out.push(text) }, err: { write: (text: string) => err.push(text) }, env: {}, cwd } };
}

describe('airlock certs', function () {
  this.timeout(20_000);
  let cwd: string;

  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'airlock-certs-'));
  });
  afterEach(async () => rm(cwd, { recursive: true, force: true }));

  it('writes a CA and leaves that openssl verifies against it, keys owner-only', async () => {
    const { out, io: commandIo } = io(cwd);
    const code = await main(['certs', '--out', 'pki', '--ca-name', 'Org A test CA', '--names', 'node-a,float-a,peer-b', '--ips', '127.0.0.1'], commandIo);
    assert.equal(code, 0, out.join(''));
    const dir = join(cwd, 'pki');
    assert.deepEqual((await readdir(dir)).sort(), ['ca.key', 'ca.pem', 'float-a.key', 'float-a.pem', 'node-a.key', 'node-a.pem', 'peer-b.key', 'peer-b.pem']);
    for (const name of ['node-a', 'float-a', 'peer-b']) {
      const { stdout } = await run('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, `${name}.pem`)]);
      assert.equal(stdout.trim(), `${join(dir, `${name}.pem`)}: OK`);
      const { stdout: text } = await run('openssl', ['x509', '-in', join(dir, `${name}.pem`), '-noout', '-subject', '-issuer', '-ext', 'subjectAltName']);
      assert.match(text, new RegExp(`subject=CN ?= ?${name}\\n`));
      assert.match(text, /issuer=CN ?= ?Org A test CA\n/);
      assert.match(text, new RegExp(`DNS:${name}, URI:urn:airlock:${name}, IP Address:127.0.0.1`));
      assert.equal((await stat(join(dir, `${name}.key`))).mode & 0o777, 0o600);
    }
    assert.equal((await stat(join(dir, 'ca.key'))).mode & 0o777, 0o600);
    const { stdout: foreign } = await run('openssl', ['verify', '-CAfile', join(dir, 'node-a.pem'), join(dir, 'peer-b.pem')]).catch((error: { stdout: string }) => error);
    assert.doesNotMatch(foreign, /: OK/);
  });

  it('refuses a name that cannot be a file name, with a usage error', async () => {
    const { err, io: commandIo } = io(cwd);
    assert.equal(await main(['certs', '--out', 'pki', '--names', '../evil'], commandIo), 2);
    assert.match(err.join(''), /BAD_USAGE: '\.\.\/evil' is not a usable certificate name/);
    assert.deepEqual(await readdir(cwd), []);
  });
});
