import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import rhea from 'rhea';
import { HopMessage, MalformedHopMessageError, decodeHopMessage } from './hop-message-decoder.ts';
import { MAX_LOGGED_CHARS, MIN_PEER_IDLE_TIME_OUT_MS } from './limits.ts';
import type { Connection } from './rhea-types.ts';

/** AMQP 1.0 §2.8.4: delivery numbers are uints. */
const MAX_UINT = 0xffff_ffff;
const INVALID_FIELD = 'amqp:invalid-field';
/** How long a refused peer has to read the close before the socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

/** rhea 3's session buffer of deliveries in one direction (session.js `CircularBuffer`). */
interface DeliveryBuffer {
  capacity: number;
  size: number;
  get_head(): { id: number } | undefined;
}

interface RheaSessionState {
  outgoing: { deliveries: DeliveryBuffer; next_pending_delivery: number };
  incoming: { deliveries: DeliveryBuffer };
  remote: { handles: Record<number, RheaLinkState | undefined> };
}

interface RheaLinkState {
  credit: number;
  is_receiver(): boolean;
}

interface Frame {
  channel: number;
  performative: Record<string, unknown>;
}

/** The per-performative handlers rhea's transport calls on a connection (`on_<name>(frame)`), and what they reach. */
interface Handlers {
  on_open(frame: Frame): void;
  on_attach(frame: Frame): void;
  on_disposition(frame: Frame): void;
  on_flow(frame: Frame): void;
  on_transfer(frame: Frame): void;
  close(error: { condition: string; description: string }): void;
  _process(): void;
  remote_channel_map: Record<number, RheaSessionState | undefined>;
}

/** Thrown to stop rhea reading the rest of a chunk once the connection was refused; the reason was audited already. */
export class PerformativeRefused extends Error {
  override readonly name = 'PerformativeRefused';
}

/** Where a console line rhea writes while a guarded call runs goes instead (one bounded line). */
type ConsoleSink = (line: string) => void;
let sink: ConsoleSink | undefined;
/** Whether the transfer rhea is reading arrived on an airlock connection: only those take the hop's decoder. */
let airlockTransfer = false;

/**
 * Checks, on one rhea connection, the performatives whose fields rhea walks or trusts before it
 * sees them, and refuses the connection (an AMQP close `amqp:invalid-field`, then `refused(reason)`
 * once, nothing more read, the socket ended and destroyed a second later) when one is out of bounds:
 *
 * - an open whose idle-time-out is under `MIN_PEER_IDLE_TIME_OUT_MS`: rhea keeps any up, with an empty
 *   frame every half of it;
 * - a disposition: rhea walks `first..last` one delivery id at a time (session.js
 *   `Outgoing/Incoming.on_disposition`), so first=0, last=2^32-1 holds the process for hours. A
 *   range wider than the session holds deliveries in that direction (rhea's session buffer, 2,048)
 *   is refused, ids that are not uints too; a range within it is narrowed to the deliveries held,
 *   so the walk costs at most what the session holds (ids already forgotten never alias a held
 *   one in rhea's ring buffer, and a delivery not yet sent is not settled under its sender);
 * - a flow: counts and ids that are not uints (rhea adds them up as numbers, or throws on bigints);
 * - a transfer that completes a delivery on a link without credit: rhea would print it with
 *   `console.error`; the receiver refuses it (`amqp:link:transfer-limit-exceeded`) instead.
 *
 * What rhea still prints while a performative is handled (an unknown outcome, terminus or message
 * section, a drain with credit) goes to `log`, one bounded line each, never to the console.
 */
export function guardPerformatives(connection: Connection, socket: Socket, log: (line: string) => void, refused: (reason: string) => void): void {
  const handlers = connection as unknown as Handlers;
  const original = { open: handlers.on_open, attach: handlers.on_attach, disposition: handlers.on_disposition, flow: handlers.on_flow, transfer: handlers.on_transfer };
  let done = false;
  const refuse = (reason: string): never => {
    if (!done) {
      done = true;
      handlers.close({ condition: INVALID_FIELD, description: reason });
      // Written now, before the socket ends: the peer learns why.
      handlers._process();
      // Nothing more is read: rhea would go on acting on what the peer sends meanwhile.
      socket.removeAllListeners('data');
      socket.end();
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
      refused(reason);
    }
    // Stops rhea reading the rest of the chunk; it reports the error, which its log skips.
    throw new PerformativeRefused(reason);
  };
  handlers.on_open = function (frame) {
    // Taken first, so this side's open precedes its close (AMQP 1.0 §2.4.1: a refused open is answered open, then close).
    original.open.call(this, frame);
    checkOpen(frame.performative, refuse);
  };
  handlers.on_attach = function (frame) {
    // Only the sink is set: this call runs this side's link decisions (application code) too, so the
    // console is swapped around rhea's terminus reader alone (`boundRheaDecoding`).
    routed(log, () => original.attach.call(this, frame));
  };
  handlers.on_disposition = function (frame) {
    const narrowed = checkDisposition(frame, this.remote_channel_map[frame.channel], refuse);
    if (narrowed) routed(log, () => quietly(() => original.disposition.call(this, narrowed)));
  };
  handlers.on_flow = function (frame) {
    checkFlow(frame.performative, refuse);
    routed(log, () => quietly(() => original.flow.call(this, frame)));
  };
  handlers.on_transfer = function (frame) {
    const link = this.remote_channel_map[frame.channel]?.remote.handles[frame.performative.handle as number];
    // The delivery's last transfer with no credit left: rhea prints it and takes it; with one credit
    // it takes it quietly, and the receiver (which counts its unsettled deliveries) refuses it.
    if (link?.is_receiver() && !frame.performative.more && link.credit <= 0) link.credit = 1;
    // Only the sink is set: this call runs the receiver's handler (application code) too, so the
    // console is swapped around rhea's message decoder alone (`boundRheaDecoding`).
    airlockTransfer = true;
    try {
      routed(log, () => original.transfer.call(this, frame));
    } finally {
      airlockTransfer = false;
    }
  };
}

