import { ApiError } from './errors';
import { defaultFetch, FetchLike, Http } from './http';
import { EphemeraEvents } from './realtime';
import { SessionManager, SharedSession, StoredSession } from './session';
import type {
  AuthResult,
  BlocksPage,
  FriendRequestResult,
  FriendRequestsPage,
  FriendsPage,
  InboxPage,
  LoginInput,
  Media,
  OpenedSnapView,
  PageOptions,
  PublicProfile,
  RegisterInput,
  SendSnapInput,
  SentPage,
  SentSnap,
  SessionsPage,
  Tokens,
  User,
  Friend,
} from './types';
import { Uploader, UploadInput, UploadOptions } from './uploads';

export interface EphemeraClientOptions {
  /** The API's origin, e.g. `http://localhost:3000` (REST and socket.io). */
  baseUrl: string;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
  /** A session persisted earlier (see `onSession`). */
  session?: StoredSession | null;
  /** Called whenever the tokens change, so the app can persist them, and with null when the session ends. */
  onSession?: (session: StoredSession | null) => void;
  /** Refresh the access token when it expires within this many ms (default 10 000). */
  refreshLeewayMs?: number;
  /**
   * When other clients share the persisted session (the tabs of a web app): how to read it and
   * take turns refreshing it, so that no two of them spend the same refresh token.
   */
  shared?: SharedSession;
}

export interface WaitOptions {
  /** Default 120 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** How often to ask while the socket is not connected (default 1000; 5000 while it is). */
  pollIntervalMs?: number;
}

/** An opened snap: the URLs are presigned and expire within 60 s, so fetch at once. */
export interface OpenedSnap extends OpenedSnapView {
  /** The photo or video bytes (GET media.url). */
  fetchMedia(options?: { signal?: AbortSignal }): Promise<Blob>;
  /** A video's poster frame, or null for photos. */
  fetchPoster(options?: { signal?: AbortSignal }): Promise<Blob | null>;
}

const id = (value: string) => encodeURIComponent(value);

/** 128 random bits as hex (getRandomValues, unlike randomUUID, works on plain-HTTP pages too). */
function newIdempotencyKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A typed client of the whole Ephemera API (API.md), for browsers and Node 20. */
export class EphemeraClient {
  readonly auth: AuthApi;
  readonly users: UsersApi;
  readonly friends: FriendsApi;
  readonly blocks: BlocksApi;
  readonly sessions: SessionsApi;
  readonly media: MediaApi;
  readonly snaps: SnapsApi;
  readonly events: EphemeraEvents;
  private readonly store: SessionManager;

  constructor(options: EphemeraClientOptions) {
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.store = new SessionManager(options);
    const http = new Http(baseUrl, options.fetch ?? defaultFetch(), this.store);
    this.store.useRefresh((refreshToken) =>
      http.request<Tokens>('POST', '/v1/auth/refresh', { body: { refreshToken }, auth: false }),
    );
    this.events = new EphemeraEvents(http, this.store);
    this.auth = new AuthApi(http, this.store);
    this.users = new UsersApi(http);
    this.friends = new FriendsApi(http);
    this.blocks = new BlocksApi(http);
    this.sessions = new SessionsApi(http);
    this.media = new MediaApi(http, this.events);
    this.snaps = new SnapsApi(http);
  }

  /** The signed-in session (tokens and user), or null. */
  get session(): StoredSession | null {
    return this.store.session;
  }

  /**
   * Takes a session another client stored (a tab that signed in, refreshed or signed out),
   * without a request; `onSession` is called with it.
   */
  adoptSession(session: StoredSession | null): void {
    if (session?.refreshToken !== this.store.session?.refreshToken) this.store.set(session);
  }
}

export class AuthApi {
  constructor(
    private readonly http: Http,
    private readonly store: SessionManager,
  ) {}

  /** Creates an account and signs in. */
  async register(input: RegisterInput): Promise<StoredSession> {
    const result = await this.http.request<AuthResult>('POST', '/v1/auth/register', { body: input, auth: false });
    return this.store.start(result);
  }

  /** Signs in; each login is a session listed by `client.sessions.list()`. */
  async login(input: LoginInput): Promise<StoredSession> {
    const result = await this.http.request<AuthResult>('POST', '/v1/auth/login', { body: input, auth: false });
    return this.store.start(result);
  }

