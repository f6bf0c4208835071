import assert from 'node:assert/strict';
import rhea from 'rhea';
import type { LinkSendOptions } from '../../../internal.ts';
import { HopMessage, MalformedHopMessageError, decodeHopMessage } from '../../../transports/amqp10/hop-message-decoder.ts';
import { encodeHopMessage } from '../../../transports/amqp10/hop-message-encoder.ts';
import { decodeMessage, encodeMessage, type DecodedMessage } from '../../../transports/amqp10/message-body.ts';

type Case = { name: string; bytes: Uint8Array; options: LinkSendOptions };

const filled = (length: number, byte = 0x61) => new Uint8Array(length).fill(byte);
const manyProperties = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`key-${i}`, i % 3 === 0 ? `value ${i}` : i % 3 === 1 ? i * 1_000 : i % 2 === 0]));

/** Bodies, ids and properties at the edges of each encoding (one-byte and four-byte sizes, int and double, unicode). */
const CASES: Case[] = [
  { name: 'an empty body, nothing else', bytes: filled(0), options: {} },
  { name: 'one byte', bytes: filled(1), options: {} },
  { name: '255 bytes (the last vbin8)', bytes: filled(255), options: { messageId: 'm-255' } },
  { name: '256 bytes (the first vbin32)', bytes: filled(256), options: { messageId: 'm-256' } },
  { name: '64 KiB', bytes: filled(64 * 1024, 0x00), options: { messageId: 'm-64k', properties: { kind: 'bulk' } } },
  { name: '1 MiB of every byte value', bytes: Uint8Array.from({ length: 1 << 20 }, (_, i) => i & 0xff), options: { messageId: 'big' } },
  { name: 'an empty message-id', bytes: filled(3), options: { messageId: '' } },
  { name: 'a unicode message-id', bytes: filled(3), options: { messageId: 'ünïcødé ✓ 🚀 中文' } },
  { name: 'a 255-byte message-id', bytes: filled(3), options: { messageId: 'i'.repeat(255) } },
  { name: 'a 300-byte message-id (str32, list32)', bytes: filled(3), options: { messageId: 'i'.repeat(300) } },
  { name: 'empty properties', bytes: filled(5), options: { messageId: 'p0', properties: {} } },
  {
    name: 'every scalar kind',
    bytes: filled(20),
    options: {
      messageId: 'p1',
      properties: { text: 'hello', empty: '', yes: true, no: false, zero: 0, one: 1, byte: 255, more: 256, minus: -1, small: -128, smaller: -129, max: 2 ** 31 - 1, min: -(2 ** 31), half: 1.5, tiny: -0.25, inf: Infinity, ninf: -Infinity },
    },
  },
  { name: 'unicode keys and values', bytes: filled(4), options: { properties: { 'clé ✓': 'välue 🚀', 日本: '語' } } },
  { name: 'a 1,000-byte property value (map32)', bytes: filled(4), options: { properties: { long: 'v'.repeat(1_000) } } },
  { name: '200 properties (map32 count)', bytes: filled(10), options: { messageId: 'many', properties: manyProperties } },
  { name: 'integers beyond 32 bits (rhea encodes those)', bytes: filled(2), options: { properties: { big: 2 ** 40, negative: -(2 ** 40) } } },
];

/** What the receiver makes of `encoded` when rhea's generic decoder reads it. */
function throughRhea(encoded: Buffer): DecodedMessage | string {
  return decodeMessage(rhea.message.decode(encoded));
}

const plain = (message: DecodedMessage | string | undefined) =>
  typeof message === 'object' ? { bytes: Buffer.from(message.bytes), messageId: message.messageId, properties: { ...message.properties } } : message;
const expected = ({ bytes, options }: Case) => ({ bytes: Buffer.from(bytes), messageId: options.messageId, properties: { ...options.properties } });
const RHEA_WRITES_A_LONG = new Set(['every scalar kind', 'integers beyond 32 bits (rhea encodes those)']);
const rheaEncoded = ({ bytes, options }: Case) => rhea.message.encode(encodeMessage(bytes, options));

