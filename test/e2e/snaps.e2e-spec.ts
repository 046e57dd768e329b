import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { sql } from 'kysely';
import { DatabaseService, MediaRepository, ReadyMedia, SnapsRepository } from '@app/database';
import { S3Storage } from '@app/storage';
import { mediaSamplesDir } from '../fixtures/samples';
import { startApi, startWorker, TestApi } from '../support/api';
import { testConfig } from '../support/config';
import { befriend, Call, client, registerUser, TestUser } from '../support/http';
import { settled, uploadMultipart } from '../support/media';
import { pollUntil } from '../support/poll';
import { connectSocket } from '../support/sockets';

describe('snaps: rules and bad input', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let call: Call;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  const dir = mediaSamplesDir();

  beforeAll(async () => {
    const config = testConfig();
    api = await startApi(config);
    worker = await startWorker(config);
    call = client(api.url);
    [alice, bob, carol] = [await registerUser(call), await registerUser(call), await registerUser(call)];
    await befriend(call, alice, bob);
    await befriend(call, alice, carol);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  const readyPhoto = async (user: TestUser) => {
    const res = await uploadMultipart(api.url, user.accessToken, join(dir, 'photo-tiny.jpg'));
    expect((await settled(call, user.accessToken, res.body.id)).status).toBe('ready');
    return res.body.id as string;
  };
  const send = (user: TestUser, body: unknown) => call('POST', '/v1/snaps', { token: user.accessToken, body });

  it('refuses invalid bodies with 400 naming the field', async () => {
    const mediaId = await readyPhoto(alice);
    const ok = { mediaId, recipientIds: [bob.id] };
    const many = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const cases: [string, unknown, string][] = [
      ['no recipients', { ...ok, recipientIds: [] }, 'recipientIds'],
      ['101 recipients', { ...ok, recipientIds: many }, 'recipientIds'],
      ['a duplicated recipient', { ...ok, recipientIds: [bob.id, bob.id] }, 'recipientIds'],
      ['a recipient named twice in two cases', { ...ok, recipientIds: [bob.id, bob.id.toUpperCase()] }, 'recipientIds'],
      ['a recipient that is not an id', { ...ok, recipientIds: ['bob'] }, 'recipientIds'],
      ['viewSeconds 0', { ...ok, viewSeconds: 0 }, 'viewSeconds'],
      ['viewSeconds 11', { ...ok, viewSeconds: 11 }, 'viewSeconds'],
      ['viewSeconds -1', { ...ok, viewSeconds: -1 }, 'viewSeconds'],
      ['viewSeconds 2.5', { ...ok, viewSeconds: 2.5 }, 'viewSeconds'],
      ['viewSeconds "10"', { ...ok, viewSeconds: '10' }, 'viewSeconds'],
      ['a caption over 250 characters', { ...ok, caption: 'c'.repeat(251) }, 'caption'],
      ['a caption with control characters', { ...ok, caption: 'hi\u0000there' }, 'caption'],
      ['a caption with a right-to-left override', { ...ok, caption: 'hi\u202Eereht' }, 'caption'],
      ['a caption with a zero-width space', { ...ok, caption: 'hi\u200Bthere' }, 'caption'],
      ['a missing mediaId', { recipientIds: [bob.id] }, 'mediaId'],
      ['an unknown field', { ...ok, mood: 'happy' }, 'mood'],
    ];
    for (const [name, body, field] of cases) {
      const res = await send(alice, body);
      const fields = (res.body.error?.details?.fields ?? []).map((f: { field: string }) => f.field);
      expect({ name, status: res.status, code: res.body.error?.code, named: fields.includes(field) }).toEqual({
        name,
        status: 400,
        code: 'VALIDATION_FAILED',
        named: true,
      });
    }
    // None of those used the media: it can still be sent, with an emoji sequence (zero-width joiners) in the caption.
    expect((await send(alice, { ...ok, caption: 'family \u{1F468}\u200D\u{1F469}\u200D\u{1F467}' })).status).toBe(201);
  });

  it('sends to friends only: not strangers, not blocked users, not unknown ids, not yourself', async () => {
    const stranger = await registerUser(call);
    const blocked = await registerUser(call);
    await befriend(call, alice, blocked);
    await call('POST', '/v1/blocks', { token: blocked.accessToken, body: { username: alice.username } });
    const unknown = '00000000-0000-4000-8000-000000000001';
    for (const recipientIds of [[bob.id, stranger.id], [blocked.id], [unknown]]) {
      const res = await send(alice, { mediaId: await readyPhoto(alice), recipientIds });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('NOT_FRIENDS');
    }
    const self = await send(alice, { mediaId: await readyPhoto(alice), recipientIds: [alice.id] });
    expect(self.status).toBe(400);
  });

  it("refuses media that is someone else's, already used, refused, or still uploading", async () => {
    const bobsMedia = await readyPhoto(bob);
    const notMine = await send(alice, { mediaId: bobsMedia, recipientIds: [bob.id] });
    expect(notMine.status).toBe(404);

    const mediaId = await readyPhoto(alice);
    expect((await send(alice, { mediaId, recipientIds: [bob.id] })).status).toBe(201);
    const again = await send(alice, { mediaId, recipientIds: [carol.id] });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'MEDIA_NOT_READY', details: { reason: 'used' } });

    const bad = await uploadMultipart(api.url, alice.accessToken, join(dir, 'bad-truncated.jpg'));
    await settled(call, alice.accessToken, bad.body.id);
    const failed = await send(alice, { mediaId: bad.body.id, recipientIds: [bob.id] });
    expect(failed.status).toBe(409);
    expect(failed.body.error.details.reason).toBe('failed');

    const pending = await call('POST', '/v1/media/uploads', {
      token: alice.accessToken,
      body: { contentType: 'image/jpeg', size: 1000 },
    });
    const uploading = await send(alice, { mediaId: pending.body.id, recipientIds: [bob.id] });
    expect(uploading.status).toBe(409);
    expect(uploading.body.error.details.reason).toBe('uploading');
  });

  it('tells the uploader a media was refused, and refuses to send it (409 MEDIA_NOT_READY)', async () => {
    // A snap sent while its media is still processing, then refused, is covered below, with no worker running.
    const aliceSocket = await connectSocket(api.url, alice.accessToken);
    try {
      const bad = await uploadMultipart(api.url, alice.accessToken, join(dir, 'bad-truncated.jpg'));
      await aliceSocket.next('media:failed', (e: { id: string }) => e.id === bad.body.id, 30000);
      const snap = await send(alice, { mediaId: bad.body.id, recipientIds: [bob.id] });
      expect([snap.status, snap.body.error?.code]).toEqual([409, 'MEDIA_NOT_READY']);
    } finally {
      aliceSocket.close();
    }
  });

  it("gives a video's snap the video's length as its window when longer, in every view of it", async () => {
    const bobSocket = await connectSocket(api.url, bob.accessToken);
    try {
      const upload = await uploadMultipart(api.url, alice.accessToken, join(dir, 'video-h264-5s-rot90-gps.mp4'));
      expect((await settled(call, alice.accessToken, upload.body.id)).status).toBe('ready');
      const snap = await send(alice, { mediaId: upload.body.id, recipientIds: [bob.id], viewSeconds: 2 });
      expect(snap.status).toBe(201);
      const received = await bobSocket.next('snap:received', (e: { id: string }) => e.id === snap.body.id);
      const inbox = await call('GET', '/v1/snaps/inbox', { token: bob.accessToken });
      const sent = await call('GET', '/v1/snaps/sent', { token: alice.accessToken });
      const opened = await call('POST', `/v1/snaps/${snap.body.id}/open`, { token: bob.accessToken });
      const windowOf = (items: { id: string; viewSeconds: number }[]) =>
        items.find((i) => i.id === snap.body.id)?.viewSeconds;
      expect({
        received: (received as { viewSeconds: number }).viewSeconds,
        inbox: windowOf(inbox.body.items),
        sent: windowOf(sent.body.items),
        opened: opened.body.viewSeconds,
      }).toEqual({ received: 5, inbox: 5, sent: 5, opened: 5 });
    } finally {
      bobSocket.close();
    }
  });

  it('lets only recipients open, only openers screenshot, only the sender withdraw', async () => {
    const mediaId = await readyPhoto(alice);
    const deliveries = async () =>
      Number(
        /^ephemera_delivery_latency_seconds_count (\d+)/m.exec(await (await fetch(`${api.url}/metrics`)).text())?.[1] ??
          0,
      );
    const before = await deliveries();
    const snap = (await send(alice, { mediaId, recipientIds: [bob.id], viewSeconds: 1 })).body;
    // The media was ready, so the API delivered it at once, and measured that.
    await pollUntil(deliveries, (n) => n === before + 1, { what: 'one more delivery measured' });
    const mallory = await registerUser(call);
    for (const user of [mallory, carol, alice]) {
      expect((await call('POST', `/v1/snaps/${snap.id}/open`, { token: user.accessToken })).status).toBe(404);
      expect((await call('POST', `/v1/snaps/${snap.id}/screenshot`, { token: user.accessToken })).status).toBe(404);
    }
    const early = await call('POST', `/v1/snaps/${snap.id}/screenshot`, { token: bob.accessToken });
    expect(early.status).toBe(403);
    expect((await call('DELETE', `/v1/snaps/${snap.id}`, { token: bob.accessToken })).status).toBe(404);
    expect((await call('DELETE', `/v1/snaps/${snap.id}`, { token: mallory.accessToken })).status).toBe(404);
    expect((await call('POST', '/v1/snaps/not-a-uuid/open', { token: bob.accessToken })).status).toBe(404);
    expect((await call('POST', `/v1/snaps/${snap.id}/open`, {})).status).toBe(401);
    // The recipient opens it: the URL lives no longer than their access (1 s view + the grace).
    const opened = await call('POST', `/v1/snaps/${snap.id}/open`, { token: bob.accessToken });
    expect(opened.status).toBe(200);
    const grace = testConfig().VIEW_GRACE_SECONDS;
    expect(Date.parse(opened.body.media.expiresAt) - Date.now()).toBeLessThanOrEqual((1 + grace) * 1000);
  });

  it('acts once per Idempotency-Key: a repeated send or open gets the first answer again', async () => {
    const mediaId = await readyPhoto(alice);
    const sendKey = { 'idempotency-key': randomUUID() };
    const body = { mediaId, recipientIds: [bob.id], viewSeconds: 3 };
    const first = await call('POST', '/v1/snaps', { token: alice.accessToken, body, headers: sendKey });
    expect(first.status).toBe(201);
    const again = await call('POST', '/v1/snaps', { token: alice.accessToken, body, headers: sendKey });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // Sent once: without the key, the same send is refused (the media is used).
    expect((await send(alice, body)).status).toBe(409);
    const inbox = await call('GET', '/v1/snaps/inbox', { token: bob.accessToken });
    expect((inbox.body.items as { id: string }[]).filter((item) => item.id === first.body.id)).toHaveLength(1);
    // The same key with another body is a client bug, refused rather than answered.
    const reused = await call('POST', '/v1/snaps', {
      token: alice.accessToken,
      body: { ...body, viewSeconds: 5 },
      headers: sendKey,
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // A failed request keeps nothing: repeated, it runs (and fails) again.
    const badKey = { 'idempotency-key': randomUUID() };
    for (let i = 0; i < 2; i++) {
      const invalid = await call('POST', '/v1/snaps', {
        token: alice.accessToken,
        body: { ...body, viewSeconds: 99 },
        headers: badKey,
      });
      expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    }
    const longKey = { 'idempotency-key': 'k'.repeat(256) };
    const refused = await call('POST', '/v1/snaps', { token: alice.accessToken, body, headers: longKey });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields[0].field).toBe('Idempotency-Key');

    // An open whose answer was lost: repeated with its key, the same URLs; without, 410.
    const openKey = { 'idempotency-key': randomUUID() };
    const opened = await call('POST', `/v1/snaps/${first.body.id}/open`, { token: bob.accessToken, headers: openKey });
    expect(opened.status).toBe(200);
    const reopened = await call('POST', `/v1/snaps/${first.body.id}/open`, {
      token: bob.accessToken,
      headers: openKey,
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toEqual(opened.body);
    expect((await (await fetch(reopened.body.media.url)).arrayBuffer()).byteLength).toBeGreaterThan(0);
    const plain = await call('POST', `/v1/snaps/${first.body.id}/open`, { token: bob.accessToken });
    expect(plain.body.error.code).toBe('SNAP_ALREADY_OPENED');
    // Keys belong to their user: someone else's request with the same key gets nothing of bob's.
    const stranger = await call('POST', `/v1/snaps/${first.body.id}/open`, {
      token: carol.accessToken,
      headers: openKey,
    });
    expect(stranger.status).toBe(404);
  });

  it('withdraws a snap: storage objects gone, unopenable, recipients told', async () => {
    const mediaId = await readyPhoto(alice);
    const media = (await api.app.get(MediaRepository).find(mediaId))!;
    const snap = (await send(alice, { mediaId, recipientIds: [bob.id, carol.id], caption: 'oops' })).body;
    const bobSocket = await connectSocket(api.url, bob.accessToken);
    try {
      expect((await call('DELETE', `/v1/snaps/${snap.id}`, { token: alice.accessToken })).status).toBe(204);
      // Unopenable at once; the purge follows within moments.
      const open = await call('POST', `/v1/snaps/${snap.id}/open`, { token: bob.accessToken });
      expect(open.status).toBe(410);
      expect(open.body.error.code).toBe('SNAP_EXPIRED');
      expect(await bobSocket.next('snap:expired', (e: { id: string }) => e.id === snap.id)).toEqual({ id: snap.id });
      expect(await api.app.get(S3Storage).head(media.media_key!)).toBeNull();
      expect(await api.app.get(MediaRepository).find(mediaId)).toBeUndefined();
      const inbox = await call('GET', '/v1/snaps/inbox', { token: bob.accessToken });
      expect(inbox.body.items.map((s: { id: string }) => s.id)).not.toContain(snap.id);
      const sent = await call('GET', '/v1/snaps/sent', { token: alice.accessToken });
      const receipt = sent.body.items.find((s: { id: string }) => s.id === snap.id);
      expect(receipt).toMatchObject({ purged: true });
      expect(receipt.recipients.map((r: { state: string }) => r.state)).toEqual(['expired', 'expired']);
    } finally {
      bobSocket.close();
    }
  });

  it('answers 410 SNAP_EXPIRED once a snap is past its expiry, whatever the jobs did', async () => {
    const shortApi = await startApi(testConfig({ SNAP_TTL_SECONDS: '1' }));
    try {
      const shortCall = client(shortApi.url);
      const mediaId = await readyPhoto(alice);
      const snap = await shortCall('POST', '/v1/snaps', {
        token: alice.accessToken,
        body: { mediaId, recipientIds: [bob.id] },
      });
      expect(snap.status).toBe(201);
      const before = await shortCall('GET', '/v1/snaps/inbox', { token: bob.accessToken });
      expect(before.body.items.map((s: { id: string }) => s.id)).toContain(snap.body.id);
      // Wait (without opening) until the deadline has passed: the inbox drops it.
      await pollUntil(
        () => shortCall('GET', '/v1/snaps/inbox', { token: bob.accessToken }),
        (res) => !res.body.items.some((s: { id: string }) => s.id === snap.body.id),
        { timeoutMs: 5000, what: 'snap to leave the inbox at its expiry' },
      );
      const open = await shortCall('POST', `/v1/snaps/${snap.body.id}/open`, { token: bob.accessToken });
      expect(open.status).toBe(410);
      expect(open.body.error.code).toBe('SNAP_EXPIRED');
    } finally {
      await shortApi.close();
    }
  });

  it('gives every snap expiresAt = sentAt + SNAP_TTL_SECONDS, to the millisecond', async () => {
    const ttlMs = testConfig().SNAP_TTL_SECONDS * 1000;
    const mediaIds = await Promise.all(Array.from({ length: 8 }, () => readyPhoto(alice)));
    for (const mediaId of mediaIds) {
      const sent = await send(alice, { mediaId, recipientIds: [bob.id] });
      expect(sent.status).toBe(201);
      expect(Date.parse(sent.body.expiresAt) - Date.parse(sent.body.sentAt)).toBe(ttlMs);
    }
  });

  it('pages the inbox newest first with a cursor', async () => {
    const dave = await registerUser(call);
    await befriend(call, alice, dave);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await send(alice, { mediaId: await readyPhoto(alice), recipientIds: [dave.id] })).body.id);
    }
    const first = await call('GET', '/v1/snaps/inbox?limit=2', { token: dave.accessToken });
    expect(first.body.items.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    const second = await call('GET', `/v1/snaps/inbox?limit=2&cursor=${first.body.nextCursor}`, {
      token: dave.accessToken,
    });
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });
});

