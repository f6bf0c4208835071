import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Clock } from '../../../lib/ports/clock.ts';
import type { Network } from '../../../lib/ports/network.ts';
import { CLIENT_REPLY_TIMEOUT_MS } from '../limits.ts';
import { encodeFrame, FrameReader, type Frame, type Grant } from '../wire/frames.ts';
import { RelayRefusedError, RelayUnavailableError } from './errors.ts';
import type { PartyTls, RelayHint } from './relay-hint.ts';

/** Dials the relay (its TLS port when `viaTls`, presenting `clientCert` if given), resolving with the stream to write frames on. */
export async function dialRelay(network: Network, relay: RelayHint, viaTls: boolean, clientCert?: PartyTls): Promise<Duplex> {
  const port = viaTls ? relay.tlsPort : relay.port;
  if (port === undefined) throw new RelayUnavailableError(`the hint names no ${viaTls ? 'TLS' : 'TCP'} port`);
  let connection;
  try {
    connection = await network.dial({ host: relay.host, port });
  } catch (error) {
    throw new RelayUnavailableError(`dial ${relay.host}:${port}: ${(error as Error).message}`, { cause: error });
  }
  (connection.stream as Partial<{ setNoDelay(noDelay: boolean): void }>).setNoDelay?.(true);
  if (!viaTls) return connection.stream;
  const outer = tls.connect({
    socket: connection.stream,
    servername: relay.servername ?? relay.host,
    ...(relay.ca ? { ca: relay.ca } : {}),
    ...(clientCert ? { key: clientCert.key, cert: clientCert.cert } : {}),
    minVersion: 'TLSv1.2',
  });
  return new Promise((resolve, reject) => {
    outer.once('secureConnect', () => {
      outer.off('error', reject);
      resolve(outer);
    });
    outer.once('error', (error) => {
      connection.stream.destroy();
      reject(new RelayUnavailableError(`TLS to the relay: ${error.message}`, { cause: error }));
    });
  });
}

/**
 * Reads one frame off `stream`: the listener comes off, the stream is paused and whatever came
 * after the frame is put back, so the next reader (TLS) starts at the right byte.
 */
export function readFrame(stream: Duplex, clock: Clock, timeoutMs = CLIENT_REPLY_TIMEOUT_MS): Promise<Frame> {
  return new Promise((resolve, reject) => {
    const reader = new FrameReader();
    const done = () => {
      timer.cancel();
      stream.off('data', onData);
      stream.off('close', onClose);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      reader.append(chunk);
      let frame;
      try {
        frame = reader.next();
      } catch (error) {
        done();
        stream.destroy();
        return reject(new RelayUnavailableError(`the relay sent ${(error as Error).message}`, { cause: error }));
      }
      if (!frame) return;
      done();
      stream.pause();
      const rest = reader.rest();
      if (rest.length > 0) stream.unshift(rest);
      resolve(frame);
    };
    const onClose = () => {
      done();
      reject(new RelayUnavailableError('the relay closed the connection'));
    };
    const onError = (error: Error) => {
      done();
      reject(new RelayUnavailableError(error.message, { cause: error }));
    };
    const timer = clock.setTimer(timeoutMs, () => {
      done();
      stream.destroy();
      reject(new RelayUnavailableError(`no answer within ${timeoutMs} ms`));
    });
    stream.on('data', onData);
    stream.once('close', onClose);
    stream.once('error', onError);
    stream.resume();
  });
}

/** Sends `request` and reads the relay's STATUS: the grant on OK, else `RelayRefusedError` with the code. */
export async function request(stream: Duplex, frame: Frame, operation: 'reserve' | 'connect' | 'accept', clock: Clock, timeoutMs?: number): Promise<Grant> {
  stream.write(encodeFrame(frame));
  const reply = await readFrame(stream, clock, timeoutMs);
  if (reply.type !== 'STATUS') {
    stream.destroy();
    throw new RelayUnavailableError(`expected STATUS, got ${reply.type}`);
  }
  if (reply.status !== 'OK') {
    stream.destroy();
    throw new RelayRefusedError(reply.status, operation);
  }
  return reply.grant!;
}
