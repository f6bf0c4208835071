/**
 * Runs Tor's real `snowflake-proxy` (Debian's package, 2.5.1) as a child process against a broker
 * on loopback, and reads its log. There is no network here: the STUN server given is a closed
 * local port, so its NAT probe fails and it reports NAT "unknown". The proxy is always killed
 * by `stop()`, and by this process's exit should a spec forget.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';

export const SNOWFLAKE_PROXY = process.env.SNOWFLAKE_PROXY ?? '/usr/bin/snowflake-proxy';

/** One line of its log: Go's `log` prefix `YYYY/MM/DD HH:MM:SS ` then the message. */
export interface ProxyLogLine {
  time: string;
  message: string;
}

export interface SnowflakeProxyOptions {
  /** The broker's base URL, e.g. `http://127.0.0.1:8080/`. */
  brokerUrl: string;
  /** The relay it would connect clients to; ws:// is allowed (`-allow-non-tls-relay`). */
  relayUrl: string;
  /** Its `-allowed-relay-hostname-pattern`, sent as AcceptedRelayPattern; default `^127.0.0.1$`. */
  relayPattern?: string;
}

export interface RunningSnowflakeProxy {
  readonly process: ChildProcess;
  readonly lines: ProxyLogLine[];
  /** Resolves with the first line (already logged or to come) whose message matches, or rejects after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<ProxyLogLine>;
  stop(): Promise<void>;
}

/** Fails with what to do when the binary is missing, instead of a spawn error. */
export function requireSnowflakeProxy(): string {
  const probe = spawnSync(SNOWFLAKE_PROXY, ['-version'], { encoding: 'utf8' });
  if (probe.error) throw new Error(`${SNOWFLAKE_PROXY} is missing (apt-get install snowflake-proxy): ${probe.error.message}`);
  return `${probe.stdout}${probe.stderr}`.trim();
}

export function parseLogLine(line: string): ProxyLogLine {
  const prefix = /^(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d) (.*)$/.exec(line);
  return prefix ? { time: prefix[1]!, message: prefix[2]! } : { time: '', message: line };
}

/** A UDP port with nothing bound to it, for the STUN server the proxy will fail to reach. */
async function closedUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export async function startSnowflakeProxy(options: SnowflakeProxyOptions): Promise<RunningSnowflakeProxy> {
  const args = [
    '-broker', options.brokerUrl,
    '-unsafe-logging', '-verbose',
    '-relay', options.relayUrl, '-allow-non-tls-relay',
    '-allowed-relay-hostname-pattern', options.relayPattern ?? '^127.0.0.1$',
    '-stun', `stun:127.0.0.1:${await closedUdpPort()}`,
  ];
  const child = spawn(SNOWFLAKE_PROXY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const lines: ProxyLogLine[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: ProxyLogLine) => void }>();
  let partial = '';
  const onOutput = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop()!;
    for (const raw of complete) {
      const line = parseLogLine(raw);
      lines.push(line);
      for (const waiter of waiters) if (waiter.pattern.test(line.message)) waiter.resolve(line);
    }
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    process: child,
    lines,
    waitForLine(pattern, timeoutMs) {
      const seen = lines.find((line) => pattern.test(line.message));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          pattern,
          resolve: (line: ProxyLogLine) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`snowflake-proxy logged no line matching ${pattern} within ${timeoutMs} ms; its log:\n${lines.map((l) => l.message).join('\n')}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