describe('snaps: sent while the media is still processing', () => {
  let api: TestApi;
  let worker: INestApplicationContext | undefined;
  let call: Call;
  const dir = mediaSamplesDir();

  beforeAll(async () => {
    api = await startApi(testConfig());
    call = client(api.url);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('reach their recipients when the media is ready, and never when it is refused', async () => {
    const [alice, bob] = [await registerUser(call), await registerUser(call)];
    await befriend(call, alice, bob);
    const bobSocket = await connectSocket(api.url, bob.accessToken);
    try {
      // No worker yet: both uploads wait in the media queue, so both snaps are sent before processing.
      // The good one is a 5 s video sent with a 2 s window: the window becomes its length once known.
      const good = await uploadMultipart(api.url, alice.accessToken, join(dir, 'video-h264-5s-rot90-gps.mp4'));
      const bad = await uploadMultipart(api.url, alice.accessToken, join(dir, 'bad-truncated.jpg'));
      expect([good.status, bad.status]).toEqual([202, 202]);
      const send = (mediaId: string) =>
        call('POST', '/v1/snaps', {
          token: alice.accessToken,
          body: { mediaId, recipientIds: [bob.id], viewSeconds: 2 },
        });
      const [goodSnap, badSnap] = [await send(good.body.id), await send(bad.body.id)];
      for (const snap of [goodSnap, badSnap]) {
        expect(snap.status).toBe(201);
        expect(snap.body.recipients).toEqual([{ userId: bob.id, state: 'pending' }]);
      }
      const inboxIds = async () =>
        (await call('GET', '/v1/snaps/inbox', { token: bob.accessToken })).body.items.map((s: { id: string }) => s.id);
      expect(await inboxIds()).toEqual([]);

      worker = await startWorker(testConfig());
      await bobSocket.next('snap:received', (e: { id: string }) => e.id === goodSnap.body.id, 30000);
      const recipientState = async (snapId: string) =>
        (await call('GET', '/v1/snaps/sent', { token: alice.accessToken })).body.items.find(
          (s: { id: string }) => s.id === snapId,
        )?.recipients[0].state;
      await pollUntil(
        () => recipientState(badSnap.body.id),
        (state) => state === 'failed',
        {
          what: 'the refused media’s recipient failed',
        },
      );
      expect(await recipientState(goodSnap.body.id)).toBe('delivered');
      // Nobody can ever see the refused one: it is purged at once, not at its expiresAt.
      const purged = async (snapId: string) =>
        (await call('GET', '/v1/snaps/sent', { token: alice.accessToken })).body.items.find(
          (s: { id: string }) => s.id === snapId,
        )?.purged;
      await pollUntil(
        () => purged(badSnap.body.id),
        (p) => p === true,
        { what: 'the refused media’s snap purged' },
      );
      expect(await purged(goodSnap.body.id)).toBe(false);
      expect(await inboxIds()).toEqual([goodSnap.body.id]);
      expect(bobSocket.events.filter((e) => e.event === 'snap:received').map((e) => e.payload)).toEqual([
        expect.objectContaining({ id: goodSnap.body.id, viewSeconds: 5 }),
      ]);
      const inbox = await call('GET', '/v1/snaps/inbox', { token: bob.accessToken });
      expect(inbox.body.items).toEqual([expect.objectContaining({ id: goodSnap.body.id, viewSeconds: 5 })]);
    } finally {
      bobSocket.close();
    }
  });
});

describe('snaps: purges racing media processing, and storage refusing keys', () => {
  // No worker runs here: each test plays the worker's steps on the repositories itself, in
  // the order whose outcome it checks.
  let api: TestApi;
  let call: Call;
  let alice: TestUser;
  let bob: TestUser;
  const dir = mediaSamplesDir();
  const ready = (): ReadyMedia => ({
    kind: 'image',
    contentType: 'image/jpeg',
    mediaKey: `media/${randomUUID()}`,
    posterKey: null,
    width: 1,
    height: 1,
    durationMs: null,
    placeholder: null,
  });

  beforeAll(async () => {
    api = await startApi(testConfig());
    call = client(api.url);
    [alice, bob] = [await registerUser(call), await registerUser(call)];
    await befriend(call, alice, bob);
  });

  afterAll(async () => {
    await api?.close();
  });

  /** A snap to bob on an upload nobody processes: its recipient stays pending. */
  const pendingSnap = async () => {
    const upload = await uploadMultipart(api.url, alice.accessToken, join(dir, 'photo-tiny.jpg'));
    expect(upload.status).toBe(202);
    const snap = await call('POST', '/v1/snaps', {
      token: alice.accessToken,
      body: { mediaId: upload.body.id, recipientIds: [bob.id] },
    });
    expect(snap.body.recipients).toEqual([{ userId: bob.id, state: 'pending' }]);
    return { mediaId: upload.body.id as string, snapId: snap.body.id as string };
  };
  const purgeAfter = async (snapId: string) =>
    (
      await api.app
        .get(DatabaseService)
        .db.selectFrom('snaps')
        .select('purge_after')
        .where('id', '=', snapId)
        .executeTakeFirstOrThrow()
    ).purge_after.getTime();

  it('keeps a delivered snap when a late run of its media job fails', async () => {
    const { mediaId, snapId } = await pendingSnap();
    const snaps = api.app.get(SnapsRepository);
    expect(await api.app.get(MediaRepository).markReady(mediaId, ready())).toEqual({ attached: true });
    expect(await snaps.deliverPending(snapId)).toEqual([bob.id]);
    const deadline = await purgeAfter(snapId);
    // A second run of the job (one that stalled and came back) failing now changes nothing.
    await snaps.failPending(snapId);
    expect(await purgeAfter(snapId)).toBe(deadline);
    const sent = await call('GET', '/v1/snaps/sent', { token: alice.accessToken });
    expect(sent.body.items.find((s: { id: string }) => s.id === snapId)).toMatchObject({
      purged: false,
      recipients: [expect.objectContaining({ userId: bob.id, state: 'delivered' })],
    });
  });

  it('never delivers a snap withdrawn while its media was processing', async () => {
    const { mediaId, snapId } = await pendingSnap();
    expect((await call('DELETE', `/v1/snaps/${snapId}`, { token: alice.accessToken })).status).toBe(204);
    await api.app.get(MediaRepository).markReady(mediaId, ready());
    expect(await api.app.get(SnapsRepository).deliverPending(snapId)).toEqual([]);
    const inbox = await call('GET', '/v1/snaps/inbox', { token: bob.accessToken });
    expect(inbox.body.items.map((s: { id: string }) => s.id)).not.toContain(snapId);
  });

  it('makes media finishing during its snap’s purge wait, and then finds nothing to mark', async () => {
    const { mediaId, snapId } = await pendingSnap();
    expect((await call('DELETE', `/v1/snaps/${snapId}`, { token: alice.accessToken })).status).toBe(204);
    const { db } = api.app.get(DatabaseService);
    const waitingOnALock = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where wait_event_type = 'Lock' and query like 'update "media"%'`.execute(db)
      ).rows[0].n;
    let marking: Promise<{ attached: boolean } | null> | undefined;
    let seen: string | undefined;
    const purged = await api.app
      .get(SnapsRepository)
      .purgeDue({ ids: [snapId], limit: 1, wait: true }, async (keys) => {
        await api.app.get(S3Storage).deleteAll(keys);
        // The worker marks the media ready between the purge's reading of its keys and its end.
        marking = api.app.get(MediaRepository).markReady(mediaId, ready());
        seen = await Promise.race([
          marking.then(() => 'marked while the purge held the snap'),
          pollUntil(waitingOnALock, (n) => n > 0, { what: 'the mark waiting for the purge' }).then(() => 'waiting'),
        ]);
        return [];
      });
    expect(purged.map((p) => p.id)).toEqual([snapId]);
    expect(seen).toBe('waiting');
    // Its row is gone with the snap: the worker learns it has nothing to mark and drops its copies.
    expect(await marking).toBeNull();
    expect(await api.app.get(MediaRepository).find(mediaId)).toBeUndefined();
  });

  it('purges the rest of a batch when storage keeps one snap’s object, which stays due', async () => {
    const [kept, gone] = [await pendingSnap(), await pendingSnap()];
    for (const { snapId } of [kept, gone]) {
      expect((await call('DELETE', `/v1/snaps/${snapId}`, { token: alice.accessToken })).status).toBe(204);
    }
    const media = api.app.get(MediaRepository);
    const keptKey = (await media.find(kept.mediaId))!.upload_key;
    const purged = await api.app
      .get(SnapsRepository)
      .purgeDue({ ids: [kept.snapId, gone.snapId], limit: 2, wait: true }, async (keys) => {
        expect(keys).toContain(keptKey);
        await api.app.get(S3Storage).deleteAll(keys.filter((key) => key !== keptKey));
        return [keptKey];
      });
    expect(purged.map((p) => p.id)).toEqual([gone.snapId]);
    expect(await media.find(gone.mediaId)).toBeUndefined();
    // The kept one is untouched: its media row still names the object, and it is still due.
    expect((await media.find(kept.mediaId))?.upload_key).toBe(keptKey);
    const again = await api.app
      .get(SnapsRepository)
      .purgeDue({ ids: [kept.snapId], limit: 1, wait: true }, async (keys) => {
        expect(keys).toEqual([keptKey]);
        await api.app.get(S3Storage).deleteAll(keys);
        return [];
      });
    expect(again.map((p) => p.id)).toEqual([kept.snapId]);
  });
});
