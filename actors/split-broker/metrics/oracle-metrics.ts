import { counter, Registry } from '../../ops/index.ts';
import type { Refusal } from '../oracle/protocol.ts';

/** The Oracle's figures, on the node's registry (a private one when the node gives none). */
export class OracleMetrics {
  private readonly rejections;
  private readonly registrations;

  constructor(registry: Registry = new Registry()) {
    this.rejections = counter(registry, 'snowflake_oracle_rejections_total', 'Registrations the Oracle refused, by reason', ['reason']);
    this.registrations = counter(registry, 'snowflake_oracle_registrations_total', 'Registrations the Oracle passed to the Matcher, by version', ['version']);
  }

  rejection(reason: Refusal): void {
    this.rejections.inc({ reason });
  }

  registration(version: '1.0' | '2.0'): void {
    this.registrations.inc({ version });
  }
}
