import { createConnection, type Socket } from 'node:net';
// lib's own files rather than its face: `airlock status` loads this module, and lib's face is every layer of lib (xstate, rxjs, pino).
import { errorFromWire } from '../../lib/wire-errors.ts';
import { PendingAsks } from '../../lib/pending-asks.ts';
import { realClock, type Clock } from '../../lib/ports/clock.ts';
import { AdminFrameReader, decodeAdminBody, encodeAdminFrame } from './admin-frames.ts';
import { AdminResponseSchema } from './admin-messages.ts';
import type { ControlChannel } from './control-client.ts';
import type { ControlRequestType } from './control-protocol.ts';
import { AdminSocketError } from './errors.ts';

export interface AdminClientOptions {
  /** How long to wait for each answer (35 s, a little past the server's own ask timeout). */
  timeoutMs?: number;
  clock?: Clock;
}

/** Talks to one node's admin socket: sends Control requests, matches answers by id. */
export class AdminSocketChannel implements ControlChannel {
  private nextId = 1;
  private readonly asks: PendingAsks;
  private readonly reader = new AdminFrameReader();

  private constructor(
    private readonly socket: Socket,
    readonly path: string,
    private readonly options: AdminClientOptions,
  ) {
    this.asks = new PendingAsks(options.clock ?? realClock);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.failAll(new AdminSocketError(path, error.message, { cause: error })));
    socket.on('close', () => this.failAll(new AdminSocketError(path, 'the node closed the connection')));
  }

  static connect(path: string, options: AdminClientOptions = {}): Promise<AdminSocketChannel> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve(new AdminSocketChannel(socket, path, options));
      });
      socket.once('error', (error: NodeJS.ErrnoException) => reject(new AdminSocketError(path, unreachable(error), { cause: error })));
    });
  }

  ask(type: ControlRequestType, body: unknown): Promise<unknown> {
    const id = this.nextId++;
    const answer = this.asks.wait(String(id), this.path, type, undefined, this.options.timeoutMs ?? 35_000);
    this.socket.write(encodeAdminFrame({ id, type, body }));
    return answer;
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.reader.push(chunk);
    try {
      for (let frame = this.reader.next(); frame; frame = this.reader.next()) {
        const response = AdminResponseSchema.parse(decodeAdminBody(frame));
        if (!('error' in response)) this.asks.settle(String(response.id), undefined, response.reply);
        // The node could not read a request of ours (its frame or its id): which one is unknown, so every ask waiting learns why.
        else if (response.id === null) this.failAll(errorFromWire(response.error));
        else this.asks.settle(String(response.id), errorFromWire(response.error));
      }
    } catch (error) {
      this.failAll(new AdminSocketError(this.path, 'unreadable answer from the node', { cause: error }));
      this.socket.destroy();
    }
  }

  private failAll(error: Error): void {
    this.asks.rejectAll(error);
  }
}

function unreachable(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no node is serving it (is `airlock run` running in this directory?)';
    case 'ECONNREFUSED':
      return 'stale socket: its node is gone';
    case 'EACCES':
      return 'permission denied (the socket is owner-only)';
    default:
      return error.message;
  }
}