  /** Ends this session on the server (best effort) and locally; onSession(null) is called. */
  async logout(): Promise<void> {
    const session = this.store.session;
    if (!session) return;
    try {
      await this.http.request<void>('POST', '/v1/auth/logout', { body: { refreshToken: session.refreshToken } });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
    } finally {
      this.store.clear();
    }
  }

  me(): Promise<User> {
    return this.http.request<User>('GET', '/v1/me');
  }
}

export class UsersApi {
  constructor(private readonly http: Http) {}

  /** A public profile; 404 NOT_FOUND when unknown or when either side blocked the other. */
  get(username: string): Promise<PublicProfile> {
    return this.http.request<PublicProfile>('GET', `/v1/users/${id(username)}`);
  }
}

export class FriendsApi {
  constructor(private readonly http: Http) {}

  /** Sends a request; when they had already asked you, you are friends at once and get `{friend}`. */
  request(username: string): Promise<FriendRequestResult> {
    return this.http.request<FriendRequestResult>('POST', '/v1/friends/requests', { body: { username } });
  }

  requests(direction: 'incoming' | 'outgoing' = 'incoming', page: PageOptions = {}): Promise<FriendRequestsPage> {
    return this.http.request<FriendRequestsPage>('GET', '/v1/friends/requests', { query: { direction, ...page } });
  }

  async accept(requestId: string): Promise<Friend> {
    const res = await this.http.request<{ friend: Friend }>('POST', `/v1/friends/requests/${id(requestId)}/accept`);
    return res.friend;
  }

  decline(requestId: string): Promise<void> {
    return this.http.request<void>('POST', `/v1/friends/requests/${id(requestId)}/decline`);
  }

  /** Withdraws a request you sent. */
  cancel(requestId: string): Promise<void> {
    return this.http.request<void>('DELETE', `/v1/friends/requests/${id(requestId)}`);
  }

  list(page: PageOptions = {}): Promise<FriendsPage> {
    return this.http.request<FriendsPage>('GET', '/v1/friends', { query: { ...page } });
  }

  remove(userId: string): Promise<void> {
    return this.http.request<void>('DELETE', `/v1/friends/${id(userId)}`);
  }
}

export class BlocksApi {
  constructor(private readonly http: Http) {}

  /** Also ends the friendship and pending requests. */
  add(username: string): Promise<void> {
    return this.http.request<void>('POST', '/v1/blocks', { body: { username } });
  }

  list(page: PageOptions = {}): Promise<BlocksPage> {
    return this.http.request<BlocksPage>('GET', '/v1/blocks', { query: { ...page } });
  }

  remove(userId: string): Promise<void> {
    return this.http.request<void>('DELETE', `/v1/blocks/${id(userId)}`);
  }
}

export class SessionsApi {
  constructor(private readonly http: Http) {}

  /** The signed-in devices of the account, newest sign-in first (`current` marks this one). */
  list(page: PageOptions = {}): Promise<SessionsPage> {
    return this.http.request<SessionsPage>('GET', '/v1/me/sessions', { query: { ...page } });
  }

  /** Signs that device out at once (REST and sockets). */
  revoke(sessionId: string): Promise<void> {
    return this.http.request<void>('DELETE', `/v1/me/sessions/${id(sessionId)}`);
  }
}

export class MediaApi {
  private readonly uploader: Uploader;

  constructor(
    private readonly http: Http,
    private readonly events: EphemeraEvents,
  ) {
    this.uploader = new Uploader(http);
  }

  /** Uploads a photo or video; answers `{id, kind, status: 'processing'}`. See UploadMethod for `method`. */
  upload(file: UploadInput, options: UploadOptions = {}): Promise<Media> {
    return this.uploader.upload(file, options);
  }

  /** Continues an interrupted direct upload (UploadInterruptedError.uploadId), sending only the missing parts. */
  resume(uploadId: string, file: UploadInput, options: UploadOptions = {}): Promise<Media> {
    return this.uploader.resume(uploadId, file, options);
  }

  get(mediaId: string, options: { signal?: AbortSignal } = {}): Promise<Media> {
    return this.http.request<Media>('GET', `/v1/media/${id(mediaId)}`, options);
  }

