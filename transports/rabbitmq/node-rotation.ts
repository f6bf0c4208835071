/**
 * Which broker node to dial next. amqplib takes one URL and has no failover; its maintainers
 * advise cycling through the cluster's nodes, which is this: the current node until it fails (a
 * refused dial or a lost connection), then the next one in the list, round-robin. The backoff
 * before a dial grows with the rounds of the list that failed, not with each node: with one node
 * down of three, the next live node is dialled after the first, shortest delay.
 */
export class NodeRotation {
  private index = 0;
  private failures = 0;

  constructor(readonly urls: readonly string[]) {}

  /** The node to dial now. */
  get url(): string {
    return this.urls[this.index]!;
  }

  /** The current node failed: move to the next; returns the retry number for the backoff (0 in the first round). */
  failed(): number {
    this.index = (this.index + 1) % this.urls.length;
    return Math.floor(this.failures++ / this.urls.length);
  }

  /** A connection is up: the next failure starts a fresh round. */
  connected(): void {
    this.failures = 0;
  }
}
