import { Duplex } from 'node:stream';
import {
  NetworkUnreachableError,
  type Connection,
  type DatagramSocket,
  type HostPort,
  type Listener,
  type Network,
} from '../../lib/index.ts';
import type { FaultDice } from './faults.ts';
import type { SimScheduler } from './scheduler.ts';
import type { Trace } from './trace.ts';

/** How a hop may fail: `lossy` hops (datagrams, broker frames) can be dropped and reordered. */
export interface HopOptions {
  lossy: boolean;
  /** Named in the trace when the hop is dropped. */
  what: string;
}

/** One direction between two hosts: hops queued in order, unless a reorder fault lets one overtake. */
interface Link {
  lastArrival: number;
  queue: (() => void)[];
}

/** How long a reliable stream waits before retrying a hop a partition blocked (TCP retransmission). */
const RETRANSMIT_MS = 50;

/**
 * The simulated network between named hosts: partitions, per-link FIFO order, seeded delays,
 * drops and reorderings; plus the `Network` port each host's system gets (listen, dial, streams,
 * datagrams), so actors that speak over sockets run unchanged.
 */
export class SimNetwork {
  private readonly links = new Map<string, Link>();
  /** Reliable hops a partition held back, per link (`from>to`), in the order they were sent. */
  private readonly backlog = new Map<string, (() => void)[]>();
  private cut: [Set<string>, Set<string>] | undefined;
  private readonly listeners = new Map<string, (connection: Connection) => void>();
  private readonly datagrams = new Map<string, (bytes: Uint8Array, from: HostPort) => void>();
  private nextPort = 40_000;
  /** Open simulated streams; Node streams need full macrotask turns to flow. */
  openStreams = 0;

  constructor(
    private readonly scheduler: SimScheduler,
    private readonly dice: FaultDice,
    private readonly trace: Trace,
  ) {}

  partition(left: readonly string[], right: readonly string[]): void {
    this.cut = [new Set(left), new Set(right)];
    this.trace.record('fault', `partition [${left.join(',')}] | [${right.join(',')}]`);
  }

  heal(): void {
    if (!this.cut) return;
    this.cut = undefined;
    this.trace.record('fault', 'heal');
  }

  reachable(a: string, b: string): boolean {
    if (!this.cut || a === b) return true;
    const [left, right] = this.cut;
    return !((left.has(a) && right.has(b)) || (right.has(a) && left.has(b)));
  }

  /**
   * Carries one hop from `from` to `to`; `arrive` runs at the far end after the seeded delay.
   * Lost when a partition separates the hosts or (lossy hops only) when the dice say so.
   */
  hop(from: string, to: string, options: HopOptions, arrive: () => void): void {
    if (!this.reachable(from, to)) return this.trace.record('drop', `partitioned ${from}->${to} ${options.what}`);
    if (options.lossy && this.dice.drop()) return this.trace.record('drop', `${from}->${to} ${options.what}`);
    const delay = this.dice.delay();
    if (options.lossy && this.dice.reorder()) {
      this.trace.record('reorder', `${from}->${to} ${options.what} +${delay}ms`);
      this.scheduler.setTimer(delay, arrive);
      return;
    }
    const key = `${from}>${to}`;
    let link = this.links.get(key);
    if (!link) this.links.set(key, (link = { lastArrival: 0, queue: [] }));
    const arrival = Math.max(this.scheduler.now() + delay, link.lastArrival);
    link.lastArrival = arrival;
    link.queue.push(arrive);
    // Every event of this link pops the head, so ties at one instant cannot reorder the link.
    const carried = link;
    this.scheduler.setTimer(arrival - this.scheduler.now(), () => carried.queue.shift()?.());
  }

  /**
   * A reliable hop: held back while a partition lasts, then delivered in order (like TCP). What is
   * sent while earlier hops of the link are held back queues behind them, even once the partition
   * healed, so no chunk (nor a stream's end) overtakes one sent before it.
   */
  private reliableHop(from: string, to: string, arrive: () => void): void {
    const key = `${from}>${to}`;
    const held = this.backlog.get(key);
    if (held) return void held.push(arrive);
    if (this.reachable(from, to)) return this.hop(from, to, { lossy: false, what: 'stream' }, arrive);
    this.backlog.set(key, [arrive]);
    this.scheduler.setTimer(RETRANSMIT_MS, () => this.retransmit(from, to));
  }

