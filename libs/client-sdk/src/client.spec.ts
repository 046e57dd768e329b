import { ApiError, EphemeraClient, StoredSession } from './index';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const apiError = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(
    status,
    { error: { code, message: `${code} happened` }, requestId: 'req-1' },
    { 'x-request-id': 'req-1', ...headers },
  );

const user = { id: 'u1', username: 'alice', displayName: null, createdAt: '2025-01-01T00:00:00.000Z' };
const session = (overrides: Partial<StoredSession> = {}): StoredSession => ({
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  accessExpiresAt: Date.now() + 60_000,
  user,
  ...overrides,
});

/** A fake API: access-1 is expired, refresh-1 rotates once to access-2/refresh-2. */
function fakeApi(options: { refuseRefresh?: boolean } = {}) {
  const calls: { method: string; url: string; auth?: string; body?: unknown }[] = [];
  const fetch = async (url: string, init: RequestInit = {}) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method: init.method ?? 'GET', url, auth: headers.authorization, body });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const path = new URL(url).pathname;
    if (path === '/v1/auth/refresh') {
      if (options.refuseRefresh) return apiError(401, 'TOKEN_REUSED');
      if (body.refreshToken !== 'refresh-1') return apiError(401, 'TOKEN_REUSED');
      return json(200, { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900 });
    }
    if (headers.authorization === 'Bearer access-1') return apiError(401, 'TOKEN_EXPIRED');
    if (headers.authorization !== 'Bearer access-2') return apiError(401, 'UNAUTHENTICATED');
    if (path === '/v1/friends') return json(200, { items: [], nextCursor: null });
    return apiError(404, 'NOT_FOUND');
  };
  return { fetch, calls, refreshes: () => calls.filter((c) => c.url.endsWith('/v1/auth/refresh')) };
}