describe("the AMQP 1.0 hop's message codec", () => {
  describe('encodeHopMessage', () => {
    for (const sample of CASES) {
      it(`writes what rhea's generic decoder reads back whole: ${sample.name}`, () => {
        assert.deepEqual(plain(throughRhea(encodeHopMessage(sample.bytes, sample.options))), expected(sample));
      });
    }

    it("leaves a NaN property to rhea's encoder, which writes null: refused by the receiver as before", () => {
      const encoded = encodeHopMessage(filled(1), { properties: { nan: Number.NaN } });
      assert.deepEqual(encoded, rhea.message.encode(encodeMessage(filled(1), { properties: { nan: Number.NaN } })));
      assert.equal(throughRhea(encoded), "application property 'nan' is not a scalar");
    });
  });

  describe('decodeHopMessage', () => {
    for (const sample of CASES) {
      it(`reads its own encoder's output as the original: ${sample.name}`, () => {
        const encoded = encodeHopMessage(sample.bytes, sample.options);
        const decoded = decodeHopMessage(encoded);
        if (sample.name.startsWith('integers beyond')) return assert.equal(decoded, undefined, 'a long is not in the shape: rhea reads it');
        assert.ok(decoded instanceof HopMessage);
        assert.deepEqual(plain(decoded), expected(sample));
      });

      it(`agrees with rhea's decoder on rhea's encoding: ${sample.name}`, () => {
        const encoded = rheaEncoded(sample);
        const fast = decodeHopMessage(encoded);
        // rhea writes -2^31 and beyond-32-bit integers as longs, outside the shape: rhea reads those.
        if (RHEA_WRITES_A_LONG.has(sample.name)) return assert.equal(fast, undefined);
        // rhea writes an empty header and a properties list: both within the shape, so the fast decoder reads them.
        assert.ok(fast, 'in the shape');
        assert.deepEqual(plain(fast), plain(throughRhea(encoded)));
      });
    }

    const body = rhea.message.data_section(Buffer.from('body'));
    /** Conforming messages of other shapes: the fast decoder leaves each to rhea (undefined), which reads it as before. */
    const OTHER_SHAPES: [string, Buffer][] = [
      ['a ulong message-id', rhea.message.encode({ message_id: 42, body })],
      ['a subject', rhea.message.encode({ message_id: 'x', subject: 'topic', body })],
      ['message annotations', rhea.message.encode({ message_annotations: { 'x-opt': 'v' }, body })],
      ['a property holding a list', rhea.message.encode({ application_properties: { list: [1, 2] }, body })],
      ['a property holding null', rhea.message.encode({ application_properties: { nothing: null }, body })],
      ['an amqp-value string body', rhea.message.encode({ body: 'text' })],
      ['an amqp-value binary body', rhea.message.encode({ body: Buffer.from('bytes') })],
      ['two data sections', rhea.message.encode({ body: rhea.message.data_sections([Buffer.from('a'), Buffer.from('b')]) })],
      ['a footer', rhea.message.encode({ body, footer: { sum: 'x' } })],
      ['no body', rhea.message.encode({ message_id: 'x' })],
    ];
    for (const [name, encoded] of OTHER_SHAPES) {
      it(`leaves another shape to rhea: ${name}`, () => {
        assert.equal(decodeHopMessage(encoded), undefined);
        // And what rhea makes of it reaches the receiver's validation exactly as before.
        assert.doesNotThrow(() => decodeMessage(rhea.message.decode(encoded)));
      });
    }

    it('refuses bytes that start as the shape but run short with MalformedHopMessageError, at every cut', () => {
      const encoded = encodeHopMessage(filled(300), { messageId: 'cut-me', properties: { a: 'b', n: 7, d: 0.5 } });
      for (let length = 1; length < encoded.length; length++) {
        const cut = encoded.subarray(0, length);
        try {
          // A cut between sections is a message of another shape (no body yet): rhea's to read.
          assert.equal(decodeHopMessage(cut), undefined, `cut at ${length}`);
        } catch (error) {
          assert.ok(error instanceof MalformedHopMessageError, `cut at ${length}: ${String(error)}`);
          assert.equal(error.code, 'MALFORMED_AMQP_MESSAGE');
        }
      }
    });

    it('skips a header of plain fields, as the receiver reads none of them', () => {
      const encoded = rhea.message.encode({ durable: true, priority: 7, ttl: 1_000, first_acquirer: true, delivery_count: 3, message_id: 'h', body });
      assert.deepEqual(plain(decodeHopMessage(encoded)), plain(throughRhea(encoded)));
    });

    it("agrees with rhea's decoder on 3,000 seeded mutations of valid messages, or leaves them to it; throws nothing but MalformedHopMessageError", () => {
      let seed = 18;
      const next = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
      const samples = CASES.filter(({ bytes }) => bytes.byteLength < 4_096).map((sample) => encodeHopMessage(sample.bytes, sample.options));
      let read = 0;
      for (let i = 0; i < 3_000; i++) {
        const bytes = Buffer.from(samples[i % samples.length]);
        for (let flips = 1 + Math.floor(next() * 3); flips > 0; flips--) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
        let fast: HopMessage | undefined;
        try {
          fast = decodeHopMessage(bytes);
        } catch (error) {
          assert.ok(error instanceof MalformedHopMessageError, String(error));
          continue;
        }
        if (!fast) continue;
        read++;
        assert.deepEqual(plain(fast), plain(throughRhea(bytes)), `mutation ${i}`);
      }
      assert.ok(read > 100, `${read} mutations still in the shape`);
    });

    const MALFORMED: [string, number[]][] = [
      ['a vbin32 announcing 4 GiB', [0x00, 0x53, 0x75, 0xb0, 0xff, 0xff, 0xff, 0xff, 0x61]],
      ['a vbin8 longer than the message', [0x00, 0x53, 0x75, 0xa0, 0x10, 0x61]],
      ['a properties list whose size passes the end', [0x00, 0x53, 0x73, 0xc0, 0x40, 0x01, 0xa1, 0x01, 0x61]],
      ['a map announcing more elements than bytes', [0x00, 0x53, 0x74, 0xc1, 0x02, 0xff, 0xa1]],
      ['a map32 announcing 2^32-1 elements', [0x00, 0x53, 0x74, 0xd1, 0x00, 0x00, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff, 0xa1]],
      ['a message-id string past the end', [0x00, 0x53, 0x73, 0xc0, 0x04, 0x01, 0xa1, 0x7f, 0x61]],
    ];
    for (const [name, bytes] of MALFORMED) {
      it(`refuses ${name} with MalformedHopMessageError`, () => {
        assert.throws(() => decodeHopMessage(Buffer.from(bytes)), MalformedHopMessageError);
      });
    }
  });
});