  /** Sends a link's held-back hops, in order, once the partition is gone; else waits again. */
  private retransmit(from: string, to: string): void {
    if (!this.reachable(from, to)) return void this.scheduler.setTimer(RETRANSMIT_MS, () => this.retransmit(from, to));
    const key = `${from}>${to}`;
    const held = this.backlog.get(key) ?? [];
    this.backlog.delete(key);
    for (const arrive of held) this.hop(from, to, { lossy: false, what: 'stream' }, arrive);
  }

  /** The `Network` port of one host. */
  portFor(host: string): Network {
    return {
      listen: async (at, onConnection) => this.listen(host, at, onConnection),
      dial: async (to) => this.dial(host, to),
      bindDatagram: async (at, onDatagram) => this.bindDatagram(host, at, onDatagram),
    };
  }

  private bind(host: string, at: HostPort): HostPort {
    return { host, port: at.port === 0 ? this.nextPort++ : at.port };
  }

  private listen(host: string, at: HostPort, onConnection: (connection: Connection) => void): Listener {
    const address = this.bind(host, at);
    const key = `${address.host}:${address.port}`;
    this.listeners.set(key, onConnection);
    this.trace.record('net', `listen ${key}`);
    return { address, close: async () => void this.listeners.delete(key) };
  }

  private dial(host: string, to: HostPort): Connection {
    const key = `${to.host}:${to.port}`;
    const onConnection = this.listeners.get(key);
    if (!onConnection || !this.reachable(host, to.host)) {
      this.trace.record('net', `dial-refused ${host}->${key}`);
      throw new NetworkUnreachableError(host, key);
    }
    const local = this.bind(host, { host, port: 0 });
    const [near, far] = this.streamPair(host, to.host);
    this.trace.record('net', `connect ${local.host}:${local.port}->${key}`);
    this.reliableHop(host, to.host, () => onConnection({ stream: far, remote: local }));
    return { stream: near, remote: { host: to.host, port: to.port } };
  }

  /** Two connected ends: what one writes arrives at the other after the link's delay. */
  private streamPair(a: string, b: string): [Duplex, Duplex] {
    const ends: Duplex[] = [];
    const make = (self: string, peer: string, peerIndex: number): Duplex =>
      new Duplex({
        read() {},
        write: (chunk: Buffer, _encoding, done) => {
          this.reliableHop(self, peer, () => ends[peerIndex].push(chunk));
          done();
        },
        final: (done) => {
          this.reliableHop(self, peer, () => ends[peerIndex].push(null));
          done();
        },
        // A destroyed end is a reset connection: the peer reads the end of its stream.
        destroy: (error, done) => {
          this.reliableHop(self, peer, () => ends[peerIndex].push(null));
          done(error);
        },
      });
    ends.push(make(a, b, 1), make(b, a, 0));
    this.openStreams++;
    let closed = 0;
    for (const end of ends) end.once('close', () => (++closed === 2 ? this.openStreams-- : undefined));
    return [ends[0], ends[1]];
  }

  private bindDatagram(host: string, at: HostPort, onDatagram: (bytes: Uint8Array, from: HostPort) => void): DatagramSocket {
    const address = this.bind(host, at);
    const key = `${address.host}:${address.port}`;
    this.datagrams.set(key, onDatagram);
    return {
      address,
      send: async (bytes, to) => {
        const target = `${to.host}:${to.port}`;
        const copies = this.dice.duplicate() ? 2 : 1;
        for (let copy = 0; copy < copies; copy++) {
          this.hop(host, to.host, { lossy: true, what: `datagram ${key}->${target}` }, () =>
            this.datagrams.get(target)?.(bytes, address),
          );
        }
      },
      close: async () => void this.datagrams.delete(key),
    };
  }
}