describe('EphemeraClient token refresh', () => {
  it('ten concurrent calls with an expired token make one refresh, and all succeed once retried', async () => {
    const api = fakeApi();
    const onSession = jest.fn();
    const client = new EphemeraClient({ baseUrl: 'http://api.test/', fetch: api.fetch, session: session(), onSession });

    const pages = await Promise.all(Array.from({ length: 10 }, () => client.friends.list()));

    expect(pages).toEqual(Array(10).fill({ items: [], nextCursor: null }));
    expect(api.refreshes()).toHaveLength(1);
    const friendCalls = api.calls.filter((c) => c.url.endsWith('/v1/friends'));
    expect(friendCalls.filter((c) => c.auth === 'Bearer access-1')).toHaveLength(10);
    expect(friendCalls.filter((c) => c.auth === 'Bearer access-2')).toHaveLength(10);
    expect(client.session).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', user });
    expect(onSession).toHaveBeenCalledTimes(1);
    expect(onSession).toHaveBeenCalledWith(expect.objectContaining({ accessToken: 'access-2' }));
  });

  it('refreshes ahead of time when the access token is about to expire', async () => {
    const api = fakeApi();
    const client = new EphemeraClient({
      baseUrl: 'http://api.test',
      fetch: api.fetch,
      session: session({ accessExpiresAt: Date.now() + 2000 }),
    });
    await Promise.all([client.friends.list(), client.friends.list(), client.friends.list()]);
    expect(api.refreshes()).toHaveLength(1);
    expect(api.calls.filter((c) => c.auth === 'Bearer access-1')).toHaveLength(0);
  });

  it('a refused refresh rejects every waiting call, clears the session and reports null', async () => {
    const api = fakeApi({ refuseRefresh: true });
    const onSession = jest.fn();
    const client = new EphemeraClient({ baseUrl: 'http://api.test', fetch: api.fetch, session: session(), onSession });

    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.friends.list()));

    expect(api.refreshes()).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(ApiError);
      expect(reason).toMatchObject({ status: 401, code: 'TOKEN_REUSED' });
    }
    expect(client.session).toBeNull();
    expect(onSession).toHaveBeenCalledTimes(1);
    expect(onSession).toHaveBeenCalledWith(null);
    // Nothing is sent with the spent token again.
    await expect(client.friends.list()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(api.refreshes()).toHaveLength(1);
  });

  it('keeps the session when a refresh is rate limited: the token was not spent', async () => {
    const api = fakeApi();
    let limited = true;
    const fetch = async (url: string, init: RequestInit = {}) =>
      limited && url.endsWith('/v1/auth/refresh')
        ? ((limited = false), apiError(429, 'RATE_LIMITED', { 'retry-after': '30' }))
        : api.fetch(url, init);
    const client = new EphemeraClient({ baseUrl: 'http://api.test', fetch, session: session() });
    await expect(client.friends.list()).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfter: 30 });
    expect(client.session).toMatchObject({ refreshToken: 'refresh-1' });
    await expect(client.friends.list()).resolves.toEqual({ items: [], nextCursor: null });
    expect(client.session).toMatchObject({ refreshToken: 'refresh-2' });
  });

  it('clients sharing a stored session (browser tabs) refresh it in turn, and the second takes the first’s tokens', async () => {
    const api = fakeApi();
    let stored: StoredSession | null = session();
    let turn = Promise.resolve();
    const shared = {
      load: () => stored,
      // A lock, as navigator.locks gives tabs: each refresh waits for the one before it.
      exclusive: <T>(refresh: () => Promise<T>): Promise<T> => {
        const run = turn.then(refresh);
        turn = run.then(
          () => undefined,
          () => undefined,
        );
        return run;
      },
    };
    const tab = () =>
      new EphemeraClient({
        baseUrl: 'http://api.test',
        fetch: api.fetch,
        session: stored,
        onSession: (s) => (stored = s),
        shared,
      });
    const [a, b] = [tab(), tab()];
    const pages = await Promise.all([a.friends.list(), b.friends.list()]);
    expect(pages).toEqual([
      { items: [], nextCursor: null },
      { items: [], nextCursor: null },
    ]);
    // One refresh went out; without the turns, the second tab's refresh-1 would have revoked the login.
    expect(api.refreshes()).toHaveLength(1);
    for (const client of [a, b]) expect(client.session).toMatchObject({ refreshToken: 'refresh-2' });
  });

  it('a tab follows another tab signing out', async () => {
    const api = fakeApi();
    let stored: StoredSession | null = session();
    const client = new EphemeraClient({
      baseUrl: 'http://api.test',
      fetch: api.fetch,
      session: stored,
      shared: { load: () => stored, exclusive: (refresh) => refresh() },
    });
    stored = null;
    await expect(client.friends.list()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(client.session).toBeNull();
    expect(api.refreshes()).toHaveLength(0);
  });

  it('never sends a refresh token the server already answered', async () => {
    const api = fakeApi();
    const client = new EphemeraClient({ baseUrl: 'http://api.test', fetch: api.fetch, session: session() });
    await client.friends.list();
    await client.friends.list();
    const sent = api.refreshes().map((c) => (c.body as { refreshToken: string }).refreshToken);
    expect(sent).toEqual(['refresh-1']);
  });
});

