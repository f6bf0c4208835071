import { chmod, lstat, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { InvalidMessageError, type ActorSystem } from '../../lib/index.ts';
import { AdminFrameReader, decodeAdminBody, encodeAdminFrame, MAX_ADMIN_FRAME_BYTES } from './admin-frames.ts';
import { errorToWire } from '../../lib/index.ts';
import { AdminId, AdminRequestSchema, type AdminRequest, type AdminResponse } from './admin-messages.ts';
import { ensurePrivateDirectory } from './admin-socket-path.ts';
import { authorizeBody } from './control-auth.ts';
import type { ControlKey } from './control-key.ts';
import { Control, controlAddress } from './control-protocol.ts';
import { AdminSocketError } from './errors.ts';

export interface AdminServerOptions {
  /** The system hosting the node's control actor. */
  system: ActorSystem;
  node: string;
  /**
   * The node's control key. The socket's peers are already authenticated by the operating
   * system (only the owner can connect), so the server signs their restart/stop/start with it;
   * without a key only `status` gets through.
   */
  key?: ControlKey;
  /** The socket's path; its directory is created (or tightened) to 0700. */
  path: string;
  /** How long the control actor may take to answer (30 s: a restart may wait out shutdowns). */
  askTimeoutMs?: number;
  maxFrameBytes?: number;
}

/**
 * A node's local admin socket: a Unix domain socket, owner-only (socket 0600 in a 0700
 * directory), speaking length-prefixed msgpack frames. Each request is checked, then
 * forwarded as an `ask` to the node's control actor; whatever is wrong with a request is
 * answered with a typed error and never reaches, let alone crashes, the node.
 */
export class AdminServer {
  private readonly connections = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly options: AdminServerOptions,
  ) {
    server.on('connection', (socket) => this.serve(socket));
  }

  get path(): string {
    return this.options.path;
  }

  static async listen(options: AdminServerOptions): Promise<AdminServer> {
    await ensurePrivateDirectory(dirname(options.path));
    await removeStaleSocket(options.path);
    const admin = new AdminServer(createServer(), options);
    await new Promise<void>((resolve, reject) => {
      admin.server.once('error', (error) => reject(new AdminSocketError(options.path, error.message, { cause: error })));
      admin.server.listen(options.path, () => resolve());
    });
    await chmod(options.path, 0o600);
    return admin;
  }

  /** Stops listening, drops open connections and removes the socket file. */
  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await unlink(this.options.path).catch(() => {});
  }

  private serve(socket: Socket): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy()); // a client that went away is not the node's problem
    const reader = new AdminFrameReader(this.options.maxFrameBytes ?? MAX_ADMIN_FRAME_BYTES);
    socket.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      try {
        for (let frame = reader.next(); frame; frame = reader.next()) void this.answer(socket, frame);
      } catch (error) {
        // An oversized length prefix: the rest of the stream cannot be framed any more.
        respond(socket, { id: null, error: errorToWire(error as Error) });
        socket.end();
      }
    });
  }

  private async answer(socket: Socket, frame: Buffer): Promise<void> {
    let id: number | null = null;
    try {
      const value = decodeAdminBody(frame);
      id = requestId(value);
      const request = parseRequest(value);
      const body = this.authorized(request.type, Control.validate(request.type, request.body));
      const control = this.options.system.ref(controlAddress(this.options.node), Control);
      const reply = await control.ask(request.type as 'status', body as { address?: string }, {
        timeoutMs: this.options.askTimeoutMs ?? 30_000,
      });
      respond(socket, { id: request.id, reply });
    } catch (error) {
      respond(socket, { id, error: errorToWire(error as Error) });
    }
  }

  private authorized(type: AdminRequest['type'], body: unknown): unknown {
    const { key, node, system } = this.options;
    return key ? authorizeBody(key, node, type, body, system.clock.now()) : body;
  }
}

function parseRequest(value: unknown): AdminRequest {
  const result = AdminRequestSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`);
  throw new InvalidMessageError('airlock.admin', 'request', issues);
}

/**
 * The request's id when it is one a client can read back, so even a refusal can be matched;
 * else null (an id such as 2^53 + 2 or 1e300 is refused, never echoed).
 */
function requestId(value: unknown): number | null {
  const id = AdminId.safeParse((value as { id?: unknown } | null)?.id);
  return id.success ? id.data : null;
}

function respond(socket: Socket, response: AdminResponse): void {
  if (socket.writable) socket.write(encodeAdminFrame(response));
}

/** A socket file left by a node that died is removed; one a live node still serves is not. */
async function removeStaleSocket(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return;
  if (!info.isSocket()) throw new AdminSocketError(path, 'exists and is not a socket');
  const alive = await new Promise<boolean>((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new AdminSocketError(path, 'another node is serving it');
  await unlink(path);
}