/** The disposition to hand rhea (its range narrowed to the deliveries held), none when nothing in it is held; refuses one out of bounds. */
function checkDisposition(frame: Frame, session: RheaSessionState | undefined, refuse: (reason: string) => never): Frame | undefined {
  // No session on the channel: rhea refuses that itself (a protocol error).
  if (!session) return frame;
  const { role, first, last } = frame.performative;
  if (typeof role !== 'boolean') refuse('a disposition without a role');
  if (!isUint(first)) refuse(`a disposition whose first is not a delivery number`);
  if (last !== undefined && last !== null && !isUint(last)) refuse(`a disposition whose last is not a delivery number`);
  const from = first as number;
  const to = (last ?? first) as number;
  const held = role ? session.outgoing.deliveries : session.incoming.deliveries;
  // Serial numbers (RFC 1982): first..last may wrap past 2^32-1.
  const width = ((to - from) >>> 0) + 1;
  if (width > held.capacity) refuse(`a disposition of ${width} deliveries (${from}..${to}), more than the ${held.capacity} a session holds`);
  const head = held.get_head();
  // rhea's ids never wrap: a wrapped range names none it holds.
  if (!head || to < from) return undefined;
  const lo = Math.max(from, head.id);
  // Outgoing, only what was sent: settling a delivery still waiting for credit drops it from rhea's
  // buffer under its sender (which then prints that it lost it, and never sends on).
  const newest = role ? Math.min(head.id + held.size, session.outgoing.next_pending_delivery) - 1 : head.id + held.size - 1;
  const hi = Math.min(to, newest);
  if (lo > hi) return undefined;
  return { ...frame, performative: Object.assign(Object.create(Object.getPrototypeOf(frame.performative) as object) as object, frame.performative, { first: lo, last: hi }) as Record<string, unknown> };
}

function checkOpen(fields: Record<string, unknown>, refuse: (reason: string) => never): void {
  const idle = fields.idle_time_out;
  if (idle === undefined || idle === null || idle === 0) return;
  if (!isUint(idle)) refuse('an open whose idle-time-out is not a uint');
  // rhea writes an empty frame every half of the peer's idle-time-out: 1 ms would be a frame a millisecond for as long as the connection lasts.
  if (idle < MIN_PEER_IDLE_TIME_OUT_MS) refuse(`an idle-time-out of ${idle} ms, under the ${MIN_PEER_IDLE_TIME_OUT_MS} ms this side keeps up`);
}

const FLOW_COUNTS = ['next_incoming_id', 'incoming_window', 'next_outgoing_id', 'outgoing_window', 'handle', 'delivery_count', 'link_credit', 'available'] as const;

function checkFlow(fields: Record<string, unknown>, refuse: (reason: string) => never): void {
  for (const name of FLOW_COUNTS) {
    const value = fields[name];
    if (value !== undefined && value !== null && !isUint(value)) refuse(`a flow whose ${name.replace(/_/g, '-')} is not a uint`);
  }
}

function isUint(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_UINT;
}

/** Runs `call` with rhea's console lines going to `log`, bounded. */
function routed(log: (line: string) => void, call: () => void): void {
  const previous = sink;
  sink = log;
  try {
    call();
  } finally {
    sink = previous;
  }
}

type ConsoleMethod = 'log' | 'warn' | 'error' | 'info' | 'trace';
const CONSOLE_METHODS: readonly ConsoleMethod[] = ['log', 'warn', 'error', 'info', 'trace'];

