import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { realClock, type Clock } from '../../../lib/ports/clock.ts';
import type { Network } from '../../../lib/ports/network.ts';
import { CLIENT_REPLY_TIMEOUT_MS } from '../limits.ts';
import { encodeFrame, FrameReader, type Frame, type Grant } from '../wire/frames.ts';
import { RelayRefusedError, RelayUnavailableError } from './errors.ts';
import type { PartyTls, RelayHint } from './relay-hint.ts';

/**
 * Dials the relay (its TLS port when `viaTls`, presenting `clientCert` if given), resolving with
 * the stream to write frames on. TLS to the relay must be up within `timeoutMs` on the Clock port,
 * and a connection that ends or closes first fails at once, whatever stream the Network port gave.
 */
export async function dialRelay(network: Network, relay: RelayHint, viaTls: boolean, clientCert?: PartyTls, clock: Clock = realClock, timeoutMs = CLIENT_REPLY_TIMEOUT_MS): Promise<Duplex> {
  const port = viaTls ? relay.tlsPort : relay.port;
  if (port === undefined) throw new RelayUnavailableError(`the hint names no ${viaTls ? 'TLS' : 'TCP'} port`);
  let connection;
  try {
    connection = await network.dial({ host: relay.host, port });
  } catch (error) {
    throw new RelayUnavailableError(`dial ${relay.host}:${port}: ${(error as Error).message}`, { cause: error });
  }
  const raw = connection.stream;
  (raw as Partial<{ setNoDelay(noDelay: boolean): void }>).setNoDelay?.(true);
  if (!viaTls) return raw;
  const outer = tls.connect({
    socket: raw,
    servername: relay.servername ?? relay.host,
    ...(relay.ca ? { ca: relay.ca } : {}),
    ...(clientCert ? { key: clientCert.key, cert: clientCert.cert } : {}),
    minVersion: 'TLSv1.2',
  });
  return new Promise((resolve, reject) => {
    const fail = (reason: string, cause?: unknown) => {
      timer.cancel();
      raw.off('end', ended).off('close', ended);
      outer.destroy();
      raw.destroy();
      reject(new RelayUnavailableError(`TLS to the relay: ${reason}`, cause === undefined ? undefined : { cause }));
    };
    const ended = () => fail('the relay closed the connection');
    const timer = clock.setTimer(timeoutMs, () => fail(`not up within ${timeoutMs} ms`));
    raw.once('end', ended).once('close', ended);
    const failed = (error: Error) => fail(error.message, error);
    outer.once('secureConnect', () => {
      timer.cancel();
      raw.off('end', ended).off('close', ended);
      outer.off('error', failed);
      resolve(outer);
    });
    outer.once('error', failed);
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
      stream.off('end', onClose);
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
    // The end of the stream before the frame is as good as a close (a stream that is not a socket may never close by itself).
    stream.once('end', onClose);
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
