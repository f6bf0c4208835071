/**
 * Snowflake's relay-name patterns (its `common/namematcher`): `^name$` is one exact host name,
 * `name$` any host name ending in `name`. A proxy's AcceptedRelayPattern must cover the
 * broker's pattern, or the broker would hand it clients for relays it refuses to reach.
 */
export class RelayPattern {
  readonly exact: boolean;
  readonly suffix: string;

  constructor(rule: string) {
    const trimmed = rule.endsWith('$') ? rule.slice(0, -1) : rule;
    this.exact = trimmed.startsWith('^');
    this.suffix = this.exact ? trimmed.slice(1) : trimmed;
  }

  /** True when every host name `other` admits, this pattern admits too. */
  isSupersetOf(other: RelayPattern): boolean {
    if (this.exact) return other.exact && this.suffix === other.suffix;
    return other.suffix.endsWith(this.suffix);
  }

  isMember(host: string): boolean {
    return this.exact ? host === this.suffix : host.endsWith(this.suffix);
  }
}
