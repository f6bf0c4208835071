import { OwnedResources } from './owned-resources.ts';
import type { Clock } from './ports/clock.ts';
import type { LinkConnectOptions, LinkListenOptions, LinkListener, LinkSession, Links } from './ports/links.ts';
import type { Supervise } from './owned-network.ts';

/**
 * The Links port as one actor incarnation sees it (the twin of `OwnedNetwork`): every listener
 * and session it hands out is recorded and closed when the incarnation ends, and the callbacks
 * it is given (new sessions, refusals) run supervised. What resolves after the end is closed at once.
 */
export class OwnedLinks implements Links {
  private readonly resources: OwnedResources;

  constructor(
    private readonly inner: Links,
    address: string,
    private readonly supervise: Supervise,
    /** The system's Clock port: the links' deadlines run on it unless a call names another. */
    private readonly clock?: Clock,
  ) {
    this.resources = new OwnedResources(address);
  }

  async listen(options: LinkListenOptions, onSession: (session: LinkSession) => void): Promise<LinkListener> {
    this.resources.assertOpen();
    const supervised = this.supervise(onSession);
    const onRefused = options.onRefused && this.supervise(options.onRefused);
    const listener = await this.inner.listen({ clock: this.clock, ...options, onRefused }, (session) => {
      if (this.resources.closed) return void session.close().catch(() => {});
      this.resources.track(session, session.closed);
      supervised(session);
    });
    return this.resources.own(listener);
  }

  async connect(options: LinkConnectOptions): Promise<LinkSession> {
    this.resources.assertOpen();
    const session = await this.resources.own(await this.inner.connect({ clock: this.clock, ...options }));
    this.resources.track(session, session.closed);
    return session;
  }

  /** Closes every session and listener; resolves when all are closed. */
  close(): Promise<void> {
    return this.resources.close();
  }
}
