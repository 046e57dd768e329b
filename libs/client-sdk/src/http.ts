import { ApiError, parseRetryAfter } from './errors';
import type { SessionManager } from './session';

/** The subset of `fetch` the SDK uses; the global fetch (browsers, Node 20) fits. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  /** JSON-encoded unless it is a FormData, Blob or stream. */
  body?: unknown;
  query?: Query;
  /** Send the access token (default true); register, login and refresh do without. */
  auth?: boolean;
  signal?: AbortSignal;
  /**
   * Sent as `Idempotency-Key`: the server acts once per key, so the request may be
   * repeated like a GET (after a 503, or when the connection failed before an answer).
   */
  idempotencyKey?: string;
}

/**
 * How often a request safe to repeat (a GET, or a write with an idempotency key) is tried
 * again: after a 503 whose Retry-After is at most the wait below, or a failed connection.
 */
const RETRIES = 2;
const RETRY_MAX_WAIT_SECONDS = 10;
const NETWORK_RETRY_MS = 1000;

/** Resolves after `ms`, or rejects with the signal's reason when it is aborted first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The default fetch, called unbound (browsers refuse `window.fetch` called on another object). */
export function defaultFetch(): FetchLike {
  if (typeof globalThis.fetch !== 'function') throw new Error('No global fetch: pass `fetch` in the options.');
  return (input, init) => globalThis.fetch(input, init);
}

/** The REST transport: URLs, JSON, errors as ApiError, and the access token with one retry after a refresh. */
export class Http {
  constructor(
    readonly baseUrl: string,
    readonly fetch: FetchLike,
    private readonly session: SessionManager,
  ) {}

  url(path: string, query?: Query): string {
    const url = `${this.baseUrl}${path}`;
    const params = Object.entries(query ?? {}).filter((entry): entry is [string, string | number | boolean] => {
      return entry[1] !== undefined;
    });
    if (params.length === 0) return url;
    return `${url}?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
  }

  /** Sends a request and answers its JSON body (undefined for 204); any non-2xx throws ApiError. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.url(path, options.query);
    const { body, contentType } = encodeBody(options.body);
    const send = (token?: string) => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (contentType) headers['content-type'] = contentType;
      if (token) headers.authorization = `Bearer ${token}`;
      if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
      return this.fetch(url, { method, headers, body, signal: options.signal });
    };
    const repeatable = method === 'GET' || options.idempotencyKey !== undefined;
    for (let retry = 0; ; retry++) {
      const mayRetry = repeatable && retry < RETRIES;
      let res: Response;
      try {
        res = await (options.auth === false ? send() : this.authorized(send));
      } catch (error) {
        // fetch rejects with a TypeError when no answer came (connection refused or lost).
        if (!mayRetry || !(error instanceof TypeError) || options.signal?.aborted) throw error;
        await sleep(NETWORK_RETRY_MS, options.signal);
        continue;
      }
      // A request the server could not serve for now (503 with Retry-After: its database, Redis
      // or storage away) is tried again after the wait it asks for, when that wait is short.
      const wait = mayRetry && res.status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
      if (wait === undefined || wait > RETRY_MAX_WAIT_SECONDS) return readJson<T>(res);
      await res.body?.cancel();
      await sleep(wait * 1000, options.signal);
    }
  }

  /**
   * Runs `send` with a valid access token: refreshed first when it is about to expire, and
   * once more after a refresh when the server answers 401 TOKEN_EXPIRED. `send` must be
   * repeatable (it builds its body anew on each call).
   */
  async authorized(send: (token: string) => Promise<Response>): Promise<Response> {
    const token = await this.session.accessToken();
    const res = await send(token);
    if (res.status !== 401) return res;
    const error = await ApiError.fromResponse(res);
    if (error.code !== 'TOKEN_EXPIRED') throw error;
    return send(await this.session.refresh(token));
  }
}

function encodeBody(body: unknown): { body?: RequestInit['body']; contentType?: string } {
  if (body === undefined) return {};
  if (
    (typeof FormData !== 'undefined' && body instanceof FormData) ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
  ) {
    return { body: body as RequestInit['body'] };
  }
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

/** The JSON of a 2xx answer (undefined when empty), or the ApiError of any other. */
export async function readJson<T>(res: Response): Promise<T> {
  if (!res.ok) throw await ApiError.fromResponse(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
