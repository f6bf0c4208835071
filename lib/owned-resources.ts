import { ActorStoppedError } from './errors.ts';

/** Anything an incarnation obtained that must be closed when it ends. */
export interface Closable {
  close(): Promise<void>;
}

/**
 * What one actor incarnation holds from a port (listeners, sockets, sessions): recorded as it is
 * handed out and closed together when the incarnation ends. A resource that arrives after the end
 * (a listen still pending then) is closed at once and refused. `OwnedNetwork` and `OwnedLinks`
 * share it, so both ports follow one ownership rule.
 */
export class OwnedResources {
  private readonly resources = new Set<Closable>();
  private ended = false;

  constructor(private readonly address: string) {}

  get closed(): boolean {
    return this.ended;
  }

  /** Refuses at once once the incarnation ended (before dialling or listening at all). */
  assertOpen(): void {
    if (this.ended) throw new ActorStoppedError(this.address);
  }

  /** Records a resource; one that arrives after the end is closed and refused. */
  async own<R extends Closable>(resource: R): Promise<R> {
    if (this.ended) {
      await resource.close().catch(() => {});
      throw new ActorStoppedError(this.address);
    }
    // Closing it twice (the actor first, the end of the incarnation again) is harmless.
    this.resources.add(resource);
    return resource;
  }

  /** Records a resource until `ended` settles, so long-lived owners do not pile up dead ones. */
  track(resource: Closable, ended: Promise<unknown>): void {
    this.resources.add(resource);
    void ended.then(() => this.resources.delete(resource));
  }

  /** Closes everything recorded; resolves when all are closed (a failing close is ignored). */
  close(): Promise<void> {
    this.ended = true;
    const closing = [...this.resources].map((resource) => resource.close().catch(() => {}));
    this.resources.clear();
    return Promise.all(closing).then(() => {});
  }
}
