import type { Duplex } from 'node:stream';
import type { Connection } from './rhea-types.ts';

/** The part of rhea's connection that writes: `output()` hands every pending frame to the socket, one `write` each. */
interface Output {
  output(): void;
}

/**
 * Frames written in one tick leave as one socket write. rhea calls `socket.write` once per frame,
 * and on a TLS socket each write is its own TLS record, encryption and write call: a transfer and
 * its disposition and flow cost three. Corked from the first frame of a tick until the end of that
 * tick, the frames go out as one `writev`, which Node's TLS layer encrypts as one record. Nothing
 * waits longer than the tick that wrote it; `end()` uncorks on its own.
 */
export function coalesceWrites(connection: Connection, socket: Duplex): void {
  const rhea = connection as unknown as Output;
  const output = rhea.output;
  const uncork = () => socket.uncork();
  rhea.output = function (this: Output) {
    if (socket.writableCorked === 0 && socket.writable) {
      socket.cork();
      process.nextTick(uncork);
    }
    output.call(this);
  };
}
