import { z } from 'zod';
import { defineActor } from '../../../lib/actor.ts';
import { address } from '../../../lib/address.ts';
import { AskTimeoutError } from '../../../lib/errors.ts';
import { MatcherProtocol } from '../matcher/protocol.ts';
import { MetricsRegistry } from '../../ops/index.ts';
import { OracleMetrics } from '../metrics/oracle-metrics.ts';
import { decodeClientPollRequest, SnowflakeMessageError, type ClientPollRequest } from '../wire/index.ts';
import { DEFAULT_FRESHNESS_WINDOW_S, DEFAULT_NONCE_CAPACITY, HOP_DELIVERY, ORACLE_ASK_TIMEOUT_MS, STR_BROKER_UNAVAILABLE, STR_TIMED_OUT, STR_UNSUPPORTED_VERSION } from '../limits.ts';
import { RegistrationRejectedError } from './errors.ts';
import { secretKeyPath } from './key-dir.ts';
import { OracleKeys } from './keys.ts';
import { RegistrationOpener } from './open-registration.ts';
import { OracleProtocol, type RegisterReply, type Refusal } from './protocol.ts';
import { signedResponse } from './sign-answer.ts';

/** Snowflake's error string for a Matcher that did not answer. */
const unreachable = (error: unknown) => ({ error: error instanceof AskTimeoutError ? STR_TIMED_OUT : STR_BROKER_UNAVAILABLE });

export const OracleConfig = z.strictObject({
  /** Where `airlock keygen --out <dir>` wrote `oracle.key` (owner-only) and `oracle.pub`. */
  keyDir: z.string().min(1),
  /** The Matcher's address: the topology decides. */
  matcher: z.string().default('core/matcher').transform((text) => address(text)),
  /** Today's Tor clients send 1.0 plaintext; `false` refuses it. */
  allowPlaintext: z.boolean().default(true),
  freshnessWindowS: z.number().int().positive().default(DEFAULT_FRESHNESS_WINDOW_S),
  /** Fresh registrations per freshness window the replay memory is sized for (false refusals ≤ 1e-6 up to it; never a lock-out past it). */
  nonceCapacity: z.number().int().positive().default(DEFAULT_NONCE_CAPACITY),
  /** Longer than the Matcher's own client wait, so the Matcher's "timed out" arrives first. */
  matcherTimeoutMs: z.number().int().positive().default(ORACLE_ASK_TIMEOUT_MS),
  metrics: MetricsRegistry.optional(),
});

/**
 * The key holder (keyholder zone): the only actor with the X25519 and Ed25519 secrets, loaded
 * from owner-only files into secure memory at setup (a loose file fails the start: its
 * supervisor decides) and zeroed when the incarnation ends. It opens each sealed registration,
 * refuses forged, stale, replayed or invalid ones, passes the plaintext to the Matcher and signs
 * the answer or error going back. 1.0 bodies are validated and passed on, unsigned.
 */
export const oracleActor = defineActor({
  protocol: OracleProtocol,
  config: OracleConfig,
  async setup(ctx) {
    const config = ctx.config;
    const keys = OracleKeys.load(secretKeyPath(config.keyDir));
    ctx.onStop(() => keys.dispose());
    const opener = new RegistrationOpener({ keys, clock: ctx.clock, freshnessWindowS: config.freshnessWindowS, nonceCapacity: config.nonceCapacity });
    const matcher = ctx.ref(config.matcher, MatcherProtocol);
    const metrics = new OracleMetrics(config.metrics);

    const refuse = (reason: Refusal, error: string, nonce?: string): RegisterReply => {
      metrics.rejection(reason);
      const response = { error };
      return { ...(nonce !== undefined && !keys.isDisposed ? signedResponse(keys, nonce, response) : response), refused: reason };
    };

    /** Asks the Matcher; every wait ends in its answer or one of Snowflake's error strings. */
    const match = (request: ClientPollRequest): Promise<{ answer: string } | { error: string }> =>
      matcher
        .ask('clientOffer', { offer: request.offer, nat: request.nat, fingerprint: request.fingerprint }, { timeoutMs: config.matcherTimeoutMs, delivery: HOP_DELIVERY })
        .catch(unreachable);

    const sealed = (bytes: Uint8Array) => {
      let registration;
      try {
        registration = opener.open(bytes);
      } catch (error) {
        if (!(error instanceof RegistrationRejectedError)) throw error;
        return refuse(error.reason, `registration refused: ${error.reason}`, error.nonce);
      }
      metrics.registration('2.0');
      // Keys disposed meanwhile (the incarnation ended): nothing can be signed, and an unsigned answer would be refused anyway.
      return ctx.replyLater(match(registration).then((result) => (keys.isDisposed ? { error: STR_BROKER_UNAVAILABLE } : signedResponse(keys, registration.nonce, result))));
    };

    const plain = (body: string) => {
      if (!config.allowPlaintext) return refuse('plaintext-disabled', STR_UNSUPPORTED_VERSION);
      let request;
      try {
        request = decodeClientPollRequest(body);
      } catch (error) {
        if (!(error instanceof SnowflakeMessageError)) throw error;
        return refuse('invalid', error.reason);
      }
      metrics.registration('1.0');
      return ctx.replyLater(match(request));
    };

    return {
      // A reply left to the Matcher's answer (`replyLater`) leaves the mailbox free meanwhile.
      register: (request) => (request.version === '2.0' ? sealed(request.sealed) : plain(request.body)),
    };
  },
});
