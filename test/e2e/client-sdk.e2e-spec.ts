import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { io } from 'socket.io-client';
import {
  ApiError,
  EphemeraClient,
  EphemeraClientOptions,
  FetchLike,
  StoredSession,
  UploadProgress,
} from '@app/client-sdk';
import { mediaSamplesDir, REPO_ROOT } from '../fixtures/samples';
import { startApi, startWorker, TestApi } from '../support/api';
import { testConfig } from '../support/config';
import { randomIp, uniqueName } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';

const GENERATOR = join(REPO_ROOT, 'libs', 'client-sdk', 'scripts', 'generate-types.mjs');
const COMMITTED = join(REPO_ROOT, 'libs', 'client-sdk', 'src', 'generated', 'openapi.ts');

/** Runs libs/client-sdk/scripts/generate-types.mjs on a spec object; returns the module text it writes. */
function generateTypes(spec: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'sdk-types-'));
  try {
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = join(dir, 'openapi.ts');
    const run = spawnSync(process.execPath, [GENERATOR, '--spec', join(dir, 'spec.json'), '--out', out], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (run.status !== 0) throw new Error(`generate-sdk-types failed: ${run.stderr}`);
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('client SDK: generated types match the served OpenAPI spec', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi(testConfig());
  });

  afterAll(async () => {
    await api?.close();
  });

  it('libs/client-sdk/src/generated/openapi.ts is what the served spec generates', async () => {
    const spec = await (await fetch(`${api.url}/docs-json`)).json();
    const generated = generateTypes(spec);
    if (process.env.UPDATE_SDK_TYPES === '1') writeFileSync(COMMITTED, generated);
    const committed = readFileSync(COMMITTED, 'utf8');
    if (generated !== committed) {
      throw new Error(
        'The SDK types are out of date with the API spec. Regenerate them with\n' +
          '  UPDATE_SDK_TYPES=1 npx jest --selectProjects e2e --runInBand test/e2e/client-sdk -t generated\n' +
          'or, against a running API, `npm run sdk:types`, and commit the result.',
      );
    }
  });
});

/**
 * A client that looks like its own device (own client IP, so per-IP rate limits stay apart),
 * over `transport` (the global fetch unless a test's network misbehaves).
 */
function sdkClient(
  baseUrl: string,
  options: Omit<EphemeraClientOptions, 'baseUrl' | 'fetch'> = {},
  transport: FetchLike = fetch,
): EphemeraClient {
  const ip = randomIp();
  const fetchWithIp: FetchLike = (url, init = {}) =>
    transport(url, {
      ...init,
      headers: url.startsWith(baseUrl)
        ? { ...(init.headers as Record<string, string>), 'x-forwarded-for': ip }
        : init.headers,
    });
  return new EphemeraClient({ baseUrl, fetch: fetchWithIp, ...options });
}

const register = (client: EphemeraClient) =>
  client.auth.register({ username: uniqueName('sdk'), password: `pw-${uniqueName()}`, displayName: 'SDK test' });

const isJpeg = (bytes: Uint8Array) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

