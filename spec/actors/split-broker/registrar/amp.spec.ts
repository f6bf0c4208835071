import assert from 'node:assert/strict';
import { RegistrationEncodingError, decodeAmpArmor, decodeAmpPath, encodeAmpArmor, encodeAmpPath } from '../../../../actors/split-broker/wire/index.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const refused = (reason: string) => (error: unknown) => error instanceof RegistrationEncodingError && error.reason === reason;

describe('AMP cache encoding (Snowflake common/amp)', () => {
  describe('path', () => {
    // Snowflake's path_test.go vectors.
    const decoded: [string, string][] = [['0/', ''], ['0foobar/', ''], ['0/YWJj', 'abc'], ['0///YWJj', 'abc'], ['0foobar/YWJj', 'abc'], ['0/foobar/YWJj', 'abc']];
    for (const [path, data] of decoded) it(`decodes ${JSON.stringify(path)}`, () => assert.equal(text(decodeAmpPath(path)), data));

    const errors: [string, string][] = [['', 'missing format indicator'], ['0', 'missing data'], ['0foobar', 'missing data'], ['/0/YWJj', "unknown format indicator '/'"], ['0/YW*j', 'illegal base64 data']];
    for (const [path, reason] of errors) it(`refuses ${JSON.stringify(path)}: ${reason}`, () => assert.throws(() => decodeAmpPath(path), refused(reason)));

    it('encodes unpadded base64url after the cache breaker, and round-trips', () => {
      const breaker = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 255]);
      assert.equal(encodeAmpPath(Buffer.from('1.0\n{"offer":"?"}'), breaker), '0AQIDBAUGBwj_/MS4wCnsib2ZmZXIiOiI_In0');
      for (const data of ['', '\x00', '/', 'hello world']) assert.equal(text(decodeAmpPath(encodeAmpPath(Buffer.from(data, 'latin1'), breaker))), data);
    });
  });

  describe('armor', () => {
    it('encodes the body byte for byte as Snowflake: version 0, base64 in 32-character lines inside <pre>', () => {
      const page = encodeAmpArmor(Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\n'));
      assert.ok(page.startsWith('<!doctype html>\n<html amp>\n<head>\n<meta charset="utf-8">\n'));
      assert.equal(page.slice(page.indexOf('<body>\n')), '<body>\n<pre>\n0QUJDREVGR0hJSktMTU5PUFFSU1RVVld\nYWVowMTIzNDU2Nzg5Cg==\n</pre>\n</body>\n</html>');
      assert.equal(encodeAmpArmor(new Uint8Array(23)).slice(page.indexOf('<body>\n')), '<body>\n<pre>\n0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n=\n</pre>\n</body>\n</html>');
    });

    it('splits long bodies into <pre> elements of at most 992 chunks (32 KiB) and round-trips them', () => {
      for (const size of [0, 1, 31, 32, 33, 32 * 1024 - 10, 32 * 1024 + 10, 2 * 32 * 1024 + 3]) {
        const data = Uint8Array.from({ length: size }, (_, i) => (i * 131 + 7) & 0xff);
        const page = encodeAmpArmor(data);
        for (const element of page.split('<pre>\n').slice(1)) assert.ok(element.indexOf('</pre>') <= 992 * 33, `size ${size}`);
        assert.deepEqual(decodeAmpArmor(page), data, `size ${size}`);
      }
    });

    // Snowflake's armor_test.go vectors.
    const decoded: [string, string][] = [
      ['\n<pre>\n0\n</pre>\n', ''],
      ['\n<pre>\n0aGVsbG8gd29ybGQK\n</pre>\n', 'hello world\n'],
      ['\n0aGVsbG8gd29ybGQK\nblah blah blah\n<pre>\n0aGVsbG8gd29ybGQK\n</pre>\n0aGVsbG8gd29ybGQK\nblah blah blah\n', 'hello world\n'],
      ['\n<pre>\n0QUJDREV\nGR0hJSkt\nMTU5PUFF\nSU1RVVld\n</pre>\njunk\n<pre>\nYWVowMTI\nzNDU2Nzg\n5Cg\n=\n</pre>\n<pre>\n=\n</pre>\n', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\n'],
      ['blah <pre>0aGVsb<p>G8gd29</p>ybGQK</pre>', 'hello world\n'],
      ['blah <pre>\x200\x09aG\x0aV\x0csb\x0dG8\x20gd29ybGQK</pre>', 'hello world\n'],
    ];
    for (const [page, data] of decoded) it(`decodes ${JSON.stringify(page).slice(0, 60)}`, () => assert.equal(text(decodeAmpArmor(page)), data));

    const errors: [string, string][] = [
      ['\n<pre>\n1aGVsbG8gd29ybGQK\n</pre>\n', "unknown armor version indicator '1'"],
      ['\naGVsbG8gd29ybGQK\nblah blah blah\n', 'missing version indicator'],
      ['\naGVsbG8gd29ybGQK\n<pre>   </pre>\naGVsbG8gd29ybGQK<pre></pre>\n', 'missing version indicator'],
      ['blah <!-- <pre>aGVsbG8gd29ybGQK</pre> -->', 'missing version indicator'],
      ['\n<pre>\n0QUJDREV\nGR0hJSkt\nMTU5PUFF\nSU1RVVld\n</pre>\njunk\n<pre>\nYWVowMTI\nzNDU2Nzg\n5Cg\n=\n</pre>\n', 'illegal base64 data'],
      ['blah <pre></pre><pre>0aGVsbG8gd29ybGQK', 'missing </pre> tag'],
      ['blah <pre>0aGVsb<pre>G8gd29</pre>ybGQK</pre>', 'unexpected <pre>'],
      ['blah </pre>', 'unexpected </pre>'],
    ];
    for (const [page, reason] of errors) it(`refuses ${JSON.stringify(page).slice(0, 50)}: ${reason}`, () => assert.throws(() => decodeAmpArmor(page), refused(reason)));
  });
});
