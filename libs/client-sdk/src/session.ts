import { ApiError } from './errors';
import type { Tokens, User } from './types';

/** What an app persists to stay signed in (e.g. in localStorage or a keychain). */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** When the access token stops working, in milliseconds since the epoch. */
  accessExpiresAt: number;
  user: User;
}

/** Sends POST /v1/auth/refresh; answers the new tokens or throws the ApiError. */
export type RefreshCall = (refreshToken: string) => Promise<Tokens>;

/**
 * A stored session that several clients share, such as the browser tabs of one app reading one
 * localStorage entry. Refresh tokens rotate and a spent one sent again ends the whole login, so
 * their refreshes must take turns, and each must start from what the last one stored.
 */
export interface SharedSession {
  /**
   * The session as stored now (another client may have refreshed it), null when none is (another
   * client signed out), undefined when the store cannot be read.
   */
  load(): StoredSession | null | undefined;
  /** Runs `refresh` while no other client sharing the session runs one (e.g. `navigator.locks`). */
  exclusive<T>(refresh: () => Promise<T>): Promise<T>;
}

export interface SessionOptions {
  session?: StoredSession | null;
  onSession?: (session: StoredSession | null) => void;
  /** Refresh ahead of time when the access token expires within this many ms (default 10 000). */
  refreshLeewayMs?: number;
  /** Set when other clients share the stored session (browser tabs): refreshes take turns with theirs. */
  shared?: SharedSession;
}

/**
 * Holds the tokens and refreshes them: single-flight (however many calls need a new access
 * token at once, one refresh request goes out) and rotation-safe (a refresh token the server
 * has answered is never sent again; a refused refresh ends the session).
 */
export class SessionManager {
  private current: StoredSession | null;
  private inFlight: { session: StoredSession; promise: Promise<string> } | null = null;
  /** Refresh tokens the server has answered for; sending one again would revoke the login. */
  private readonly spent = new Set<string>();
  private readonly listeners = new Set<(session: StoredSession | null) => void>();
  private readonly leewayMs: number;
  private refreshCall: RefreshCall | null = null;

  constructor(private readonly options: SessionOptions = {}) {
    this.current = options.session ?? null;
    this.leewayMs = options.refreshLeewayMs ?? 10_000;
  }

  /** Wired by the client: the HTTP layer sends refreshes. */
  useRefresh(call: RefreshCall): void {
    this.refreshCall = call;
  }

  get session(): StoredSession | null {
    return this.current;
  }

  /** Called with every new session and with null when it ends. */
  subscribe(listener: (session: StoredSession | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts a session from a register/login answer. */
  start(result: Tokens & { user: User }): StoredSession {
    const session: StoredSession = {
      accessToken: result.accessToken,
      refreshToken: result.refreshToken,
      accessExpiresAt: Date.now() + result.expiresIn * 1000,
      user: result.user,
    };
    this.set(session);
    return session;
  }

  set(session: StoredSession | null): void {
    this.current = session;
    this.options.onSession?.(session);
    for (const listener of this.listeners) listener(session);
  }

  clear(): void {
    if (this.current !== null) this.set(null);
  }

  /** A usable access token: the current one, or a fresh one when it is (about to be) expired. */
  async accessToken(): Promise<string> {
    const session = this.requireSession();
    if (session.accessExpiresAt - this.leewayMs > Date.now()) return session.accessToken;
    return this.refresh(session.accessToken);
  }

  /**
   * A new access token, because `rejected` was refused (or is about to expire). Callers that
   * saw the same token share one refresh; a caller whose token was already replaced gets the
   * replacement without another request.
   */
  async refresh(rejected?: string): Promise<string> {
    const session = this.requireSession();
    if (this.inFlight?.session === session) return this.inFlight.promise;
    if (rejected !== undefined && rejected !== session.accessToken) return session.accessToken;
    const promise: Promise<string> = this.runRefresh(session).finally(() => {
      if (this.inFlight?.promise === promise) this.inFlight = null;
    });
    this.inFlight = { session, promise };
    return promise;
  }

  private runRefresh(session: StoredSession): Promise<string> {
    const shared = this.options.shared;
    if (!shared) return this.refreshFrom(session);
    return shared.exclusive(async () => {
      // Another client may have refreshed (or signed out) while this one waited its turn: what it
      // stored is the session to go on from, since the tokens this one holds are then spent.
      // (Nothing in here may wait for the turn again: it is not reentrant.)
      const stored = shared.load();
      const current = this.requireSession();
      if (stored === null || (stored && stored.user.id !== current.user.id)) {
        this.set(null);
        throw new ApiError({ status: 401, code: 'UNAUTHENTICATED', message: 'Signed out.' });
      }
      if (stored && stored.refreshToken !== current.refreshToken) this.set(stored);
      const latest = this.requireSession();
      if (latest !== session && latest.accessExpiresAt - this.leewayMs > Date.now()) return latest.accessToken;
      return this.refreshFrom(latest);
    });
  }

  private async refreshFrom(session: StoredSession): Promise<string> {
    const token = session.refreshToken;
    try {
      if (!this.refreshCall) throw new Error('No refresh call configured.');
      if (this.spent.has(token)) {
        throw new ApiError({ status: 401, code: 'TOKEN_REUSED', message: 'This refresh token was already used.' });
      }
      let tokens: Tokens;
      try {
        tokens = await this.refreshCall(token);
      } catch (error) {
        // Refused (401): the token is spent. Anything else (no answer, a 5xx, 429 before the
        // server looked at the token): it was not rotated, so it may be tried again later.
        if (error instanceof ApiError && error.status === 401) this.spent.add(token);
        throw error;
      }
      this.spent.add(token);
      // Signed out or signed in as someone else meanwhile: the answer belongs to no one.
      if (this.current !== session)
        throw new ApiError({ status: 401, code: 'UNAUTHENTICATED', message: 'Signed out.' });
      this.set({
        ...session,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessExpiresAt: Date.now() + tokens.expiresIn * 1000,
      });
      return tokens.accessToken;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && this.current === session) this.set(null);
      throw error;
    }
  }

  private requireSession(): StoredSession {
    if (!this.current) throw new ApiError({ status: 401, code: 'UNAUTHENTICATED', message: 'Not signed in.' });
    return this.current;
  }
}
