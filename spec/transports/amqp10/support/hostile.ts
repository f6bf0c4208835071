import tls from 'node:tls';
import type { LinkSession, TlsMaterial } from '../../../../internal.ts';

/** The AMQP 1.0 protocol header (protocol id 0, version 1.0.0). */
export const AMQP_HEADER = Buffer.from('AMQP\x00\x01\x00\x00', 'latin1');

/** A frame of `size` bytes in all (header included): data offset 2, `type`, channel 0, zeros after. */
export function frame(size: number, type = 0): Buffer {
  const bytes = Buffer.alloc(Math.max(size, 8));
  bytes.writeUInt32BE(size, 0);
  bytes.writeUInt8(2, 4);
  bytes.writeUInt8(type, 5);
  return bytes;
}

/** `count` well-formed-looking empty-bodied frames of `size` bytes each, back to back. */
export function frames(count: number, size: number): Buffer {
  return Buffer.concat(Array.from({ length: count }, () => frame(size)));
}

/** A raw TLS client presenting `material`'s certificate: it speaks whatever bytes the spec writes. */
export async function rawTlsClient(port: number, material: TlsMaterial): Promise<tls.TLSSocket> {
  const socket = tls.connect({ host: '127.0.0.1', port, ...(material as tls.ConnectionOptions), checkServerIdentity: () => undefined });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  socket.on('error', () => undefined);
  // Reads (and drops) what the server says, so its end is seen: a paused socket never learns it was closed.
  socket.resume();
  return socket;
}

export function closedOf(socket: tls.TLSSocket): Promise<void> {
  return new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

/**
 * The bytes rhea holds for a frame it has not yet completely received, on the session's
 * connection: what a peer made this process buffer. Read from rhea 3's connection (`frame_size`,
 * `received_bytes`, `previous_input`), the measure the frame guard exists to bound.
 */
export function bufferedBytes(session: LinkSession): number {
  const connection = (session as unknown as { connection: { frame_size?: number; received_bytes?: number; previous_input?: Buffer | null } }).connection;
  const pendingFrame = connection.frame_size !== undefined ? (connection.received_bytes ?? 0) : 0;
  return pendingFrame + (connection.previous_input?.length ?? 0);
}

/** The TLS socket a session runs on (to play a hostile server from inside a real listener). */
export function socketOf(session: LinkSession): tls.TLSSocket {
  return (session as unknown as { socket: tls.TLSSocket }).socket;
}