describe('ApiError mapping', () => {
  const clientAnswering = (res: () => Response) =>
    new EphemeraClient({ baseUrl: 'http://api.test', fetch: async () => res(), session: session() });

  it('carries status, code, message, details and requestId from the error body', async () => {
    const client = clientAnswering(() =>
      json(
        400,
        { error: { code: 'VALIDATION_FAILED', message: 'bad', details: { fields: [] } }, requestId: 'r-9' },
        { 'x-request-id': 'r-9' },
      ),
    );
    const error = await client.snaps.send({ mediaId: 'm', recipientIds: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ApiError',
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'bad',
      details: { fields: [] },
      requestId: 'r-9',
    });
  });

  it('reads Retry-After (seconds) on 429', async () => {
    const client = clientAnswering(() => apiError(429, 'RATE_LIMITED', { 'retry-after': '17' }));
    await expect(client.users.get('bob')).rejects.toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      retryAfter: 17,
      requestId: 'req-1',
    });
  });

  it('tries a GET answered 503 again after its Retry-After, a write without a key never', async () => {
    const answers = [
      apiError(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '1' }),
      json(200, { items: [], nextCursor: null }),
    ];
    const calls: string[] = [];
    const client = new EphemeraClient({
      baseUrl: 'http://api.test',
      fetch: async (_url, init) => {
        calls.push(init?.method ?? 'GET');
        return answers.shift() ?? apiError(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '1' });
      },
      session: session(),
    });
    const started = Date.now();
    expect(await client.friends.list()).toEqual({ items: [], nextCursor: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(calls).toEqual(['GET', 'GET']);

    calls.length = 0;
    await expect(client.friends.request('bob')).rejects.toMatchObject({ status: 503, retryAfter: 1 });
    expect(calls).toEqual(['POST']);
  });

  it('repeats a snap send with the same idempotency key after a 503 or a lost connection', async () => {
    const keys: (string | undefined)[] = [];
    const answers: (() => Response)[] = [
      () => apiError(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '0' }),
      () => {
        throw new TypeError('fetch failed: socket hang up');
      },
      () => json(201, { id: 's1', sentAt: 'x', expiresAt: 'y', recipients: [] }),
    ];
    const client = new EphemeraClient({
      baseUrl: 'http://api.test',
      fetch: async (_url, init) => {
        keys.push((init?.headers as Record<string, string>)['idempotency-key']);
        return answers.shift()!();
      },
      session: session(),
    });
    expect(await client.snaps.send({ mediaId: 'm', recipientIds: ['u2'] })).toMatchObject({ id: 's1' });
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(keys).size).toBe(1);

    // Each send is its own request: a new key.
    answers.push(() => json(201, { id: 's2', sentAt: 'x', expiresAt: 'y', recipients: [] }));
    await client.snaps.send({ mediaId: 'm2', recipientIds: ['u2'] });
    expect(keys[3]).not.toBe(keys[0]);
  });

  it('does not repeat a write without a key when the connection fails', async () => {
    let calls = 0;
    const client = new EphemeraClient({
      baseUrl: 'http://api.test',
      fetch: async () => {
        calls++;
        throw new TypeError('fetch failed');
      },
      session: session(),
    });
    await expect(client.friends.request('bob')).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it('gives up on a GET whose Retry-After is long, and after two tries again', async () => {
    const long = clientAnswering(() => apiError(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '30' }));
    await expect(long.snaps.inbox()).rejects.toMatchObject({ status: 503, retryAfter: 30 });
    let calls = 0;
    const client = new EphemeraClient({
      baseUrl: 'http://api.test',
      fetch: async () => {
        calls++;
        return apiError(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '0' });
      },
      session: session(),
    });
    await expect(client.snaps.inbox()).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(3);
  });

  it('maps an answer without an API body by its status', async () => {
    const client = clientAnswering(
      () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'x-request-id': 'edge-1' } }),
    );
    await expect(client.snaps.inbox()).rejects.toMatchObject({
      status: 502,
      code: 'SERVICE_UNAVAILABLE',
      requestId: 'edge-1',
    });
  });

  it('answers 204 with undefined and sends JSON bodies and query strings', async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    const client = new EphemeraClient({
      baseUrl: 'http://api.test',
      session: session(),
      fetch: async (url, init) => {
        calls.push({ url, init });
        return url.includes('/blocks')
          ? new Response(null, { status: 204 })
          : json(200, { items: [], nextCursor: null });
      },
    });
    await expect(client.blocks.add('bob')).resolves.toBeUndefined();
    await client.friends.requests('outgoing', { limit: 5, cursor: 'c/1' });
    expect(calls[0].init?.body).toBe(JSON.stringify({ username: 'bob' }));
    expect(calls[1].url).toBe('http://api.test/v1/friends/requests?direction=outgoing&limit=5&cursor=c%2F1');
  });
});
