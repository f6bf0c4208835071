/**
 * A hostile AMQP 1.0 server with a valid certificate, for a dialling `amqp10Links.connect`: it
 * answers the client's header, open and begin by the book, answers its receiver's attach as the
 * sending end, then sends the current hostile unit and a probe (one small transfer). The client's
 * disposition of the probe says it read the unit and lives; a condition, a close or a cut says it
 * refused. Units that may desynchronise the stream are followed by filler until the client cuts.
 */
import tls from 'node:tls';
import type { TlsMaterial } from '../internal.ts';
import { bin, bool, conditionsOf, dataMessage, described, firstString, FrameReader, list, nul, performative, PERFORMATIVE, PROTOCOL_HEADER, SECTION, str, uint, ushort } from './amqp-codec.ts';
import { type UnitOutcome } from './amqp-attacker.ts';
import { writeMetered, zeros, type BufferMeter, type ConnectionMeter } from './buffer-meter.ts';

export interface HostileUnit {
  bytes: Uint8Array;
  desync: boolean;
  cap: number;
}

/** Serves one unit per connection; `next(unit)` arms the server for the client's next dial. */
export class HostileServer {
  private unit: HostileUnit | undefined;
  private settle: ((outcome: UnitOutcome) => void) | undefined;

  private constructor(
    private readonly server: tls.Server,
    private readonly meter: BufferMeter,
  ) {
    server.on('secureConnection', (socket) => this.serve(socket));
    server.on('tlsClientError', () => undefined);
  }

  static async listen(material: TlsMaterial, meter: BufferMeter): Promise<HostileServer> {
    const server = tls.createServer({ key: material.key as string, cert: material.cert as string, ca: material.ca as string, requestCert: true, rejectUnauthorized: true });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new HostileServer(server, meter);
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** Arms the next connection with `unit`; resolves with what the client made of it. */
  next(unit: HostileUnit): Promise<UnitOutcome> {
    this.unit = unit;
    return new Promise((resolve) => (this.settle = resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: tls.TLSSocket): void {
    socket.setNoDelay(true);
    const unit = this.unit;
    const settle = this.settle;
    this.unit = undefined;
    this.settle = undefined;
    if (!unit || !settle) return void socket.destroy();
    new HostileConnection(socket, unit, this.meter.connection(), settle).start();
  }
}

class HostileConnection {
  private readonly reader = new FrameReader();
  private readonly conditions: string[] = [];
  private done = false;
  private unitSent = false;

  constructor(
    private readonly socket: tls.TLSSocket,
    private readonly unit: HostileUnit,
    private readonly meter: ConnectionMeter,
    private readonly settle: (outcome: UnitOutcome) => void,
  ) {}

  start(): void {
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    this.socket.on('close', () => this.finish({ answer: 'closed', conditions: [...this.conditions] }));
    this.socket.on('error', () => undefined);
  }

  private received(chunk: Buffer): void {
    this.meter.answered();
    let frames;
    try {
      frames = this.reader.push(chunk);
    } catch (error) {
      return this.finish({ answer: 'unreadable', why: (error as Error).message });
    }
    for (const frame of frames) {
      if (frame.header) this.socket.write(Buffer.concat([PROTOCOL_HEADER, performative(0, PERFORMATIVE.open, [str('hostile-server'), nul(), uint(64 * 1024)])]));
      else if (frame.code === PERFORMATIVE.begin) this.socket.write(performative(0, PERFORMATIVE.begin, [ushort(0), uint(0), uint(2_048), uint(2_048)]));
      else if (frame.code === PERFORMATIVE.attach && !this.unitSent) void this.attack(firstString(frame) ?? 'link');
      else if (this.unitSent) this.read(frame.code, conditionsOf(frame));
    }
  }

  /** The client's link is attached: the sending end answers, then the unit, then the probe. */
  private async attack(name: string): Promise<void> {
    this.unitSent = true;
    const source = described(SECTION.source, list([str('inbox.fuzz')]));
    const target = described(SECTION.target, list([]));
    this.socket.write(performative(0, PERFORMATIVE.attach, [str(name), uint(0), bool(false), nul(), nul(), source, target, nul(), nul(), uint(0)]));
    await writeMetered(this.socket, this.unit.bytes, this.meter, () => this.done);
    if (this.unit.desync) {
      await writeMetered(this.socket, zeros(this.unit.cap), this.meter, () => this.done);
      // A socket destroyed under the writes was cut: its 'close' event is a tick behind.
      return this.finish(this.socket.destroyed ? { answer: 'closed', conditions: [...this.conditions] } : { answer: 'held' });
    }
    if (!this.done) this.socket.write(performative(0, PERFORMATIVE.transfer, [uint(0), uint(0), bin(Buffer.from('probe')), uint(0), bool(false), bool(false)], dataMessage(Buffer.from('probe'))));
  }

  /** A disposition is the probe settled (or a unit's delivery): the client read everything before it. */
  private read(code: number | undefined, conditions: string[]): void {
    this.conditions.push(...conditions);
    if (code === PERFORMATIVE.close || code === PERFORMATIVE.end || code === PERFORMATIVE.detach) return this.finish({ answer: 'closed', conditions: [...this.conditions] });
    if (code === PERFORMATIVE.disposition) return this.finish({ answer: 'alive', conditions: [...this.conditions] });
  }

  private finish(outcome: UnitOutcome): void {
    if (this.done) return;
    this.done = true;
    this.settle(outcome);
    this.socket.destroy();
  }
}