describe('client SDK against the real stack', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  const clients: EphemeraClient[] = [];
  const photoPath = join(mediaSamplesDir(), 'photo-tiny.jpg');

  beforeAll(async () => {
    const config = testConfig();
    api = await startApi(config);
    worker = await startWorker(config);
  });

  afterAll(async () => {
    clients.forEach((client) => client.events.disconnect());
    await worker?.close();
    await api?.close();
  });

  const newClient = () => {
    const client = sdkClient(api.url);
    clients.push(client);
    return client;
  };

  it('register, befriend, upload (direct and stream), send, receive, open once, catch up after a reconnect', async () => {
    const alice = newClient();
    const bob = newClient();
    const aliceSession = await register(alice);
    const bobSession = await register(bob);
    expect(alice.session).toEqual(aliceSession);
    expect(await alice.auth.me()).toEqual(aliceSession.user);

    const request = await alice.friends.request(bobSession.user.username);
    expect(request).toMatchObject({ from: { id: aliceSession.user.id }, to: { id: bobSession.user.id } });
    const incoming = await bob.friends.requests('incoming');
    expect(incoming.items.map((r) => r.from.username)).toEqual([aliceSession.user.username]);
    const friend = await bob.friends.accept(incoming.items[0].id);
    expect(friend.id).toBe(aliceSession.user.id);
    expect((await alice.friends.list()).items.map((f) => f.id)).toEqual([bobSession.user.id]);

    const photo = new Uint8Array(await readFile(photoPath));
    const uploadWith = async (method: 'direct' | 'stream') => {
      const progress: UploadProgress[] = [];
      const media = await alice.media.upload(photo, { method, onProgress: (p) => progress.push(p) });
      expect(media).toMatchObject({ kind: 'image', status: 'processing' });
      expect(progress.at(-1)).toEqual({ loaded: photo.length, total: photo.length });
      return media;
    };
    const direct = await uploadWith('direct');
    expect(await alice.media.waitUntilSettled(direct.id, { timeoutMs: 60_000 })).toMatchObject({ status: 'ready' });
    // With the socket connected, media:ready wakes the wait.
    const aliceConnected = alice.events.once('connected');
    alice.events.connect();
    await aliceConnected;
    const streamed = await uploadWith('stream');
    expect(await alice.media.waitUntilSettled(streamed.id, { timeoutMs: 60_000 })).toMatchObject({ status: 'ready' });

    const bobInbox = bob.events.once('inbox');
    bob.events.connect();
    expect(await bobInbox).toEqual([]);
    expect(bob.events.connected).toBe(true);

    const received = bob.events.once('snap:received');
    const sent = await alice.snaps.send({ mediaId: direct.id, recipientIds: [bobSession.user.id], caption: 'hi' });
    expect(sent.recipients).toEqual([{ userId: bobSession.user.id, state: 'delivered' }]);
    expect(await received).toMatchObject({ id: sent.id, sender: { id: aliceSession.user.id }, kind: 'image' });

    const opened = alice.events.once('snap:opened', (e) => e.id === sent.id);
    const snap = await bob.snaps.open(sent.id);
    expect(snap).toMatchObject({ id: sent.id, kind: 'image', caption: 'hi', media: { contentType: 'image/jpeg' } });
    const blob = await snap.fetchMedia();
    expect(blob.size).toBeGreaterThan(0);
    expect(isJpeg(new Uint8Array(await blob.arrayBuffer()))).toBe(true);
    expect(await snap.fetchPoster()).toBeNull();
    expect(await opened).toMatchObject({ id: sent.id, recipientId: bobSession.user.id });

    const again = await bob.snaps.open(sent.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ApiError);
    expect(again).toMatchObject({ status: 410, code: 'SNAP_ALREADY_OPENED' });
    expect((again as ApiError).requestId).toEqual(expect.any(String));

    // Offline: the event is missed, and the catch-up after reconnecting brings the snap.
    bob.events.disconnect();
    const second = await alice.snaps.send({ mediaId: streamed.id, recipientIds: [bobSession.user.id] });
    const catchUp = bob.events.once('inbox');
    bob.events.connect();
    expect((await catchUp).map((item) => item.id)).toEqual([second.id]);
    expect((await bob.snaps.inbox()).items.map((item) => item.id)).toEqual([second.id]);
    expect((await alice.snaps.sent({ limit: 1 })).items[0]).toMatchObject({ id: second.id });
  });

  it('repeats a send and an open whose answers were lost: one snap, and the view kept', async () => {
    // The server acts, then the connection drops before the answer arrives.
    const lost: string[] = [];
    const losingFirstAnswer =
      (path: RegExp): FetchLike =>
      async (url, init) => {
        const res = await fetch(url, init);
        if (init?.method === 'POST' && path.test(url) && !lost.includes(url)) {
          lost.push(url);
          await res.arrayBuffer();
          throw new TypeError('fetch failed: connection reset');
        }
        return res;
      };
    const alice = sdkClient(api.url, {}, losingFirstAnswer(/\/v1\/snaps$/));
    const bob = sdkClient(api.url, {}, losingFirstAnswer(/\/open$/));
    await register(alice);
    const bobSession = await register(bob);
    await alice.friends.request(bobSession.user.username);
    await bob.friends.accept((await bob.friends.requests('incoming')).items[0].id);
    const media = await alice.media.upload(new Uint8Array(await readFile(photoPath)), { method: 'stream' });
    expect(await alice.media.waitUntilSettled(media.id, { timeoutMs: 60_000 })).toMatchObject({ status: 'ready' });

    const sent = await alice.snaps.send({ mediaId: media.id, recipientIds: [bobSession.user.id] });
    expect((await bob.snaps.inbox()).items.map((item) => item.id)).toEqual([sent.id]);
    expect((await alice.snaps.sent()).items.map((item) => item.id)).toEqual([sent.id]);

    const snap = await bob.snaps.open(sent.id);
    expect(isJpeg(new Uint8Array(await (await snap.fetchMedia()).arrayBuffer()))).toBe(true);
    expect(lost).toEqual([`${api.url}/v1/snaps`, `${api.url}/v1/snaps/${sent.id}/open`]);
  });

  it('reports an unknown user with ApiError NOT_FOUND', async () => {
    const carol = newClient();
    await register(carol);
    await expect(carol.users.get(uniqueName('nobody'))).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('logout ends the session and reports null', async () => {
    const sessions: unknown[] = [];
    const client = sdkClient(api.url, { onSession: (session) => sessions.push(session) });
    const session = await register(client);
    expect((await client.sessions.list()).items).toEqual([expect.objectContaining({ current: true })]);
    await client.auth.logout();
    expect(client.session).toBeNull();
    expect(sessions).toEqual([session, null]);
    await expect(client.auth.me()).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });
});

describe('client SDK: expired access tokens refresh transparently', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi(testConfig({ ACCESS_TOKEN_TTL_SECONDS: '1' }));
  });

  afterAll(async () => {
    await api?.close();
  });

  /** A client restored from storage whose clock believes the access token is still good. */
  const restored = (session: StoredSession) =>
    sdkClient(api.url, { session: { ...session, accessExpiresAt: Date.now() + 60_000 } });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('REST calls get 401 TOKEN_EXPIRED, refresh once and are retried', async () => {
    const first = await register(sdkClient(api.url));
    await sleep(1500);
    const client = restored(first);
    const [me, friends, inbox] = await Promise.all([client.auth.me(), client.friends.list(), client.snaps.inbox()]);
    expect(me).toEqual(first.user);
    expect([friends.items, inbox.items]).toEqual([[], []]);
    expect(client.session?.refreshToken).not.toBe(first.refreshToken);
    expect(client.session?.accessToken).not.toBe(first.accessToken);
  });

  it('a socket handshake refused for an expired token refreshes once and reconnects', async () => {
    const first = await register(sdkClient(api.url));
    await sleep(1500);
    const client = restored(first);
    // The catch-up after connecting is an authenticated call too: wait for it before the API stops.
    const caughtUp = client.events.once('inbox');
    client.events.connect();
    expect(await caughtUp).toEqual([]);
    expect(client.session?.accessToken).not.toBe(first.accessToken);
    client.events.disconnect();
  });

  it('a socket closed by the server when its token expires comes back with a fresh token', async () => {
    const client = sdkClient(api.url);
    await register(client);
    const firstToken = client.session?.accessToken;
    try {
      const connected = client.events.once('connected');
      client.events.connect();
      await connected;
      expect(await client.events.once('disconnected')).toEqual({ reason: 'io server disconnect' });
      await client.events.once('connected');
      expect(client.events.connected).toBe(true);
      expect(client.session?.accessToken).not.toBe(firstToken);
    } finally {
      client.events.disconnect();
    }
  });
});