/** `console.*` replaced while `call` runs, its lines going to the current sink (dropped when there is none). */
function quietly<T>(call: () => T): T {
  const saved = CONSOLE_METHODS.map((method) => [method, console[method]] as const);
  const write = (...args: unknown[]) => sink?.(boundedLine(args.map((arg) => (typeof arg === 'string' ? arg : safeString(arg))).join(' ')));
  for (const method of CONSOLE_METHODS) console[method] = write;
  try {
    return call();
  } finally {
    for (const [method, original] of saved) console[method] = original;
  }
}

/** rhea reports an error named `ProtocolError` as a protocol error (to the connection's `protocol_error` listener). */
function protocolError(message: string): Error {
  const error = new Error(message);
  error.name = 'ProtocolError';
  return error;
}

function safeString(value: unknown): string {
  try {
    return String(value).slice(0, MAX_LOGGED_CHARS);
  } catch {
    return typeof value;
  }
}

function boundedLine(line: string): string {
  return line.length <= MAX_LOGGED_CHARS ? line : `${line.slice(0, MAX_LOGGED_CHARS)}…`;
}

type RheaInternals = Omit<typeof rhea, 'message' | 'types'> & {
  message: { decode(buffer: Buffer): unknown; unwrap_outcome(outcome: unknown): unknown };
  types: { Reader: { prototype: { read_array: (this: ArrayReader, type: { width: number }) => unknown } } };
};

interface ArrayReader {
  buffer: Buffer;
  position: number;
  remaining(): number;
}

let installed = false;

/** The hop's own message shape, read without rhea's generic decoder; undefined for any other (rhea reads those, as before). */
function hopShaped(buffer: Buffer): HopMessage | undefined {
  try {
    return decodeHopMessage(buffer);
  } catch (error) {
    // Malformed bytes go to rhea's decoder too, so a peer sees the same outcome as before.
    if (error instanceof MalformedHopMessageError) return undefined;
    throw error;
  }
}

/** AMQP 1.0 §3.4: received, accepted, rejected, released, modified, as descriptor codes. */
const KNOWN_OUTCOME_CODES = new Set([0x23, 0x24, 0x25, 0x26, 0x27]);

function isKnownOutcome(outcome: unknown): boolean {
  const descriptor = (outcome as { descriptor?: { value?: unknown } } | null | undefined)?.descriptor?.value;
  return typeof descriptor === 'number' && KNOWN_OUTCOME_CODES.has(descriptor);
}

/**
 * Process-wide bounds on rhea's decoder and its console, installed once (rhea is one module): its
 * message decoder, outcome and terminus readers print what they do not know with
 * `console.warn/error` (a peer's value as JSON, as long as a message), so they run with the console
 * routed to the sink of the connection being read; and an AMQP array of zero-width elements (nulls, booleans, empty
 * lists) announces a count rhea loops over, 2^32-1 from 6 bytes, so an array may not announce more
 * elements than bytes left to read.
 */
export function boundRheaDecoding(): void {
  if (installed) return;
  installed = true;
  const internals = rhea as unknown as RheaInternals;
  const { decode, unwrap_outcome } = internals.message;
  // On airlock's connections the hop's own shape is read directly (a `HopMessage`, which the receiver takes as it is); any other shape, and every other rhea connection in the process, as before.
  internals.message.decode = (buffer) => (airlockTransfer ? hopShaped(buffer) : undefined) ?? quietly(() => decode(buffer));
  // The outcomes rhea knows it unwraps without a word; only an unknown one is printed. rhea unwraps
  // a disposition's outcome once per delivery of its range: the last one unwrapped is kept for the next.
  let lastOutcome: unknown;
  let lastUnwrapped: unknown;
  internals.message.unwrap_outcome = (outcome) => {
    if (outcome !== undefined && outcome === lastOutcome) return lastUnwrapped;
    lastUnwrapped = isKnownOutcome(outcome) ? unwrap_outcome(outcome) : quietly(() => unwrap_outcome(outcome));
    lastOutcome = outcome;
    return lastUnwrapped;
  };
  // A source or target of an unknown descriptor in an attach: rhea warns with `console.warn`.
  const terminus = createRequire(import.meta.url)('rhea/lib/terminus.js') as { unwrap(field: unknown): unknown };
  const unwrapTerminus = terminus.unwrap;
  terminus.unwrap = (field) => quietly(() => unwrapTerminus(field));
  const reader = internals.types.Reader.prototype;
  const readArray = reader.read_array;
  reader.read_array = function (this: ArrayReader, type: { width: number }) {
    // array8: a 1-byte size then count, array32: 4-byte ones; the element constructor follows.
    const at = this.position + type.width;
    if (at + type.width <= this.buffer.length) {
      const count = type.width === 1 ? this.buffer.readUInt8(at) : this.buffer.readUInt32BE(at);
      const left = this.buffer.length - at - type.width;
      if (count > left) throw protocolError(`an array announcing ${count} elements in ${left} bytes`);
    }
    return readArray.call(this, type);
  };
}
