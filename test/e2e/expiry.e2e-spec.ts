import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { sql } from 'kysely';
import { AppConfig } from '@app/config';
import { DatabaseService } from '@app/database';
import { jobIds, QueueProducer } from '@app/queue';
import { RedisService } from '@app/redis';
import { S3Storage } from '@app/storage';
import { mediaSamplesDir } from '../fixtures/samples';
import { startApi, startWorker } from '../support/api';
import { testConfig } from '../support/config';
import { befriend, client, registerUser, TestUser } from '../support/http';
import { settled, uploadMultipart } from '../support/media';
import { pollUntil } from '../support/poll';
import { freePort, PrivateS3Server, startProcess, WORKER_MAIN } from '../support/processes';

const photo = join(mediaSamplesDir(), 'photo-tiny.jpg');
const FAST = { SNAP_TTL_SECONDS: '4', VIEW_GRACE_SECONDS: '1', SWEEP_INTERVAL_SECONDS: '2' };

/** The samples of a Prometheus text page, by name and labels. */
async function metricValues(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) values[match[1]] = Number(match[2]);
  }
  return values;
}

interface SentSnap {
  id: string;
  mediaKey: string;
}

/** An API (and optionally a worker) for one test, with its users befriended. */
async function world(overrides: Record<string, string>, withWorker: boolean) {
  const config = testConfig({ ...FAST, ...overrides });
  const api = await startApi(config);
  const worker = withWorker ? await startWorker(config) : undefined;
  const call = client(api.url);
  const [alice, bob, carol] = [await registerUser(call), await registerUser(call), await registerUser(call)];
  await befriend(call, alice, bob);
  await befriend(call, alice, carol);
  const db = api.app.get(DatabaseService).db;
  const storage = api.app.get(S3Storage);

  const readyMedia = async () => {
    const up = await uploadMultipart(api.url, alice.accessToken, photo);
    expect((await settled(call, alice.accessToken, up.body.id)).status).toBe('ready');
    return up.body.id as string;
  };
  const send = async (recipients: TestUser[], viewSeconds = 1): Promise<SentSnap> => {
    const mediaId = await readyMedia();
    const { media_key } = await db
      .selectFrom('media')
      .select('media_key')
      .where('id', '=', mediaId)
      .executeTakeFirstOrThrow();
    const res = await call('POST', '/v1/snaps', {
      token: alice.accessToken,
      body: { mediaId, recipientIds: recipients.map((r) => r.id), viewSeconds, caption: 'secret words' },
    });
    expect(res.status).toBe(201);
    return { id: res.body.id, mediaKey: media_key! };
  };
  /** Sends a snap on a photo just uploaded, still processing (before any worker took it). */
  const sendUnprocessed = async (recipients: TestUser[]) => {
    const upload = await uploadMultipart(api.url, alice.accessToken, photo);
    expect(upload.body).toMatchObject({ status: 'processing' });
    const sent = await call('POST', '/v1/snaps', {
      token: alice.accessToken,
      body: { mediaId: upload.body.id, recipientIds: recipients.map((r) => r.id) },
    });
    expect(sent.status).toBe(201);
    return { mediaId: upload.body.id as string, snapId: sent.body.id as string };
  };
  /** Polls until the snap is in the user's inbox. */
  const delivered = (user: TestUser, snapId: string) =>
    pollUntil(
      () => call('GET', '/v1/snaps/inbox', { token: user.accessToken }),
      (res) => (res.body.items as { id: string }[]).some((item) => item.id === snapId),
      { what: "the snap in the recipient's inbox" },
    );
  const deadline = async (snapId: string) =>
    (await db.selectFrom('snaps').select('purge_after').where('id', '=', snapId).executeTakeFirstOrThrow()).purge_after;
  /** Polls storage until the object is gone; returns when it went. */
  const goneAt = async (key: string, timeoutMs = 20000) => {
    await pollUntil(
      () => storage.head(key),
      (head) => head === null,
      { timeoutMs, intervalMs: 50, what: `${key} gone` },
    );
    return Date.now();
  };
  /** Everything a purge must leave behind: no object, no media row, no caption, purged_at set. */
  const expectPurged = async (snap: SentSnap) => {
    expect(await storage.head(snap.mediaKey)).toBeNull();
    const row = await db
      .selectFrom('snaps')
      .select(['caption', 'media_id', 'purged_at'])
      .where('id', '=', snap.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ caption: null, media_id: null, purged_at: expect.any(Date) });
  };
  const close = async () => {
    await worker?.close();
    await api.close();
  };
  return {
    config,
    api,
    call,
    alice,
    bob,
    carol,
    db,
    storage,
    send,
    sendUnprocessed,
    delivered,
    deadline,
    goneAt,
    expectPurged,
    close,
  };
}

