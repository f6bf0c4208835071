import { ActorStoppedError } from './errors.ts';
import type { LinkConnectOptions, LinkListenOptions, LinkListener, LinkSession, Links } from './ports/links.ts';
import type { Supervise } from './owned-network.ts';

/** Anything closable these links handed out. */
interface Closable {
  close(): Promise<void>;
}

/**
 * The Links port as one actor incarnation sees it (the twin of `OwnedNetwork`): every listener
 * and session it hands out is recorded and closed when the incarnation ends, and the callbacks
 * it is given (new sessions, refusals) run supervised. What resolves after the end is closed at once.
 */
export class OwnedLinks implements Links {
  private readonly resources = new Set<Closable>();
  private closed = false;

  constructor(
    private readonly inner: Links,
    private readonly address: string,
    private readonly supervise: Supervise,
  ) {}

  async listen(options: LinkListenOptions, onSession: (session: LinkSession) => void): Promise<LinkListener> {
    if (this.closed) throw new ActorStoppedError(this.address);
    const supervised = this.supervise(onSession);
    const onRefused = options.onRefused && this.supervise(options.onRefused);
    const listener = await this.inner.listen({ ...options, onRefused }, (session) => {
      if (this.closed) return void session.close().catch(() => {});
      this.track(session);
      supervised(session);
    });
    return this.own(listener);
  }

  async connect(options: LinkConnectOptions): Promise<LinkSession> {
    if (this.closed) throw new ActorStoppedError(this.address);
    const session = await this.inner.connect(options);
    if (this.closed) {
      await session.close().catch(() => {});
      throw new ActorStoppedError(this.address);
    }
    this.track(session);
    return session;
  }

  /** Closes every session, then every listener; resolves when all are closed. */
  close(): Promise<void> {
    this.closed = true;
    const closing = [...this.resources].map((resource) => resource.close().catch(() => {}));
    this.resources.clear();
    return Promise.all(closing).then(() => {});
  }

  /** A session is forgotten once it ended, so a long-lived listener does not pile them up. */
  private track(session: LinkSession): void {
    this.resources.add(session);
    void session.closed.then(() => this.resources.delete(session));
  }

  private async own<R extends Closable>(resource: R): Promise<R> {
    if (this.closed) {
      await resource.close().catch(() => {});
      throw new ActorStoppedError(this.address);
    }
    this.resources.add(resource);
    return resource;
  }
}
