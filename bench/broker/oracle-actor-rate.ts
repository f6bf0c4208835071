/**
 * The airlock side of the Oracle figure: the Oracle actor (keyholder/oracle) asked `register` for
 * each sealed registration, with a Matcher stub at core/matcher that answers every offer at once,
 * so the figure is the Oracle's open + validate + sign plus airlock's messaging around it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { child, defineActor, defineTopology, run, supervisor } from '../../index.ts';
import { MatcherProtocol, OracleProtocol, oracleActor, publicKeyPath, secretKeyPath } from '../../actors/split-broker/index.ts';
import type { OracleKeys } from '../../actors/split-broker/oracle/index.ts';

/** Asks in flight at once: enough to keep the Oracle's mailbox from running dry. */
const WINDOW = 64;

const instantMatcher = defineActor({
  protocol: MatcherProtocol,
  setup: () => ({
    proxyPoll: () => ({ status: 'no match' as const }),
    withdrawPoll: () => {},
    clientOffer: () => ({ answer: 'sdp answer' }),
    answer: () => 'client gone' as const,
  }),
});

export interface OracleActorBench {
  /** Registrations the Oracle actor opened, validated and answered (signed) per second. */
  rate(sealed: Uint8Array[]): Promise<number>;
  stop(): Promise<void>;
}

/** Writes `keys` to a temporary key directory and runs the Oracle beside the stub Matcher. */
export function startOracleActor(keys: OracleKeys): OracleActorBench {
  const root = mkdtempSync(join(tmpdir(), 'airlock-bench-oracle-'));
  const keyDir = join(root, 'oracle');
  mkdirSync(keyDir, { mode: 0o700 });
  keys.write(secretKeyPath(keyDir), publicKeyPath(keyDir));
  const running = run(
    defineTopology('oracle-bench', {
      keyholder: supervisor({ children: [child('oracle', oracleActor, { config: { keyDir, matcher: 'core/matcher' } })] }),
      core: supervisor({ children: [child('matcher', instantMatcher)] }),
    }),
  );
  const oracle = running.ref('keyholder/oracle', OracleProtocol);
  return {
    async rate(sealed) {
      const started = performance.now();
      let next = 0;
      const worker = async () => {
        while (next < sealed.length) {
          const reply = await oracle.ask('register', { version: '2.0', sealed: sealed[next++]! });
          if (reply.answer === undefined) throw new Error(`the Oracle refused a fresh registration: ${reply.error}`);
        }
      };
      await Promise.all(Array.from({ length: WINDOW }, worker));
      return sealed.length / ((performance.now() - started) / 1000);
    },
    async stop() {
      await running.stop({ drainTimeoutMs: 0 });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
