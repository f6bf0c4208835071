import type { Clock } from '../../../lib/ports/clock.ts';
import type { HostPort, Network } from '../../../lib/ports/network.ts';
import { DnsTcpFrames, frameDnsMessage } from '../wire/dns-tcp-frames.ts';
import { BrokerRequestError } from './errors.ts';

/** A DNS message over TCP holds at most 65,535 bytes (its 2-byte length prefix). */
const MAX_TCP_MESSAGE = 65_535;

/**
 * Asks `query` once over TCP (RFC 7766), as a resolver does when the UDP reply came truncated
 * (TC): resolves with the first reply whose id is `id`, rejects with `BrokerRequestError`
 * (network, or timeout at `deadline` on `clock`).
 */
export async function queryOverTcp(network: Network, server: HostPort, query: Uint8Array, id: number, clock: Clock, deadline: number, where: string): Promise<Uint8Array> {
  const connection = await network.dial(server).catch((cause: unknown) => {
    throw new BrokerRequestError(where, 'network', 'TCP connection failed', { cause });
  });
  const { stream } = connection;
  return new Promise<Uint8Array>((resolve, reject) => {
    const frames = new DnsTcpFrames(MAX_TCP_MESSAGE);
    const end = (outcome: () => void) => {
      expiry.cancel();
      stream.destroy();
      outcome();
    };
    const expiry = clock.setTimer(Math.max(0, deadline - clock.now()), () => end(() => reject(new BrokerRequestError(where, 'timeout', 'no answer over TCP before the deadline'))));
    stream.on('data', (chunk: Uint8Array) => {
      const replies = frames.push(chunk);
      const reply = replies === 'oversized' ? undefined : replies.find((message) => message.length >= 2 && ((message[0]! << 8) | message[1]!) === id);
      if (reply) end(() => resolve(reply));
    });
    stream.on('error', (cause: Error) => end(() => reject(new BrokerRequestError(where, 'network', 'TCP connection failed', { cause }))));
    stream.on('close', () => end(() => reject(new BrokerRequestError(where, 'network', 'TCP connection closed before the answer'))));
    stream.write(frameDnsMessage(query));
  });
}