describe('client SDK: a socket refused while the database is away', () => {
  it('is told SERVICE_UNAVAILABLE with Retry-After, and comes back by itself once the database does', async () => {
    const config = testConfig();
    const proxy = await TcpProxy.before(config.DATABASE_URL, 5432);
    const api = await startApi(testConfig({ DATABASE_URL: proxy.via(config.DATABASE_URL) }));
    const client = sdkClient(api.url);
    const errors: unknown[] = [];
    client.events.on('error', (error) => errors.push(error));
    try {
      const { accessToken } = await register(client);
      await proxy.stop();

      // What the server says: the token could not be checked, come back later.
      const raw = io(api.url, { auth: { token: accessToken }, transports: ['websocket'], reconnection: false });
      const refusal = await new Promise<Error & { data?: unknown }>((resolve) => raw.once('connect_error', resolve));
      raw.close();
      expect(refusal.message).toBe('SERVICE_UNAVAILABLE');
      expect(refusal.data).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.any(String), retryAfter: 5 });

      // What the SDK does: it says it will try again, waits, and does, without reporting an error.
      const retrying = client.events.once('retrying');
      const connected = client.events.once('connected');
      client.events.connect();
      const { inMs } = await retrying;
      expect(inMs).toBeGreaterThanOrEqual(5000);
      expect(inMs).toBeLessThanOrEqual(10000);
      await proxy.start();
      await connected;
      expect(client.events.connected).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      client.events.disconnect();
      await api.close();
      await proxy.stop();
    }
  });

  it('comes back by itself when its token could not be refreshed for a while (database away)', async () => {
    const config = testConfig();
    const proxy = await TcpProxy.before(config.DATABASE_URL, 5432);
    const api = await startApi(testConfig({ DATABASE_URL: proxy.via(config.DATABASE_URL) }));
    const signedIn = sdkClient(api.url);
    await register(signedIn);
    // The same login with its access token expired: the next handshake needs a refresh first.
    const client = sdkClient(api.url, { session: { ...signedIn.session!, accessExpiresAt: 0 } });
    try {
      await proxy.stop();
      const retrying = client.events.once('retrying');
      const connected = client.events.once('connected');
      client.events.connect();
      // The refresh is answered 503: the session is kept, and the socket tries again later.
      const { code, inMs } = await retrying;
      expect(code).toBe('SERVICE_UNAVAILABLE');
      expect(inMs).toBeGreaterThanOrEqual(1000);
      expect(client.session).not.toBeNull();
      await proxy.start();
      await connected;
      expect(client.events.connected).toBe(true);
      expect(client.session?.accessToken).not.toBe(signedIn.session?.accessToken);
    } finally {
      client.events.disconnect();
      await api.close();
      await proxy.stop();
    }
  });
});
