import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetBucketLifecycleConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { Test } from '@nestjs/testing';
import { Worker } from 'bullmq';
import { sql } from 'kysely';
import { AppConfig, ConfigModule } from '@app/config';
import { DatabaseService } from '@app/database';
import { LoggerModule, ObservabilityModule } from '@app/observability';
import { HandlerRegistryError, QueueModule, QueueProducer, WorkerHostModule } from '@app/queue';
import { RedisModule, RedisService } from '@app/redis';
import { S3Storage, StorageModule } from '@app/storage';
import { startApi, startWorker, TestApi } from '../support/api';
import { testConfig } from '../support/config';
import { mediaSampleSets } from '../fixtures/samples';
import { client, readJson, registerUser } from '../support/http';
import { uploadMultipart } from '../support/media';
import { pollUntil } from '../support/poll';
import { API_MAIN, freePort, PrivateS3Server, startProcess, WORKER_MAIN } from '../support/processes';
import { TcpProxy } from '../support/tcp-proxy';

describe('foundation (real PostgreSQL, Redis and S3)', () => {
  let config: AppConfig;
  let api: TestApi;
  let storage: S3Storage;
  let redis: RedisService;
  let database: DatabaseService;

  beforeAll(async () => {
    config = testConfig();
    api = await startApi(config);
    storage = api.app.get(S3Storage);
    redis = api.app.get(RedisService);
    database = api.app.get(DatabaseService);
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('the services are real', () => {
    it('PostgreSQL answers and the migrations table exists', async () => {
      const version = await sql<{ version: string }>`select version()`.execute(database.db);
      expect(version.rows[0].version).toMatch(/^PostgreSQL \d+/);
      const table = await sql<{ name: string | null }>`select to_regclass('public.pgmigrations')::text as name`.execute(
        database.db,
      );
      expect(table.rows[0].name).toBe('pgmigrations');
    });

    it('PostgreSQL ends sessions left idle in a transaction, and probes idle peers', async () => {
      // In their base units: milliseconds and seconds.
      const setting = async (name: string) =>
        (await sql<{ setting: string }>`select setting from pg_settings where name = ${name}`.execute(database.db))
          .rows[0].setting;
      const timeoutMs = Math.max(60_000, 4 * testConfig().S3_TIMEOUT_MS);
      expect(await setting('idle_in_transaction_session_timeout')).toBe(String(timeoutMs));
      expect(await setting('tcp_keepalives_idle')).toBe('60');
    });

    it('Redis answers and is configured as BullMQ asks', async () => {
      const info = await redis.client.info('server');
      expect(info).toMatch(/redis_version:\d+/);
      expect(await redis.client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    });

    it('the S3 server enforces signatures: an unsigned request is refused', async () => {
      const res = await fetch(`${config.S3_ENDPOINT}/${config.S3_BUCKET}/anything`);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    });

    it('the S3 server is MinIO, and the bucket carries the lifecycle backstop rules', async () => {
      expect((await fetch(`${config.S3_ENDPOINT}/minio/health/live`)).status).toBe(200);
      const s3 = new S3Client({
        endpoint: config.S3_ENDPOINT,
        region: config.S3_REGION,
        forcePathStyle: true,
        credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
      });
      try {
        const { Rules } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: config.S3_BUCKET }));
        const byId = new Map((Rules ?? []).map((rule) => [rule.ID, rule]));
        // MinIO keeps no AbortIncompleteMultipartUpload (it drops stale multipart uploads itself
        // after 24 h); AWS does. The upload-expiry job aborts them after an hour either way.
        expect(byId.get('uploads-1-day')).toMatchObject({ Status: 'Enabled', Expiration: { Days: 1 } });
        expect(byId.get('everything-2-days')).toMatchObject({ Status: 'Enabled', Expiration: { Days: 2 } });
      } finally {
        s3.destroy();
      }
    });
  });

  describe('storage lib', () => {
    it('streams an object in and reads it back', async () => {
      const key = `test/${randomUUID()}`;
      const body = randomBytes(3 * 1024 * 1024 + 17);
      await storage.upload(
        key,
        Readable.from([body.subarray(0, 1000), body.subarray(1000)]),
        'application/octet-stream',
      );
      expect(await storage.head(key)).toEqual({ size: body.length, contentType: 'application/octet-stream' });
      expect((await storage.readBytes(key)).equals(body)).toBe(true);
      expect(await storage.readBytes(key, { start: 0, end: 9 })).toEqual(body.subarray(0, 10));
      await storage.deleteMany([key]);
      expect(await storage.head(key)).toBeNull();
    });

    it('issues presigned PUT URLs bound to type and size, and presigned GET URLs', async () => {
      const key = `test/${randomUUID()}`;
      const body = randomBytes(2048);
      const putUrl = await storage.presignPut(key, {
        contentType: 'image/jpeg',
        contentLength: body.length,
        expiresIn: 60,
      });

      const wrongType = await fetch(putUrl, { method: 'PUT', body, headers: { 'content-type': 'image/png' } });
      expect(wrongType.status).toBe(403);
      const wrongSize = await fetch(putUrl, {
        method: 'PUT',
        body: body.subarray(0, 100),
        headers: { 'content-type': 'image/jpeg' },
      });
      expect(wrongSize.status).toBeGreaterThanOrEqual(400);
      expect(await storage.head(key)).toBeNull();

      const ok = await fetch(putUrl, { method: 'PUT', body, headers: { 'content-type': 'image/jpeg' } });
      expect(ok.status).toBe(200);

      const getUrl = await storage.presignGet(key, { expiresIn: 60 });
      const got = await fetch(getUrl);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);
      await storage.deleteMany([key]);
    });

    it('runs a multipart upload through presigned part URLs, listing what arrived', async () => {
      const key = `test/${randomUUID()}`;
      const partSize = 5 * 1024 * 1024;
      const body = randomBytes(partSize * 2 + 1234);
      const uploadId = await storage.createMultipart(key, 'video/mp4');
      const parts = [body.subarray(0, partSize), body.subarray(partSize, 2 * partSize), body.subarray(2 * partSize)];
      for (const [i, part] of parts.entries()) {
        const url = await storage.presignPart(key, uploadId, i + 1, { contentLength: part.length, expiresIn: 60 });
        // Each URL takes exactly its part's length: storage refuses (or cuts off) a longer body.
        const refused = await fetch(url, { method: 'PUT', body: Buffer.concat([part, Buffer.alloc(1)]) }).then(
          (r) => r.status >= 400,
          () => true, // cut off mid-body
        );
        expect(refused).toBe(true);
        const res = await fetch(url, { method: 'PUT', body: part });
        expect(res.status).toBe(200);
      }
      const listed = (await storage.listParts(key, uploadId)) ?? [];
      expect(listed.map((p) => [p.partNumber, p.size])).toEqual(parts.map((part, i) => [i + 1, part.length]));
      await storage.completeMultipart(key, uploadId, listed);
      expect((await storage.head(key))?.size).toBe(body.length);
      // Once completed, the upload is over: listing its parts says so instead of failing.
      expect(await storage.listParts(key, uploadId)).toBeNull();
      await storage.deleteMany([key]);
    });

    it('aborts a multipart upload', async () => {
      const key = `test/${randomUUID()}`;
      const uploadId = await storage.createMultipart(key, 'video/mp4');
      await storage.abortMultipart(key, uploadId);
      expect(await storage.listParts(key, uploadId)).toBeNull();
      await storage.abortMultipart(key, uploadId); // idempotent
    });

    it('deletes more than 1000 objects in batches and lists by prefix', async () => {
      const prefix = `test/batch-${randomUUID()}/`;
      const keys = Array.from({ length: 1001 }, (_, i) => `${prefix}${i}`);
      for (let i = 0; i < keys.length; i += 50) {
        await Promise.all(keys.slice(i, i + 50).map((key) => storage.put(key, Buffer.from('x'), 'text/plain')));
      }
      const listed: string[] = [];
      for await (const object of storage.list(prefix)) listed.push(object.key);
      expect(listed.sort()).toEqual([...keys].sort());

      const result = await storage.deleteMany(keys);
      expect(result).toEqual({ deleted: 1001, failed: [] });
      const left: string[] = [];
      for await (const object of storage.list(prefix)) left.push(object.key);
      expect(left).toEqual([]);
    });
  });

  describe('HTTP conventions', () => {
    it('answers liveness with a request id on every response', async () => {
      const res = await fetch(`${api.url}/health/live`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('echoes a safe caller request id and replaces an unsafe one', async () => {
      const mine = await fetch(`${api.url}/health/live`, { headers: { 'x-request-id': 'client-abc.123' } });
      expect(mine.headers.get('x-request-id')).toBe('client-abc.123');
      const unsafe = await fetch(`${api.url}/health/live`, { headers: { 'x-request-id': 'bad id <script>' } });
      expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('is ready when PostgreSQL, Redis and the bucket answer', async () => {
      const res = await fetch(`${api.url}/health/ready`);
      expect(res.status).toBe(200);
      expect(await readJson(res)).toEqual({
        status: 'ok',
        checks: { database: { status: 'up' }, redis: { status: 'up' }, storage: { status: 'up' } },
      });
    });

    it('answers an unknown route with 404 NOT_FOUND in the error shape', async () => {
      const res = await fetch(`${api.url}/v1/nothing-here`);
      expect(res.status).toBe(404);
      const body = await readJson(res);
      expect(body).toEqual({
        error: { code: 'NOT_FOUND', message: expect.any(String) },
        requestId: res.headers.get('x-request-id'),
      });
    });

    it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
      const res = await fetch(`${api.url}/v1/anything`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username": ',
      });
      expect(res.status).toBe(400);
      const body = await readJson(res);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details).toEqual({ fields: [{ field: 'body', problems: ['is not valid JSON'] }] });
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
      expect(body.requestId).toBeTruthy();
    });

    it('answers JSON nested too deep to validate with 400 VALIDATION_FAILED, on a public route too', async () => {
      const res = await fetch(`${api.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"username": ${'['.repeat(5000)}${']'.repeat(5000)}, "password": "x"}`,
      });
      expect(res.status).toBe(400);
      const body = await readJson(res);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details).toEqual({ fields: [{ field: 'body', problems: ['nests deeper than 32 levels'] }] });
    });

    it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await fetch(`${api.url}/v1/anything`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ blob: 'x'.repeat(200 * 1024) }),
      });
      expect(res.status).toBe(413);
      const body = await readJson(res);
      expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(body.requestId).toBe(res.headers.get('x-request-id'));
    });

    it('serves Prometheus metrics', async () => {
      await fetch(`${api.url}/health/live`);
      const res = await fetch(`${api.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('ephemera_http_request_duration_seconds_bucket');
      expect(text).toMatch(/ephemera_queue_jobs\{queue="maintenance",state="waiting"\} \d+/);
      expect(text).toContain('ephemera_process_resident_memory_bytes');
    });

    it('serves the OpenAPI document and its UI', async () => {
      const json = await fetch(`${api.url}/docs-json`);
      expect(json.status).toBe(200);
      const spec = await readJson(json);
      expect(spec.openapi).toMatch(/^3\./);
      expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
      const ui = await fetch(`${api.url}/docs`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger');
    });
  });

  describe('queue and worker', () => {
    it('runs a catalogue job on a real worker: storage.delete removes the objects', async () => {
      const worker = await startWorker(config);
      try {
        const keys = [`test/${randomUUID()}`, `test/${randomUUID()}`];
        await Promise.all(keys.map((key) => storage.put(key, Buffer.from('bytes'), 'text/plain')));
        const job = await api.app.get(QueueProducer).enqueue('storage.delete', { keys, reason: 'e2e' });
        await pollUntil(
          () => job.getState(),
          (state) => state === 'completed',
          { what: 'job completed' },
        );
        expect(await Promise.all(keys.map((key) => storage.head(key)))).toEqual([null, null]);
      } finally {
        await worker.close();
      }
    });

    it("serves the worker's own metrics: job durations by queue, job and outcome", async () => {
      const port = await freePort();
      const worker = await startWorker(testConfig({ WORKER_METRICS_PORT: String(port) }));
      try {
        const job = await api.app.get(QueueProducer).enqueue('storage.delete', { keys: [], reason: 'e2e' });
        await pollUntil(
          () => job.getState(),
          (state) => state === 'completed',
          { what: 'job completed' },
        );
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(res.status).toBe(200);
        expect(await res.text()).toMatch(
          /ephemera_job_duration_seconds_count\{queue="maintenance",job="storage.delete",outcome="completed"\} [1-9]/,
        );
        expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      } finally {
        await worker.close();
      }
    });

    it('de-duplicates jobs by id and refuses ids BullMQ cannot take', async () => {
      const producer = api.app.get(QueueProducer);
      const jobId = `dedupe-${randomUUID()}`;
      const a = await producer.enqueue('storage.delete', { keys: [], reason: 'e2e' }, { jobId, delayMs: 60000 });
      const b = await producer.enqueue('storage.delete', { keys: ['other'], reason: 'e2e' }, { jobId, delayMs: 60000 });
      expect(b.id).toBe(a.id);
      expect((await producer.queue('maintenance').getJob(jobId))?.data.keys).toEqual([]);
      await (await producer.queue('maintenance').getJob(jobId))?.remove();
      await expect(producer.enqueue('storage.delete', { keys: [], reason: 'x' }, { jobId: 'a:b' })).rejects.toThrow();
      await expect(producer.enqueue('storage.delete', { keys: [], reason: 'x' }, { jobId: '42' })).rejects.toThrow();
    });

    it('makes sure of a job: adds it when missing, leaves it while pending, retries it once failed', async () => {
      const producer = api.app.get(QueueProducer);
      const jobId = `e2e-ensure-${randomUUID()}`;
      const ensure = () => producer.ensure('storage.delete', { keys: [], reason: 'e2e' }, jobId);
      expect(await ensure()).toBe('added');
      expect(await ensure()).toBe('present');

      // Fail it for good, as a job whose attempts ran out: taken by hand, discarded, failed.
      const taker = new Worker('maintenance', null, {
        connection: redis.connect({ maxRetriesPerRequest: null }),
        prefix: config.QUEUE_PREFIX,
      });
      try {
        const job = await taker.getNextJob('e2e-token');
        expect(job?.id).toBe(jobId);
        job!.discard();
        await job!.moveToFailed(new Error('failed for good'), 'e2e-token');
      } finally {
        await taker.close();
      }
      const queue = producer.queue('maintenance');
      expect(await queue.getJobState(jobId)).toBe('failed');
      expect(await ensure()).toBe('retried');
      expect(await queue.getJobState(jobId)).toBe('waiting');
      await (await queue.getJob(jobId))?.remove();
    });

    it('refuses to start a worker that has no handler for a catalogue job', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot(config),
          LoggerModule.forRoot(config, 'worker'),
          ObservabilityModule,
          RedisModule,
          StorageModule,
          QueueModule,
          WorkerHostModule,
        ],
      }).compile();
      const error = await moduleRef.init().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HandlerRegistryError);
      expect((error as Error).message).toContain('job storage.delete has no handler');
      // close() re-throws a failed init, so the connections are released directly.
      await moduleRef.get(QueueProducer).onModuleDestroy();
      await moduleRef.get(RedisService).onModuleDestroy();
    });

    it('stops a worker process cleanly on SIGTERM', async () => {
      const worker = startProcess(WORKER_MAIN, { LOG_LEVEL: 'info' });
      await pollUntil(
        async () => worker.output(),
        (out) => out.includes('worker started'),
        { what: 'worker start' },
      );
      const exit = await worker.stop('SIGTERM');
      // Nest's shutdown hooks close the workers, then re-raise the signal.
      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      expect(worker.output()).toContain('worker stopped');
    });
  });

  describe('process shutdown', () => {
    it('lets an upload in flight finish on SIGTERM, refusing new connections, then exits', async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const proc = startProcess(API_MAIN, { PORT: String(port), LOG_LEVEL: 'info' });
      try {
        const live = () =>
          fetch(`${url}/health/live`).then(
            (res) => res.status,
            () => 0,
          );
        await pollUntil(live, (status) => status === 200, { what: 'API up' });
        const user = await registerUser(client(url));
        const [set] = mediaSampleSets();
        const form = new FormData();
        form.append('file', new Blob([await readFile(join(set.dir, 'photo-progressive.jpg'))]), 'photo.jpg');
        const encoded = new Response(form);
        const body = Buffer.from(await encoded.arrayBuffer());
        const upload = request(`${url}/v1/media`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${user.accessToken}`,
            'content-type': encoded.headers.get('content-type')!,
            'content-length': String(body.length),
          },
        });
        const answered = new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
          upload.on('error', reject);
          upload.on('response', (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }));
          });
        });
        // Half the body: enough for the API to sniff the type and register the upload, which it then waits for.
        upload.write(body.subarray(0, body.length / 2));
        const uploads = () => database.db.selectFrom('media').selectAll().where('owner_id', '=', user.id).execute();
        await pollUntil(uploads, (rows) => rows.length === 1, { what: 'the upload registered' });

        proc.child.kill('SIGTERM');
        await pollUntil(
          async () => proc.output(),
          (out) => out.includes('stopping: draining requests'),
          { what: 'the drain' },
        );
        expect(await live()).toBe(0); // no new connections
        upload.end(body.subarray(body.length / 2));
        const reply = await answered;
        expect(reply.status).toBe(202);
        expect(reply.connection).toBe('close');
        const [row] = await uploads();
        expect(row).toMatchObject({ id: JSON.parse(reply.body).id, status: 'processing' });
        expect(await storage.head(row.upload_key)).toMatchObject({ size: expect.any(Number) });

        const exit = await proc.exited;
        expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
        expect(proc.output()).not.toContain('"level":50');
      } finally {
        await proc.stop('SIGKILL');
      }
    });
  });

  describe('process start-up', () => {
    it('exits non-zero at once with one line naming a bad variable', async () => {
      const started = Date.now();
      const proc = startProcess(API_MAIN, { S3_ENDPOINT: 'not a url' });
      const exit = await proc.exited;
      expect(exit.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(10000);
      const lines = proc
        .output()
        .split('\n')
        .filter((line) => line.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({ level: 'fatal', msg: expect.stringContaining('S3_ENDPOINT') });
    });

    it('answers 503 with Retry-After while PostgreSQL or Redis is away, and recovers', async () => {
      const dbProxy = await TcpProxy.before(config.DATABASE_URL, 5432);
      const redisProxy = await TcpProxy.before(config.REDIS_URL, 6379);
      const own = await startApi(
        testConfig({ DATABASE_URL: dbProxy.via(config.DATABASE_URL), REDIS_URL: redisProxy.via(config.REDIS_URL) }),
      );
      try {
        const call = client(own.url);
        const user = await registerUser(call);
        const me = () => call('GET', '/v1/me', { token: user.accessToken });
        const login = () =>
          call('POST', '/v1/auth/login', { body: { username: user.username, password: user.password }, ip: user.ip });
        const expectUnavailable = (res: Awaited<ReturnType<typeof me>>) => {
          expect([res.status, res.body.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        };

        await dbProxy.stop();
        expectUnavailable(await me());
        await dbProxy.start();
        await pollUntil(me, (res) => res.status === 200, { what: 'the database back' });

        await redisProxy.stop();
        expectUnavailable(await login()); // the login rate limit lives in Redis
        await redisProxy.start();
        await pollUntil(login, (res) => res.status === 200, { what: 'Redis back' });
      } finally {
        await own.close();
        await dbProxy.stop();
        await redisProxy.stop();
      }
    });

    it('reports storage down with 503 and recovers without a restart', async () => {
      const s3 = new PrivateS3Server(await freePort(), config.S3_ACCESS_KEY_ID, config.S3_SECRET_ACCESS_KEY);
      s3.start();
      const privateConfig = testConfig({ S3_ENDPOINT: s3.endpoint, S3_BUCKET: 'ready-check' });
      const own = await startApi(privateConfig);
      try {
        const storageOfApi = own.app.get(S3Storage);
        await pollUntil(() => storageOfApi.ensureBucket().then(() => true), Boolean, { what: 'private S3 up' });
        const ready = () => fetch(`${own.url}/health/ready`);
        expect((await ready()).status).toBe(200);
        const user = await registerUser(client(own.url));

        await s3.stop();
        const down = await pollUntil(ready, (res) => res.status === 503, { what: '503' });
        const body = await readJson(down);
        expect(body.error.code).toBe('SERVICE_UNAVAILABLE');
        expect(body.error.details.failed).toEqual(['storage']);
        expect(body.error.message).toContain('storage');
        // A request that needs storage meanwhile is told to come back: 503 with Retry-After, not a 500.
        const upload = await uploadMultipart(
          own.url,
          user.accessToken,
          join(mediaSampleSets()[0].dir, 'photo-tiny.jpg'),
        );
        expect([upload.status, upload.body.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
        expect(Number(upload.headers.get('retry-after'))).toBeGreaterThan(0);

        s3.start();
        await pollUntil(ready, (res) => res.status === 200, { what: 'ready again', timeoutMs: 20000 });
      } finally {
        await own.close();
        await s3.stop();
      }
    });
  });
});