  /**
   * Resolves when processing is done (status `ready`); rejects with an ApiError carrying the
   * failure's code (e.g. MEDIA_CORRUPT) when it failed. Wakes up on media:ready / media:failed
   * while `client.events` is connected, and polls GET /v1/media/:id in any case.
   */
  async waitUntilSettled(mediaId: string, options: WaitOptions = {}): Promise<Media> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      options.signal?.throwIfAborted();
      const media = await this.get(mediaId, { signal: options.signal });
      if (media.status === 'ready') return media;
      if (media.status === 'failed') throw mediaFailure(media);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new ApiError({ status: 408, code: 'MEDIA_NOT_READY', message: `Media ${mediaId} is still processing.` });
      }
      const interval = this.events.connected ? 5000 : (options.pollIntervalMs ?? 1000);
      await this.nextHint(mediaId, Math.min(interval, left), options.signal);
    }
  }

  /** Waits for a media event about `mediaId`, the interval, or the abort, whichever is first. */
  private nextHint(mediaId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const stops: (() => void)[] = [];
      const done = () => {
        stops.forEach((stop) => stop());
        resolve();
      };
      const timer = setTimeout(done, ms);
      stops.push(() => clearTimeout(timer));
      stops.push(this.events.on('media:ready', (e) => e.id === mediaId && done()));
      stops.push(this.events.on('media:failed', (e) => e.id === mediaId && done()));
      if (signal) {
        signal.addEventListener('abort', done, { once: true });
        stops.push(() => signal.removeEventListener('abort', done));
      }
    });
  }
}

function mediaFailure(media: Media): ApiError {
  const code = media.failure?.code;
  const status = code === 'MEDIA_TOO_LARGE' ? 413 : code === 'UNSUPPORTED_MEDIA_TYPE' ? 415 : 422;
  return new ApiError({
    status,
    code: (code as ApiError['code'] | undefined) ?? 'MEDIA_CORRUPT',
    message: media.failure?.message ?? 'The media could not be processed.',
    details: { mediaId: media.id },
  });
}

export class SnapsApi {
  constructor(private readonly http: Http) {}

  /**
   * Sends to 1–100 friends; the media may still be processing (recipients are told when it is
   * ready). Safe to repeat: a send whose answer was lost, or that met a 503, is repeated with
   * the same idempotency key, and the server sends the snap once.
   */
  send(input: SendSnapInput): Promise<SentSnap> {
    return this.http.request<SentSnap>('POST', '/v1/snaps', { body: input, idempotencyKey: newIdempotencyKey() });
  }

  /** Snaps you received and have not opened, newest first. */
  inbox(page: PageOptions = {}): Promise<InboxPage> {
    return this.http.request<InboxPage>('GET', '/v1/snaps/inbox', { query: { ...page } });
  }

  /** Snaps you sent, with each recipient's state, openedAt and screenshotAt. */
  sent(page: PageOptions = {}): Promise<SentPage> {
    return this.http.request<SentPage>('GET', '/v1/snaps/sent', { query: { ...page } });
  }

  /**
   * Opens a snap: once per recipient, across all devices. Again → ApiError SNAP_ALREADY_OPENED;
   * after expiry → SNAP_EXPIRED. Fetch the media at once: its URL expires within 60 s. An open
   * whose answer was lost is repeated with the same idempotency key and gets the same URLs,
   * so a dropped connection does not cost the recipient the snap.
   */
  async open(snapId: string): Promise<OpenedSnap> {
    const view = await this.http.request<OpenedSnapView>('POST', `/v1/snaps/${id(snapId)}/open`, {
      idempotencyKey: newIdempotencyKey(),
    });
    const download = async (url: string, signal?: AbortSignal) => {
      const res = await this.http.fetch(url, { signal });
      if (!res.ok) {
        // Storage answers 403 once the URL expired and 404 once the snap was purged.
        throw new ApiError({ status: 410, code: 'SNAP_EXPIRED', message: `The media is gone (HTTP ${res.status}).` });
      }
      return res.blob();
    };
    return {
      ...view,
      fetchMedia: (options = {}) => download(view.media.url, options.signal),
      fetchPoster: async (options = {}) => (view.poster ? download(view.poster.url, options.signal) : null),
    };
  }

  /** Tells the sender you took a screenshot (only of a snap you opened). */
  screenshot(snapId: string): Promise<void> {
    return this.http.request<void>('POST', `/v1/snaps/${id(snapId)}/screenshot`);
  }

  /** The sender withdraws a snap: everything is deleted as at expiry. */
  withdraw(snapId: string): Promise<void> {
    return this.http.request<void>('DELETE', `/v1/snaps/${id(snapId)}`);
  }
}
