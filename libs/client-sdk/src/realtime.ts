import { io, Socket } from 'socket.io-client';
import { ApiError } from './errors';
import { EventHandler, EventMap, EventName, SERVER_EVENT_NAMES } from './events';
import type { Http } from './http';
import type { SessionManager } from './session';
import type { InboxPage } from './types';

/** When a refused handshake names no Retry-After. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * `client.events`: the socket.io connection, typed. Every (re)connect authenticates with a
 * fresh access token and is followed by an `inbox` catch-up from REST, because events
 * missed while offline are not replayed (API.md: events are hints, REST is the truth).
 */
export class EphemeraEvents {
  private socket: Socket | null = null;
  private readonly handlers = new Map<EventName, Set<(payload: never) => void>>();
  /** The access token the last handshake carried. */
  private handshakeToken: string | undefined;
  /** A refused handshake gets one refresh and retry; reset by a successful connect. */
  private retriedRefusal = false;
  /** The next handshake after the server said it could not check the token for now. */
  private retryTimer?: ReturnType<typeof setTimeout>;
  /** Why the last handshake went without a token: a refresh that failed without ending the session. */
  private tokenFailure: unknown;

  constructor(
    private readonly http: Http,
    private readonly session: SessionManager,
  ) {
    session.subscribe((current) => {
      if (!current) this.disconnect();
    });
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** Connects (socket.io reconnects by itself after network drops). */
  connect(): void {
    if (this.socket) {
      if (!this.socket.active) this.socket.connect();
      return;
    }
    const socket = io(this.http.baseUrl, {
      path: '/socket.io',
      autoConnect: false,
      transports: ['websocket'],
      auth: (callback) => {
        // A function, so every reconnect takes a fresh (refreshed if need be) token.
        this.session.accessToken().then(
          (token) => {
            this.tokenFailure = undefined;
            this.handshakeToken = token;
            callback({ token });
          },
          (error: unknown) => {
            this.tokenFailure = error;
            this.emit('error', error);
            callback({});
          },
        );
      },
    });
    this.socket = socket;
    for (const name of SERVER_EVENT_NAMES) {
      socket.on(name, (payload: EventMap[typeof name]) => this.emit(name, payload));
    }
    socket.on('connect', () => {
      this.retriedRefusal = false;
      this.emit('connected', undefined);
      void this.catchUp();
    });
    socket.on('disconnect', (reason) => {
      this.emit('disconnected', { reason });
      // The server closes a socket when its access token expires (or its session ends);
      // socket.io does not come back from that by itself. Reconnecting takes a fresh token,
      // and a session that has ended is refused at the handshake.
      if (reason === 'io server disconnect' && this.socket === socket && this.session.session) socket.connect();
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string; retryAfter?: number } }) => {
      // socket.io retries network failures by itself, but not a handshake the server refused.
      if (socket.active) return;
      const wait = this.waitBeforeRetry(error);
      if (wait) {
        // Come back after Retry-After, spread out (up to twice as long) so that every client of a
        // recovering server does not return at once.
        const inMs = Math.round((wait.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS) * (1 + Math.random()) * 1000);
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.socket === socket && socket.connect(), inMs);
        this.emit('retrying', { code: wait.code, inMs });
        return;
      }
      // A bad or expired token: one refresh, then one retry.
      if (error.message !== 'UNAUTHENTICATED') return;
      if (this.retriedRefusal || !this.session.session) {
        this.emit('error', new ApiError({ status: 401, code: 'UNAUTHENTICATED', message: 'The socket was refused.' }));
        return;
      }
      this.retriedRefusal = true;
      this.session.refresh(this.handshakeToken).then(
        () => socket.connect(),
        (refreshError: unknown) => this.emit('error', refreshError),
      );
    });
    socket.connect();
  }

  /**
   * Whether a refused handshake is worth another try by itself, and when: the server could not
   * check the token for now, or no token could be had for it (its refresh got no answer, a 5xx
   * or a 429) while the session lives on.
   */
  private waitBeforeRetry(
    error: Error & { data?: { retryAfter?: number } },
  ): { code: string; retryAfter?: number } | null {
    if (this.tokenFailure !== undefined && this.session.session !== null) {
      const failure = this.tokenFailure;
      return failure instanceof ApiError
        ? { code: failure.code, retryAfter: failure.retryAfter }
        : { code: 'UNREACHABLE' };
    }
    if (error.message === 'SERVICE_UNAVAILABLE' || error.message === 'INTERNAL') {
      return { code: error.message, retryAfter: error.data?.retryAfter };
    }
    return null;
  }

  disconnect(): void {
    const socket = this.socket;
    this.socket = null;
    clearTimeout(this.retryTimer);
    // A connected socket reports `disconnected` through its own 'disconnect' event.
    socket?.disconnect();
    socket?.removeAllListeners();
  }

  /** Subscribes; answers a function that unsubscribes. */
  on<E extends EventName>(event: E, handler: EventHandler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler as (payload: never) => void);
    return () => this.off(event, handler);
  }

  off<E extends EventName>(event: E, handler: EventHandler<E>): void {
    this.handlers.get(event)?.delete(handler as (payload: never) => void);
  }

  /** Resolves with the next `event` whose payload matches. */
  once<E extends EventName>(event: E, match: (payload: EventMap[E]) => boolean = () => true): Promise<EventMap[E]> {
    return new Promise((resolve) => {
      const off = this.on(event, (payload) => {
        if (!match(payload)) return;
        off();
        resolve(payload);
      });
    });
  }

  private emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      try {
        (handler as EventHandler<E>)(payload);
      } catch (error) {
        if (event !== 'error') this.emit('error', error);
      }
    }
  }

  private async catchUp(): Promise<void> {
    try {
      const page = await this.http.request<InboxPage>('GET', '/v1/snaps/inbox', { query: { limit: 100 } });
      this.emit('inbox', page.items);
    } catch (error) {
      this.emit('error', error);
    }
  }
}
