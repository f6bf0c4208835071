import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../bin/cli.ts';
import { readPublicKeys, secretKeyPath } from '../../../actors/split-broker/index.ts';
import { OracleKeys } from '../../../actors/split-broker/oracle/index.ts';

describe('airlock keygen', () => {
  it('writes an owner-only secret file the Oracle loads and a public file, and never overwrites a secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-keygen-'));
    const out: string[] = [];
    const io = { out: { write: (text: string) => out.push(text) }, err: { write: (text: string) => out.push(text) }, env: {}, cwd: dir };
    assert.equal(await main(['keygen', '--out', 'oracle'], io), 0);
    assert.equal(statSync(secretKeyPath(join(dir, 'oracle'))).mode & 0o777, 0o600);
    const keys = OracleKeys.load(secretKeyPath(join(dir, 'oracle')));
    assert.deepEqual(readPublicKeys(join(dir, 'oracle')), { box: new Uint8Array(keys.publicKeys.box), sign: new Uint8Array(keys.publicKeys.sign) });
    keys.dispose();
    // Not a usage error: the command was right, the secret is kept.
    assert.equal(await main(['keygen', '--out', 'oracle'], io), 1);
    assert.match(out.join(''), /airlock: KEY_FILE: key file .*oracle.key: already exists; refusing to overwrite it/);
    rmSync(dir, { recursive: true, force: true });
  });
});