describe('the expiry engine', () => {
  it('purges a viewed snap within 2 s of the last access end, not before', async () => {
    const w = await world({ SNAP_TTL_SECONDS: '60' }, true);
    try {
      const snap = await w.send([w.bob, w.carol]);
      for (const user of [w.bob, w.carol]) {
        expect((await w.call('POST', `/v1/snaps/${snap.id}/open`, { token: user.accessToken })).status).toBe(200);
      }
      const lastAccessEnd = (await w.deadline(snap.id)).getTime();
      const opened = await w.db
        .selectFrom('snap_recipients')
        .select(sql<Date>`max(opened_at)`.as('last'))
        .where('snap_id', '=', snap.id)
        .executeTakeFirstOrThrow();
      // viewSeconds 1 + grace 1.
      expect(lastAccessEnd - opened.last.getTime()).toBe(2000);
      const gone = await w.goneAt(snap.mediaKey);
      expect(gone).toBeGreaterThanOrEqual(lastAccessEnd - 50);
      expect(gone - lastAccessEnd).toBeLessThanOrEqual(2000);
      await pollUntil(
        () => w.db.selectFrom('snaps').select('purged_at').where('id', '=', snap.id).executeTakeFirstOrThrow(),
        (row) => row.purged_at !== null,
        { what: 'purged_at' },
      );
      await w.expectPurged(snap);
    } finally {
      await w.close();
    }
  });

  it('purges an unviewed snap within 2 s of expiresAt, not before', async () => {
    const w = await world({}, true);
    try {
      const snap = await w.send([w.bob]);
      const expiresAt = (await w.deadline(snap.id)).getTime();
      const gone = await w.goneAt(snap.mediaKey);
      expect(gone).toBeGreaterThanOrEqual(expiresAt - 50);
      expect(gone - expiresAt).toBeLessThanOrEqual(2000);
      await pollUntil(() => w.expectPurged(snap).then(() => true), Boolean, { what: 'purged' });
      const states = await w.db.selectFrom('snap_recipients').select('state').where('snap_id', '=', snap.id).execute();
      expect(states).toEqual([{ state: 'expired' }]);
      // Measured, not hoped for: the lag shows at /metrics.
      const row = await w.db
        .selectFrom('snaps')
        .select(sql<number>`extract(epoch from purged_at - purge_after)`.as('lag'))
        .where('id', '=', snap.id)
        .executeTakeFirstOrThrow();
      expect(Number(row.lag)).toBeLessThanOrEqual(2);
      const metrics = await metricValues(w.api.url);
      // The window holds every recent purge of this database, this one among them.
      expect(metrics['ephemera_purge_lag_seconds{quantile="1"}']).toBeGreaterThanOrEqual(Number(row.lag));
      expect(metrics.ephemera_purges_per_second).toBeGreaterThan(0);
      expect(metrics).toHaveProperty(['ephemera_purges_overdue']);
    } finally {
      await w.close();
    }
  });

  it('keeps a partly viewed snap until its expiresAt', async () => {
    const w = await world({}, true);
    try {
      const snap = await w.send([w.bob, w.carol]);
      const expiresAt = (await w.deadline(snap.id)).getTime();
      expect((await w.call('POST', `/v1/snaps/${snap.id}/open`, { token: w.bob.accessToken })).status).toBe(200);
      expect((await w.deadline(snap.id)).getTime()).toBe(expiresAt);
      const gone = await w.goneAt(snap.mediaKey);
      expect(gone).toBeGreaterThanOrEqual(expiresAt - 50);
      expect(gone - expiresAt).toBeLessThanOrEqual(2000);
    } finally {
      await w.close();
    }
  });

  it('replays an open (same Idempotency-Key) only while its URLs are valid', async () => {
    const w = await world({ SNAP_TTL_SECONDS: '60' }, true);
    try {
      const snap = await w.send([w.bob], 2);
      const open = () =>
        w.call('POST', `/v1/snaps/${snap.id}/open`, {
          token: w.bob.accessToken,
          headers: { 'idempotency-key': `open-${snap.id}` },
        });
      const first = await open();
      expect(first.status).toBe(200);
      const validUntil = Date.parse(first.body.media.expiresAt);
      expect((await open()).body).toEqual(first.body);
      // Past the URLs' life (2 s view + 1 s grace), a repeat gets no answer carrying them.
      await pollUntil(
        async () => Date.now(),
        (now) => now > validUntil + 1000,
        { timeoutMs: 10000, intervalMs: 200 },
      );
      const late = await open();
      expect(late.status).toBe(410);
      expect(late.headers.get('idempotent-replayed')).toBeNull();
    } finally {
      await w.close();
    }
  });

  it('purges a withdrawn snap at once', async () => {
    const w = await world({ SNAP_TTL_SECONDS: '60' }, true);
    try {
      const snap = await w.send([w.bob]);
      const withdrawn = Date.now();
      expect((await w.call('DELETE', `/v1/snaps/${snap.id}`, { token: w.alice.accessToken })).status).toBe(204);
      expect((await w.goneAt(snap.mediaKey)) - withdrawn).toBeLessThanOrEqual(2000);
    } finally {
      await w.close();
    }
  });

  it('answers an open or a withdrawal of a due snap at once while a purge holds it', async () => {
    // Neither the purge job nor the sweep comes in time: the test's own transaction stands for a
    // purge holding the snap while storage deletes.
    const w = await world({ SNAP_TTL_SECONDS: '60', SWEEP_INTERVAL_SECONDS: '300' }, true);
    try {
      const snap = await w.send([w.bob]);
      await w.db
        .updateTable('snaps')
        .set({
          expires_at: sql<Date>`now() - interval '1 second'`,
          purge_after: sql<Date>`now() - interval '1 second'`,
        })
        .where('id', '=', snap.id)
        .execute();
      const within = <T>(promise: Promise<T>) =>
        Promise.race([promise, new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 3000))]);
      const [open, withdraw] = await w.db.transaction().execute(async (trx) => {
        await trx.selectFrom('snaps').select('id').where('id', '=', snap.id).forUpdate().execute();
        return Promise.all([
          within(w.call('POST', `/v1/snaps/${snap.id}/open`, { token: w.bob.accessToken })),
          within(w.call('DELETE', `/v1/snaps/${snap.id}`, { token: w.alice.accessToken })),
        ]);
      });
      expect(open === 'waited' ? open : [open.status, open.body.error.code]).toEqual([410, 'SNAP_EXPIRED']);
      expect(withdraw === 'waited' ? withdraw : withdraw.status).toBe(204);
    } finally {
      await w.close();
    }
  });

  it('purges an original put back through its presigned URL after processing deleted it', async () => {
    const w = await world({ SNAP_TTL_SECONDS: '60' }, true);
    try {
      const bytes = await readFile(photo);
      const created = await w.call('POST', '/v1/media/uploads', {
        token: w.alice.accessToken,
        body: { contentType: 'image/jpeg', size: bytes.length },
      });
      expect(created.status).toBe(201);
      const put = () => fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: bytes });
      expect((await put()).status).toBe(200);
      const mediaId = created.body.id as string;
      expect(
        (await w.call('POST', `/v1/media/uploads/${mediaId}/complete`, { token: w.alice.accessToken })).status,
      ).toBe(202);
      const row = await pollUntil(
        () => w.db.selectFrom('media').selectAll().where('id', '=', mediaId).executeTakeFirstOrThrow(),
        (r) => r.upload_deleted_at !== null,
        { what: 'original deleted after processing' },
      );
      expect(await w.storage.head(row.upload_key)).toBeNull();
      // The URL is still valid: the uploader puts the original back.
      expect((await put()).status).toBe(200);
      expect(await w.storage.head(row.upload_key)).not.toBeNull();
      const sent = await w.call('POST', '/v1/snaps', {
        token: w.alice.accessToken,
        body: { mediaId, recipientIds: [w.bob.id] },
      });
      expect(sent.status).toBe(201);
      expect((await w.call('DELETE', `/v1/snaps/${sent.body.id}`, { token: w.alice.accessToken })).status).toBe(204);
      await w.goneAt(row.media_key!);
      await w.goneAt(row.upload_key);
    } finally {
      await w.close();
    }
  });

  it('delays a purge job that runs before its deadline to the deadline, instead of leaving it to the sweep', async () => {
    // A sweep far off: only the purge job itself can purge the snap on time.
    const w = await world({ SNAP_TTL_SECONDS: '5', SWEEP_INTERVAL_SECONDS: '300' }, true);
    try {
      const snap = await w.send([w.bob]);
      const expiresAt = (await w.deadline(snap.id)).getTime();
      // As if the host that scheduled it ran seconds ahead: the job becomes due now.
      const purges = w.api.app.get(QueueProducer).queue('expiry');
      await (await purges.getJob(jobIds.purge(snap.id)))!.changeDelay(0);
      const ranEarly = await pollUntil(
        async () => {
          const job = await purges.getJob(jobIds.purge(snap.id));
          return { ran: job?.processedOn !== undefined, state: await purges.getJobState(jobIds.purge(snap.id)) };
        },
        (seen) => seen.ran && seen.state !== 'active' && seen.state !== 'waiting',
        { what: 'the early run of the purge job' },
      );
      expect(ranEarly.state).toBe('delayed');
      expect(await w.storage.head(snap.mediaKey)).not.toBeNull();
      const gone = await w.goneAt(snap.mediaKey);
      expect(gone).toBeGreaterThanOrEqual(expiresAt - 50);
      expect(gone - expiresAt).toBeLessThanOrEqual(2000);
      await pollUntil(() => w.expectPurged(snap).then(() => true), Boolean, { what: 'purged' });
    } finally {
      await w.close();
    }
  });

  it('sweeps on time while the purge queue is held up', async () => {
    const w = await world({}, true);
    const purges = w.api.app.get(QueueProducer).queue('expiry');
    try {
      // No purge job runs: only the sweep, on its own queue, can purge the snap.
      await purges.pause();
      const findingsBefore = (await metricValues(w.api.url)).ephemera_sweep_findings_total ?? 0;
      const snap = await w.send([w.bob]);
      const expiresAt = (await w.deadline(snap.id)).getTime();
      const gone = await w.goneAt(snap.mediaKey);
      // The sweep's grace (1 s) plus its interval (2 s) plus a margin.
      expect(gone - expiresAt).toBeLessThanOrEqual(4000);
      await pollUntil(() => w.expectPurged(snap).then(() => true), Boolean, { what: 'purged' });
      expect((await metricValues(w.api.url)).ephemera_sweep_findings_total).toBeGreaterThan(findingsBefore);
    } finally {
      await purges.resume();
      await w.close();
    }
  });

  it('deletes content-free receipts after the retention, and keeps recent ones', async () => {
    const w = await world({ SNAP_TTL_SECONDS: '60' }, true);
    try {
      const [old, recent] = [await w.send([w.bob]), await w.send([w.carol])];
      for (const snap of [old, recent]) {
        expect((await w.call('DELETE', `/v1/snaps/${snap.id}`, { token: w.alice.accessToken })).status).toBe(204);
        await pollUntil(() => w.expectPurged(snap).then(() => true), Boolean, { what: 'purged' });
      }
      await w.db
        .updateTable('snaps')
        .set({ purged_at: sql<Date>`now() - interval '31 days'` })
        .where('id', '=', old.id)
        .execute();
      const exists = (id: string) => w.db.selectFrom('snaps').select('id').where('id', '=', id).executeTakeFirst();
      await pollUntil(
        () => exists(old.id),
        (row) => row === undefined,
        { what: 'old receipt deleted' },
      );
      expect(await exists(recent.id)).toEqual({ id: recent.id });
      const deliveries = await w.db
        .selectFrom('snap_recipients')
        .select('state')
        .where('snap_id', '=', old.id)
        .execute();
      expect(deliveries).toEqual([]);
    } finally {
      await w.close();
    }
  });

  it('reconciles storage: objects no media row names are deleted, live ones kept', async () => {
    const w = await world({ SNAP_TTL_SECONDS: '600', RECONCILE_GRACE_SECONDS: '0' }, true);
    try {
      const live = await w.send([w.bob]);
      // An original put back under its media row's upload key after processing deleted it counts as an orphan too.
      const { upload_key: putBack } = await w.db
        .selectFrom('media')
        .innerJoin('snaps', 'snaps.media_id', 'media.id')
        .select('media.upload_key')
        .where('snaps.id', '=', live.id)
        .executeTakeFirstOrThrow();
      const orphans = [`media/${randomUUID()}`, `uploads/${randomUUID()}`, putBack];
      for (const key of orphans) await w.storage.put(key, Buffer.from('left behind'), 'image/jpeg');
      await w.api.app.get(QueueProducer).enqueue('storage.reconcile', {});
      for (const key of orphans) {
        await pollUntil(
          () => w.storage.head(key),
          (head) => head === null,
          { timeoutMs: 50000, what: `${key} reconciled` },
        );
      }
      expect(await w.storage.head(live.mediaKey)).not.toBeNull();
    } finally {
      await w.close();
    }
  });

  it('purges everything after Redis loses its data (FLUSHALL) with purge jobs pending', async () => {
    const w = await world({}, true);
    try {
      const live = await world({ SNAP_TTL_SECONDS: '600' }, false);
      const liveSnap = await live.send([live.bob]);
      const snaps = [await w.send([w.bob]), await w.send([w.carol]), await w.send([w.bob, w.carol])];
      await w.api.app.get(RedisService).client.flushall();
      const expiresAt = Math.max(...(await Promise.all(snaps.map((s) => w.deadline(s.id)))).map((d) => d.getTime()));
      for (const snap of snaps) {
        const gone = await w.goneAt(snap.mediaKey);
        // The sweep interval (2 s) plus its re-registration (one interval) plus a margin.
        expect(gone - expiresAt).toBeLessThanOrEqual(6000);
      }
      for (const snap of snaps) await pollUntil(() => w.expectPurged(snap).then(() => true), Boolean);
      expect(await live.storage.head(liveSnap.mediaKey)).not.toBeNull();
      // The jobs were lost with Redis: the sweep found the snaps, and says so.
      expect((await metricValues(w.api.url)).ephemera_sweep_findings_total).toBeGreaterThanOrEqual(snaps.length);
      await live.close();
    } finally {
      await w.close();
    }
  });

  it('processes media whose job Redis lost (FLUSHALL), and delivers the snap waiting for it', async () => {
    // No worker yet: the upload's processing job waits in Redis when Redis loses it.
    const w = await world({ SNAP_TTL_SECONDS: '600', PROCESSING_CHECK_SECONDS: '1' }, false);
    let worker: INestApplicationContext | undefined;
    try {
      const { mediaId, snapId } = await w.sendUnprocessed([w.bob]);
      await w.api.app.get(RedisService).client.flushall();
      const findingsBefore = (await metricValues(w.api.url)).ephemera_sweep_findings_total ?? 0;

      worker = await startWorker(w.config);
      expect((await settled(w.call, w.alice.accessToken, mediaId)).status).toBe('ready');
      await w.delivered(w.bob, snapId);
      // The job was gone: the sweep found the media, and says so.
      expect((await metricValues(w.api.url)).ephemera_sweep_findings_total).toBeGreaterThan(findingsBefore);
    } finally {
      await worker?.close();
      await w.close();
    }
  });

  it('processes media whose job ran out of attempts while storage was away, once storage is back', async () => {
    const base = testConfig();
    const s3 = new PrivateS3Server(await freePort(), base.S3_ACCESS_KEY_ID, base.S3_SECRET_ACCESS_KEY);
    s3.start();
    const w = await world(
      {
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: 'processing-outage-test',
        SNAP_TTL_SECONDS: '600',
        PROCESSING_CHECK_SECONDS: '1',
      },
      false,
    );
    let worker: INestApplicationContext | undefined;
    try {
      await pollUntil(() => w.storage.ensureBucket().then(() => true), Boolean, { what: 'private S3 up' });
      const { mediaId, snapId } = await w.sendUnprocessed([w.bob]);

      // Storage goes away before the worker can read the upload; the job's five attempts
      // (2 + 4 + 8 + 16 s of backoff) all fail during the outage.
      await s3.stop();
      worker = await startWorker(w.config);
      const jobs = w.api.app.get(QueueProducer).queue('media');
      await pollUntil(
        () => jobs.getJobState(jobIds.process(mediaId)),
        (state) => state === 'failed',
        { timeoutMs: 60000, intervalMs: 100, what: 'the processing job to run out of attempts' },
      );
      const during = await w.call('GET', `/v1/media/${mediaId}`, { token: w.alice.accessToken });
      expect(during.body).toMatchObject({ status: 'processing' });

      // Back: the sweep retries the failed job, the media becomes ready and the snap is delivered.
      s3.start();
      expect((await settled(w.call, w.alice.accessToken, mediaId, 30000)).status).toBe('ready');
      await w.delivered(w.bob, snapId);
    } finally {
      await worker?.close();
      await w.close();
      await s3.stop();
    }
    // About 30 s of the job's backoff during the outage: more than the suite's default.
  }, 120_000);

  it('purges everything after the worker is killed (SIGKILL) in the middle of purges', async () => {
    // Deadlines far enough out that every snap is sent before the first one is due.
    const w = await world({ SNAP_TTL_SECONDS: '8' }, false);
    const env = { ...FAST, LOG_LEVEL: 'info' };
    const first = startProcess(WORKER_MAIN, env);
    try {
      await pollUntil(
        async () => first.output(),
        (out) => out.includes('worker started'),
        { what: 'worker start' },
      );
      const live = await world({ SNAP_TTL_SECONDS: '600' }, false);
      const liveSnap = await live.send([live.bob]);
      const snaps: SentSnap[] = [];
      for (let i = 0; i < 12; i++) snaps.push(await w.send([i % 2 ? w.bob : w.carol]));
      // Kill it as soon as purging has started.
      await pollUntil(
        async () => first.output(),
        (out) => out.includes('snaps purged'),
        { timeoutMs: 20000, intervalMs: 10, what: 'first purge' },
      );
      await first.stop('SIGKILL');
      const second = startProcess(WORKER_MAIN, env);
      try {
        const restarted = Date.now();
        for (const snap of snaps) await w.goneAt(snap.mediaKey, 15000);
        expect(Date.now() - restarted).toBeLessThan(15000);
        for (const snap of snaps) await pollUntil(() => w.expectPurged(snap).then(() => true), Boolean);
        expect(await live.storage.head(liveSnap.mediaKey)).not.toBeNull();
      } finally {
        await second.stop();
        await live.close();
      }
    } finally {
      await first.stop('SIGKILL');
      await w.close();
    }
  });

  it('purges everything once storage comes back after a 20 s outage across the deadlines', async () => {
    const base = testConfig();
    const s3 = new PrivateS3Server(await freePort(), base.S3_ACCESS_KEY_ID, base.S3_SECRET_ACCESS_KEY);
    s3.start();
    const s3Overrides = { S3_ENDPOINT: s3.endpoint, S3_BUCKET: 'outage-test' };
    const shortConfig: AppConfig = testConfig({ ...FAST, ...s3Overrides });
    const w = await world(s3Overrides, false);
    let worker: INestApplicationContext | undefined;
    try {
      await pollUntil(() => w.storage.ensureBucket().then(() => true), Boolean, { what: 'private S3 up' });
      worker = await startWorker(shortConfig);
      const live = await world({ ...s3Overrides, SNAP_TTL_SECONDS: '600' }, false);
      const liveSnap = await live.send([live.bob]);
      const snaps = [await w.send([w.bob]), await w.send([w.carol])];

      await s3.stop();
      const outageEnds = Date.now() + 20000;
      // Deadlines pass while storage is away; nothing can be deleted, nothing is marked purged.
      await pollUntil(
        async () => Date.now(),
        (now) => now >= outageEnds,
        { timeoutMs: 25000, intervalMs: 500 },
      );
      const purgedDuringOutage = await w.db
        .selectFrom('snaps')
        .select('id')
        .where(
          'id',
          'in',
          snaps.map((s) => s.id),
        )
        .where('purged_at', 'is not', null)
        .execute();
      expect(purgedDuringOutage).toEqual([]);

      s3.start();
      const back = Date.now();
      for (const snap of snaps)
        await pollUntil(() => w.expectPurged(snap).then(() => true), Boolean, { timeoutMs: 20000 });
      // Within the sweep interval plus the storage client's retries, after storage returned.
      expect(Date.now() - back).toBeLessThan(15000);
      expect(await live.storage.head(liveSnap.mediaKey)).not.toBeNull();
      await live.close();
    } finally {
      await worker?.close();
      await w.close();
      await s3.stop();
    }
    // A 20 s outage, then up to 20 s for the purges: more than the suite's default.
  }, 120_000);
});
