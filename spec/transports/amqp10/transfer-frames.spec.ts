import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { encodeHopMessage } from '../../../transports/amqp10/hop-message-encoder.ts';
import { readTransferFrame, writeTransferFrame } from '../../../transports/amqp10/transfer-frames.ts';
import '../../../transports/amqp10/index.ts';

interface Frame {
  type: number;
  channel: number;
  performative?: Record<string, unknown>;
  payload?: Buffer;
}
const frames = createRequire(import.meta.url)('rhea/lib/frames.js') as {
  transfer(fields: Record<string, unknown>): NonNullable<Frame['performative']>;
  flow(fields: Record<string, unknown>): NonNullable<Frame['performative']>;
  amqp_frame(channel: number, performative: unknown, payload?: Buffer): Frame;
  read_frame(buffer: Buffer): Frame;
  write_frame(frame: Frame): Buffer;
};

const FIELDS = ['handle', 'delivery_id', 'delivery_tag', 'message_format', 'settled', 'more', 'rcv_settle_mode', 'state', 'resume', 'aborted', 'batchable'];
/** The fields rhea's session reads off a transfer, null and absent alike as null. */
const fieldsOf = (frame: Frame) => Object.fromEntries(FIELDS.map((name) => [name, frame.performative?.[name] ?? null]));

/** Transfers as rhea's session makes them (Outgoing.process), at the edges of each field's encodings. */
const TRANSFERS: [string, Record<string, unknown>, number, Buffer | undefined][] = [
  ['the first delivery', { handle: 0, message_format: 0, delivery_id: 0, delivery_tag: Buffer.from('0'), settled: false, more: false }, 0, Buffer.from('payload')],
  ['a settled one on a later link and channel', { handle: 7, message_format: 0, delivery_id: 255, delivery_tag: Buffer.from('255'), settled: true, more: false }, 3, Buffer.alloc(300, 1)],
  ['a large id and a long tag', { handle: 70_000, message_format: 0x1234, delivery_id: 2 ** 32 - 1, delivery_tag: Buffer.alloc(32, 7), settled: false, more: true }, 65_535, Buffer.alloc(65_536, 2)],
  ['a continuation without id or tag', { handle: 1, more: true }, 0, Buffer.from('next part')],
  ['no payload', { handle: 2, delivery_id: 9, delivery_tag: Buffer.from('t'), message_format: 0, settled: false, more: false }, 0, undefined],
];

describe("the AMQP 1.0 hop's transfer frames", () => {
  for (const [name, fields, channel, payload] of TRANSFERS) {
    it(`writes what rhea reads back as the same transfer: ${name}`, () => {
      const frame = frames.amqp_frame(channel, frames.transfer(fields), payload);
      const written = writeTransferFrame(frame);
      assert.ok(written, 'in the hop shape');
      const read = frames.read_frame(written);
      assert.deepEqual([read.channel, fieldsOf(read), read.payload], [channel, fieldsOf(frame), payload]);
    });

    it(`reads rhea's own encoding as rhea does: ${name}`, () => {
      const written = frames.write_frame(frames.amqp_frame(channel, frames.transfer(fields), payload));
      const fast = readTransferFrame(written);
      assert.ok(fast, 'in the hop shape');
      const rhea = frames.read_frame(written);
      assert.deepEqual([fast.channel, fieldsOf(fast), fast.payload], [rhea.channel, fieldsOf(rhea), rhea.payload]);
    });
  }

  it('writes the frame of an encoded message in the room kept in front of it, not copying the message; a fragment of one is copied', () => {
    const message = encodeHopMessage(new Uint8Array(64 * 1024).fill(9), { messageId: 'in-place' });
    const fields = { handle: 1, message_format: 0, delivery_id: 12, delivery_tag: Buffer.alloc(8, 3), settled: false, more: false };
    const written = writeTransferFrame(frames.amqp_frame(2, frames.transfer(fields), message))!;
    assert.equal(written.buffer, message.buffer, 'the same memory');
    assert.equal(written.byteOffset + written.length, message.byteOffset + message.length);
    const read = frames.read_frame(written);
    assert.deepEqual([fieldsOf(read), read.payload], [fieldsOf(frames.amqp_frame(2, frames.transfer(fields))), message]);
    // rhea splits a message larger than a frame into slices: those have no room of their own in front.
    const fragment = message.subarray(1_000);
    const copied = writeTransferFrame(frames.amqp_frame(2, frames.transfer({ handle: 1, more: true }), fragment))!;
    assert.notEqual(copied.buffer, message.buffer);
    assert.deepEqual(frames.read_frame(copied).payload, fragment);
    assert.deepEqual(message.subarray(0, 8), encodeHopMessage(new Uint8Array(64 * 1024).fill(9), { messageId: 'in-place' }).subarray(0, 8), 'the message itself untouched');
  });

  it("leaves every other frame to rhea's codec: other performatives, a transfer with a state or an abort", () => {
    const flow = frames.amqp_frame(0, frames.flow({ next_incoming_id: 0, incoming_window: 10, next_outgoing_id: 0, outgoing_window: 10 }));
    assert.equal(writeTransferFrame(flow), undefined);
    assert.equal(readTransferFrame(frames.write_frame(flow)), undefined);
    const aborted = frames.amqp_frame(0, frames.transfer({ handle: 0, delivery_id: 1, aborted: true }));
    assert.equal(writeTransferFrame(aborted), undefined);
    assert.equal(readTransferFrame(frames.write_frame(aborted)), undefined);
  });

  it('leaves a transfer whose fields run past its frame, or use other encodings, to rhea (which refuses or reads it as before)', () => {
    const written = frames.write_frame(frames.amqp_frame(0, frames.transfer({ handle: 0, delivery_id: 1, delivery_tag: Buffer.from('tag'), message_format: 0, settled: false, more: false })));
    for (let length = 8; length < written.length; length++) {
      const cut = Buffer.from(written.subarray(0, length));
      cut.writeUInt32BE(length, 0);
      assert.equal(readTransferFrame(cut), undefined, `cut at ${length}`);
    }
    // A handle as a ulong is conforming but not the hop's encoding.
    const ulongHandle = Buffer.from([0, 0, 0, 0, 2, 0, 0, 0, 0x00, 0x53, 0x14, 0xc0, 0x03, 0x01, 0x53, 0x01]);
    ulongHandle.writeUInt32BE(ulongHandle.length, 0);
    assert.equal(readTransferFrame(ulongHandle), undefined);
  });
});
