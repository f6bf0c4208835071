/**
 * Seeded hostile HTTP/1.1 requests for an edge: valid requests of its routes, then mutated bodies,
 * odd methods and paths, hostile headers (huge, many, contradictory lengths, NUL, invalid UTF-8),
 * bodies past the limit (honest, chunked, or declared huge), slow requests and abandoned ones.
 */
import { seededRandom, type Random } from '../internal.ts';
import { pickOne, randomBytes, type Frame } from './frames.ts';
import { flipBits, invalidUtf8 } from './mutations.ts';

/** A request the edge serves: the starting point of every mutation. */
export interface RequestTemplate {
  method: string;
  path: string;
  body: string;
}

export interface RequestRoutes {
  valid(random: Random): RequestTemplate;
  /** Paths the attacker tries besides the valid ones. */
  hostilePaths(random: Random): string[];
  maxBodyBytes: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE', 'CONNECT', 'FOO', 'post', 'G\u0000T', ''];

type Kind = 'valid' | 'mutated-body' | 'method' | 'path' | 'headers' | 'random-bytes' | 'abandoned' | 'stalled' | 'slow' | 'oversized-body' | 'bad-chunks';
const KINDS: readonly [Kind, number][] = [
  ['valid', 10],
  ['mutated-body', 16],
  ['method', 8],
  ['path', 12],
  ['headers', 14],
  ['random-bytes', 8],
  ['abandoned', 8],
  ['slow', 5],
  ['oversized-body', 4],
  ['bad-chunks', 5],
  ['stalled', 2],
];
const TOTAL = KINDS.reduce((sum, [, weight]) => sum + weight, 0);

export function* generateRequests(routes: RequestRoutes, seed: number, count: number): Generator<Frame> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    let pick = random.int(TOTAL);
    const kind = KINDS.find(([, weight]) => (pick -= weight) < 0)![0];
    yield { kind, bytes: draw(kind, routes, random) };
  }
}

function draw(kind: Kind, routes: RequestRoutes, random: Random): Uint8Array {
  const template = routes.valid(random);
  switch (kind) {
    case 'mutated-body':
      return request({ ...template, body: mutated(Buffer.from(template.body), random) });
    case 'method':
      return request({ ...template, method: pickOne(random, METHODS) });
    case 'path':
      return request({ ...template, path: pickOne(random, routes.hostilePaths(random)) });
    case 'headers':
      return hostileHeaders(template, random);
    case 'random-bytes':
      return randomBytes(random, 1 + random.int(random.next() < 0.9 ? 256 : 8_192));
    case 'oversized-body':
      return oversized(template, routes.maxBodyBytes, random);
    case 'bad-chunks':
      return request(template, { 'Transfer-Encoding': 'chunked' }, Buffer.from(pickOne(random, BAD_CHUNKS)));
    case 'stalled':
      return request(template, { 'Transfer-Encoding': 'chunked' }, Buffer.from(pickOne(random, STALLING_CHUNKS)));
    default:
      return request(template);
  }
}

/** The request's bytes: its own Content-Length unless `headers` or a raw chunked body say otherwise. */
export function request(template: { method: string; path: string; body: string | Uint8Array }, headers: Record<string, string> = {}, raw?: Uint8Array): Uint8Array {
  const body = raw ?? Buffer.from(template.body);
  const lengths = raw || 'Content-Length' in headers ? {} : { 'Content-Length': String(body.byteLength) };
  const lines = Object.entries({ Host: '127.0.0.1', ...lengths, ...headers }).map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.concat([Buffer.from(`${template.method} ${template.path} HTTP/1.1\r\n${lines.join('')}\r\n`, 'latin1'), body]);
}

function mutated(body: Buffer, random: Random): Uint8Array {
  switch (random.int(5)) {
    case 0:
      return flipBits(body, random);
    case 1:
      return body.subarray(0, random.int(body.byteLength + 1));
    case 2:
      return invalidUtf8(random);
    case 3:
      return Buffer.from('['.repeat(pickOne(random, [100, 10_000, 90_000])));
    default:
      return randomBytes(random, random.int(2_048));
  }
}

/** Chunked bodies that announce more than they carry: the server waits for the rest (the attacker resets instead). */
const STALLING_CHUNKS = ['ffffffffffffffff\r\nx\r\n', '7fffffff\r\nabc', '10\r\n0123'];
const BAD_CHUNKS = ['zz\r\nhello\r\n0\r\n\r\n', '5\r\nhello0\r\n\r\n', '-1\r\n\r\n', '3;ext=\u0000\r\nabc\r\n0\r\n\r\n', '0\r\nTrailer: x\r\n\r\n'];

function hostileHeaders(template: RequestTemplate, random: Random): Uint8Array {
  const choices: (() => Record<string, string>)[] = [
    () => Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`X-H${i}`, String(i)])),
    () => ({ 'X-Big': 'h'.repeat(pickOne(random, [8_000, 20_000, 70_000])) }),
    () => ({ 'Content-Length': `${template.body.length}, ${template.body.length + 5}` }),
    () => ({ 'Content-Length': pickOne(random, ['-1', 'abc', '1e3', '99999999999999999999', '']) }),
    () => ({ 'Transfer-Encoding': 'chunked', 'Content-Length': String(template.body.length) }),
    () => ({ 'X-Nul': 'a\u0000b' }),
    () => ({ 'X-Utf8': Buffer.from(invalidUtf8(random)).toString('latin1').replace(/[\r\n]/g, '') }),
    () => ({ Expect: '100-continue' }),
    () => ({ Connection: 'Upgrade', Upgrade: 'websocket' }),
    () => ({ 'Snowflake-NAT-Type': 'x'.repeat(1_000) }),
    () => ({ Origin: 'null', 'X-Session-ID': '\u00ff'.repeat(300) }),
    () => ({ Host: '' }),
  ];
  return request(template, pickOne(random, choices)());
}

/** A body past the limit: honest, chunked without end, or a declared length of a gigabyte. */
function oversized(template: RequestTemplate, maxBodyBytes: number, random: Random): Uint8Array {
  const body = Buffer.alloc(maxBodyBytes + 1 + random.int(64 * 1024), 0x61);
  switch (random.int(3)) {
    case 0:
      return request({ ...template, body });
    case 1:
      return request(template, { 'Transfer-Encoding': 'chunked' }, Buffer.concat([Buffer.from(`${body.byteLength.toString(16)}\r\n`), body]));
    default:
      return request({ ...template, body: body.subarray(0, 1_024) }, { 'Content-Length': String(2 ** 30) });
  }
}
