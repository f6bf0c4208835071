import { RegistrationEncodingError } from './errors.ts';

// Byte-for-byte Snowflake's `common/amp` armor: the AMP boilerplate around <pre> elements that
// hold the version indicator '0' and then standard base64, in 32-character chunks, one per line.

const BOILERPLATE_START = `<!doctype html>
<html amp>
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<link rel="canonical" href="#">
<meta name="viewport" content="width=device-width">
<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;-moz-animation:-amp-start 8s steps(1,end) 0s 1 normal both;-ms-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}@-webkit-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}@-moz-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}@-ms-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}@-o-keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}@keyframes -amp-start{from{visibility:hidden}to{visibility:visible}}</style><noscript><style amp-boilerplate>body{-webkit-animation:none;-moz-animation:none;-ms-animation:none;animation:none}</style></noscript>
</head>
<body>
`;
const BOILERPLATE_END = `</body>
</html>`;

/** Text inside one element is bounded so that a decoder buffers little (Snowflake: 32 KiB). */
export const ELEMENT_SIZE_LIMIT = 32 * 1024;
/** Short chunks, because AMP caches reportedly truncate long words. */
export const BYTES_PER_CHUNK = 32;
const CHUNKS_PER_ELEMENT = Math.floor((ELEMENT_SIZE_LIMIT - 1) / (BYTES_PER_CHUNK + 1));

/** The HTTP headers Snowflake's broker sends with an armored AMP response. */
export const AMP_RESPONSE_HEADERS = { 'Content-Type': 'text/html', 'Cache-Control': 'max-age=15' } as const;

/** Wraps `data` in AMP armor: the page an AMP cache will serve back to the client. */
export function encodeAmpArmor(data: Uint8Array): string {
  const text = `0${Buffer.from(data).toString('base64')}`;
  const parts = [BOILERPLATE_START];
  const chunks = Math.ceil(text.length / BYTES_PER_CHUNK);
  for (let chunk = 0; chunk < chunks; chunk++) {
    if (chunk % CHUNKS_PER_ELEMENT === 0) parts.push('<pre>\n');
    const piece = text.slice(chunk * BYTES_PER_CHUNK, (chunk + 1) * BYTES_PER_CHUNK);
    const full = piece.length === BYTES_PER_CHUNK;
    const closes = full && (chunk + 1) % CHUNKS_PER_ELEMENT === 0;
    parts.push(piece, full ? '\n' : '\n</pre>\n');
    if (closes || (full && chunk === chunks - 1)) parts.push('</pre>\n');
  }
  parts.push(BOILERPLATE_END);
  return parts.join('');
}

const fail = (reason: string) => new RegistrationEncodingError('amp-armor', reason);

/** Elements whose content an HTML tokenizer reads as raw text, never as tags. */
const RAW_TEXT = new Set(['iframe', 'noembed', 'noframes', 'noscript', 'script', 'style', 'textarea', 'title', 'xmp']);

type Token = { kind: 'text'; text: string } | { kind: 'start' | 'end'; name: string };

/** A small HTML tokenizer, enough for what Go's x/net/html yields here: text, tags, comments skipped. */
function* tokenize(html: string): Generator<Token> {
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    const textEnd = lt < 0 ? html.length : lt;
    if (textEnd > at) yield { kind: 'text', text: html.slice(at, textEnd) };
    if (lt < 0) return;
    const tag = /^<(\/?)([A-Za-z][^\s/>]*)[^>]*>/.exec(html.slice(lt, lt + ELEMENT_SIZE_LIMIT));
    if (tag) {
      const name = tag[2]!.toLowerCase();
      yield { kind: tag[1] ? 'end' : 'start', name };
      at = lt + tag[0].length;
      if (!tag[1] && RAW_TEXT.has(name)) {
        const close = html.toLowerCase().indexOf(`</${name}`, at);
        at = close < 0 ? html.length : close;
      }
    } else if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      at = close < 0 ? html.length : close + 3;
    } else if (/^<[!?/]/.test(html.slice(lt, lt + 2))) {
      const close = html.indexOf('>', lt);
      at = close < 0 ? html.length : close + 1;
    } else {
      yield { kind: 'text', text: '<' };
      at = lt + 1;
    }
  }
}

/**
 * Reads the data back out of an armored page, as Snowflake's `amp.NewArmorDecoder`: the text of
 * every <pre> element, split on ASCII whitespace and joined; text outside <pre> is ignored; a
 * nested, stray or unclosed <pre>, a missing or unknown version indicator or bad base64 is refused.
 */
export function decodeAmpArmor(html: string): Uint8Array {
  const pieces: string[] = [];
  let inside = false;
  for (const token of tokenize(html)) {
    if (token.kind === 'text') {
      if (token.text.length > ELEMENT_SIZE_LIMIT) throw fail('text exceeds the element size limit');
      if (inside) pieces.push(...token.text.split(/[\t\n\f\r ]+/));
    } else if (token.name === 'pre') {
      if (token.kind === 'start' && inside) throw fail('unexpected <pre>');
      if (token.kind === 'end' && !inside) throw fail('unexpected </pre>');
      inside = token.kind === 'start';
    }
  }
  if (inside) throw fail('missing </pre> tag');
  const text = pieces.join('');
  if (text.length === 0) throw fail('missing version indicator');
  if (text[0] !== '0') throw fail(`unknown armor version indicator '${text[0]}'`);
  const payload = text.slice(1);
  if (payload.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw fail('illegal base64 data');
  return new Uint8Array(Buffer.from(payload, 'base64'));
}
