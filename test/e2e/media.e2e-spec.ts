import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { ClientRequest, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { INestApplicationContext } from '@nestjs/common';
import sharp from 'sharp';
import { AppConfig } from '@app/config';
import { ERROR_STATUS, ErrorCode } from '@app/contracts';
import { DatabaseService, MediaRepository } from '@app/database';
import { MEDIA_PREFIX, S3Storage, UPLOADS_PREFIX } from '@app/storage';
import { RATE_LIMITS } from '../../apps/api/src/common/rate-limiter';
import { MAX_OPEN_UPLOADS } from '../../apps/api/src/media/media.service';
import { mediaSampleSets, SAMPLE_CASES } from '../fixtures/samples';
import { startApi, startWorker, TestApi } from '../support/api';
import { testConfig } from '../support/config';
import { befriend, Call, client, registerUser, TestUser } from '../support/http';
import {
  declaredType,
  displayedSize,
  ffprobe,
  postMedia,
  settled,
  uploadDirect,
  uploadMultipart,
} from '../support/media';
import { pollUntil } from '../support/poll';
import { connectSocket, EventLog } from '../support/sockets';

const IDENTIFYING_TAGS = [
  'location',
  'location-eng',
  'com.apple.quicktime.location.iso6709',
  'title',
  'creation_time',
  'artist',
  'comment',
];

describe('media ingest (API + worker, real S3)', () => {
  let config: AppConfig;
  let api: TestApi;
  let worker: INestApplicationContext;
  let call: Call;
  let storage: S3Storage;
  let mediaRows: MediaRepository;
  let user: TestUser;
  /** The uploader's socket: every outcome is also an event. */
  let events: EventLog;
  let workDir: string;

  beforeAll(async () => {
    config = testConfig();
    api = await startApi(config);
    worker = await startWorker(config);
    call = client(api.url);
    storage = api.app.get(S3Storage);
    mediaRows = api.app.get(MediaRepository);
    user = await registerUser(call, 'media');
    events = await connectSocket(api.url, user.accessToken);
    workDir = await mkdtemp(join(tmpdir(), 'ephemera-media-e2e-'));
  });

  afterAll(async () => {
    events?.close();
    await worker?.close();
    await api?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** Every stored upload and processed object. */
  const storedNow = async () => {
    const keys: string[] = [];
    for (const prefix of [UPLOADS_PREFIX, MEDIA_PREFIX]) {
      for await (const object of storage.list(prefix)) keys.push(object.key);
    }
    return new Set(keys);
  };

  /** The media row once processing recorded that the original upload is deleted. */
  const originalDeleted = (mediaId: string) =>
    pollUntil(
      async () => (await mediaRows.find(mediaId))!,
      (row) => row.upload_deleted_at !== null,
      { what: `original of ${mediaId} deleted` },
    );

  /** Whatever the way in, a refused file leaves no object behind. */
  async function expectNothingStored(mediaId: string | undefined, storedBefore: Set<string>) {
    if (mediaId) {
      const row = await originalDeleted(mediaId);
      expect(row.status).toBe('failed');
      expect(await storage.head(row.upload_key)).toBeNull();
      expect(row!.media_key).toBeNull();
    }
    const leftovers = [...(await storedNow())].filter((key) => !storedBefore.has(key));
    expect(leftovers).toEqual([]);
  }

  async function checkServedImage(key: string, expected: { width: number; height: number }) {
    const bytes = await storage.readBytes(key);
    const meta = await sharp(bytes).metadata();
    expect({ width: meta.width, height: meta.height }).toEqual({ width: expected.width, height: expected.height });
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1920);
    expect(meta.format).toBe('jpeg');
    expect(meta.space).toBe('srgb');
    expect(meta.depth).toBe('uchar');
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.comments).toBeUndefined();
    expect(bytes.includes(Buffer.from('GPS'))).toBe(false);
  }

  async function checkServedVideo(mediaId: string, expected: { width: number; height: number; durationMs: number }) {
    const row = (await mediaRows.find(mediaId))!;
    expect(row.content_type).toBe('video/mp4');
    const path = join(workDir, `${mediaId}.mp4`);
    await writeFile(path, await storage.readBytes(row.media_key!));
    const probe = ffprobe(path);
    const tags = [probe.format.tags ?? {}, ...probe.streams.map((s) => s.tags ?? {})].flatMap((t) => Object.keys(t));
    for (const tag of IDENTIFYING_TAGS) expect(tags.map((t) => t.toLowerCase())).not.toContain(tag);
    expect(Math.abs(Number(probe.format.duration) * 1000 - expected.durationMs)).toBeLessThan(300);
    // Plays upright: the served file, as a player turns it, and the recorded size agree with the sample's.
    expect(displayedSize(probe)).toEqual({ width: expected.width, height: expected.height });
    expect({ width: row.width, height: row.height }).toEqual({ width: expected.width, height: expected.height });
    // The poster is upright: its orientation matches the displayed video's.
    const poster = await sharp(await storage.readBytes(row.poster_key!)).metadata();
    expect(poster.width! > poster.height!).toBe(expected.width > expected.height);
    expect(poster.exif).toBeUndefined();
  }

  /** PUTs the listed parts of a multipart upload's bytes to their presigned URLs; answers each part's ETag. */
  async function putParts(upload: {
    bytes: Buffer;
    partSize: number;
    parts: { partNumber: number; url: string }[];
  }): Promise<Map<number, string>> {
    const etags = new Map<number, string>();
    for (const part of upload.parts) {
      const body = upload.bytes.subarray((part.partNumber - 1) * upload.partSize, part.partNumber * upload.partSize);
      const res = await fetch(part.url, { method: 'PUT', body });
      expect(res.status).toBe(200);
      etags.set(part.partNumber, res.headers.get('etag')!);
    }
    return etags;
  }

  /**
   * A sample video padded to `size` bytes with an ISO BMFF 'free' box (which players and
   * ffmpeg skip), and the multipart upload created for it.
   */
  async function startPaddedMultipart(file: string, size: number) {
    const [set] = mediaSampleSets();
    const video = await readFile(join(set.dir, file));
    const free = Buffer.alloc(size - video.length);
    free.writeUInt32BE(free.length, 0);
    free.write('free', 4, 'latin1');
    const created = await call('POST', '/v1/media/uploads', {
      token: user.accessToken,
      body: { contentType: declaredType(file), size },
    });
    expect(created.status).toBe(201);
    return {
      bytes: Buffer.concat([video, free]),
      ...(created.body as { id: string; partSize: number; parts: { partNumber: number; url: string }[] }),
    };
  }

  const ways = ['multipart', 'direct'] as const;

  for (const set of mediaSampleSets()) {
    describe(`${set.name} samples`, () => {
      // One uploader per set: both ways for every sample stay within a user's upload rate.
      let uploader: TestUser;
      let uploaderEvents: EventLog;
      beforeAll(async () => {
        uploader = await registerUser(call);
        uploaderEvents = await connectSocket(api.url, uploader.accessToken);
      });
      afterAll(() => uploaderEvents?.close());

      for (const sample of SAMPLE_CASES) {
        for (const way of ways) {
          it(`${sample.file} via ${way}: ${sample.outcome}`, async () => {
            const path = join(set.dir, sample.file);
            const before = await storedNow();
            const res =
              way === 'multipart'
                ? await uploadMultipart(api.url, uploader.accessToken, path)
                : await uploadDirect(call, uploader.accessToken, path);

            if (sample.outcome === 'refused') {
              let code: string;
              let mediaId: string | undefined;
              if (res.status === 202) {
                mediaId = res.body.id;
                const media = await settled(call, uploader.accessToken, mediaId!);
                expect(media.status).toBe('failed');
                code = media.failure.code;
                expect(
                  await uploaderEvents.next('media:failed', (e: { id: string }) => e.id === mediaId, 30000),
                ).toEqual({
                  id: mediaId,
                  failure: { code, message: expect.any(String) },
                });
              } else {
                code = res.body.error.code;
                // The status API.md gives the code, nothing else (bad-empty.jpg may be 400 or 422, by its code).
                expect(res.status).toBe(ERROR_STATUS[code as ErrorCode]);
                mediaId = (res as { uploadId?: string }).uploadId;
                if (mediaId) {
                  // Completing a refused upload again gets the same refusal.
                  const again = await call('POST', `/v1/media/uploads/${mediaId}/complete`, {
                    token: uploader.accessToken,
                    body: {},
                  });
                  expect([again.status, again.body.error.code]).toEqual([res.status, code]);
                }
              }
              expect(sample.codes).toContain(code);
              await expectNothingStored(mediaId, before);
              return;
            }

            expect(res.status).toBe(202);
            expect(res.body).toEqual({ id: expect.any(String), kind: sample.kind, status: 'processing' });
            const media = await settled(call, uploader.accessToken, res.body.id);
            await uploaderEvents.next('media:ready', (e: { id: string }) => e.id === res.body.id, 30000);
            expect(media).toMatchObject({
              status: 'ready',
              kind: sample.kind,
              width: sample.width,
              height: sample.height,
            });
            // The original is gone as soon as processing ended, and the row says so; keys reveal nothing.
            const row = await originalDeleted(res.body.id);
            expect(await storage.head(row.upload_key)).toBeNull();
            expect(row.media_key).toMatch(/^media\/[0-9a-f-]{36}$/);
            if (sample.kind === 'image') {
              await checkServedImage(row.media_key!, sample);
            } else {
              expect(Math.abs(media.durationMs - sample.durationMs)).toBeLessThan(300);
              await checkServedVideo(res.body.id, sample);
            }
          });
        }
      }
    });
  }

  it('tells the uploader on every device: media:ready and media:failed', async () => {
    const [set] = mediaSampleSets();
    const socket = await connectSocket(api.url, user.accessToken);
    try {
      const ok = await uploadMultipart(api.url, user.accessToken, join(set.dir, 'photo-tiny.jpg'));
      expect(await socket.next('media:ready', (e: { id: string }) => e.id === ok.body.id, 30000)).toEqual({
        id: ok.body.id,
        kind: 'image',
        width: 64,
        height: 64,
        durationMs: null,
      });
      const bad = await uploadMultipart(api.url, user.accessToken, join(set.dir, 'bad-truncated.jpg'));
      expect(await socket.next('media:failed', (e: { id: string }) => e.id === bad.body.id, 30000)).toEqual({
        id: bad.body.id,
        failure: { code: 'MEDIA_CORRUPT', message: expect.any(String) },
      });
    } finally {
      socket.close();
    }
  });

  it('shows media only to its uploader', async () => {
    const other = await registerUser(call);
    const [set] = mediaSampleSets();
    const res = await uploadMultipart(api.url, user.accessToken, join(set.dir, 'photo-tiny.jpg'));
    expect((await call('GET', `/v1/media/${res.body.id}`, { token: other.accessToken })).status).toBe(404);
    expect((await call('GET', `/v1/media/${res.body.id}`, { token: user.accessToken })).status).toBe(200);
    expect((await call('GET', '/v1/media/not-an-id', { token: user.accessToken })).status).toBe(404);
    expect(
      (await call('POST', `/v1/media/uploads/${res.body.id}/complete`, { token: other.accessToken, body: {} })).status,
    ).toBe(404);
  });

  it('refuses bad upload requests', async () => {
    const cases: [unknown, number, string][] = [
      [{ contentType: 'image/svg+xml', size: 100 }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ contentType: 'application/x-msdownload', size: 100 }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      // Names every JavaScript object has are not declared types either.
      [{ contentType: 'constructor', size: 100 }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ contentType: '__proto__', size: 100 }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ contentType: 'image/jpeg', size: 21 * 1024 * 1024 }, 413, 'MEDIA_TOO_LARGE'],
      [{ contentType: 'video/mp4', size: 101 * 1024 * 1024 }, 413, 'MEDIA_TOO_LARGE'],
      [{ contentType: 'application/octet-stream', size: 101 * 1024 * 1024 }, 413, 'MEDIA_TOO_LARGE'],
      [{ contentType: 'image/jpeg', size: 0 }, 400, 'VALIDATION_FAILED'],
      [{ contentType: 'image/jpeg', size: 1.5 }, 400, 'VALIDATION_FAILED'],
      [{ contentType: 'image/jpeg' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call('POST', '/v1/media/uploads', { token: user.accessToken, body });
      expect({ body, status: res.status, code: res.body.error.code }).toEqual({ body, status, code });
    }
    // Matroska is taken (the bytes decide), so its own type may be declared too.
    const mkv = await call('POST', '/v1/media/uploads', {
      token: user.accessToken,
      body: { contentType: 'video/x-matroska', size: 1000 },
    });
    expect(mkv.status).toBe(201);
    const notMultipart = await call('POST', '/v1/media', { token: user.accessToken, body: { file: 'x' } });
    expect(notMultipart.status).toBe(400);
    expect((await call('POST', '/v1/media', {})).status).toBe(401);
  });

  it('ends a streamed upload whose client breaks the body off: 422 UPLOAD_INCOMPLETE, nothing left in storage', async () => {
    const uploader = await registerUser(call);
    const [set] = mediaSampleSets();
    const jpeg = await readFile(join(set.dir, 'photo-tiny.jpg'));
    const boundary = 'ephemera-e2e-boundary';
    const head = Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.jpg"\r\n` +
        'content-type: image/jpeg\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const rowsOf = () =>
      api.app.get(DatabaseService).db.selectFrom('media').selectAll().where('owner_id', '=', uploader.id).execute();
    const s3 = new S3Client({
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
    });
    const pendingMultipart = async (key: string) =>
      (await s3.send(new ListMultipartUploadsCommand({ Bucket: config.S3_BUCKET, Prefix: key }))).Uploads ?? [];
    const open = (length: number) =>
      request(`${api.url}/v1/media`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${uploader.accessToken}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': length,
        },
      });
    const send = (req: ClientRequest, bytes: Buffer) =>
      new Promise<void>((resolve, reject) => req.write(bytes, (error) => (error ? reject(error) : resolve())));
    try {
      // The connection drops after 9 of 12 MB: storage has a multipart upload going (8 MB parts).
      const file = Buffer.concat([jpeg, Buffer.alloc(12 * 1024 * 1024 - jpeg.length, 7)]);
      const dropped = open(head.length + file.length + tail.length);
      dropped.on('error', () => undefined);
      await send(dropped, Buffer.concat([head, file.subarray(0, 9 * 1024 * 1024)]));
      const [row] = await pollUntil(rowsOf, (rows) => rows.length === 1, { what: 'the upload row' });
      await pollUntil(
        () => pendingMultipart(row.upload_key),
        (uploads) => uploads.length === 1,
        {
          what: 'storage to start a multipart upload',
        },
      );
      dropped.destroy();
      const ended = await pollUntil(
        async () => (await rowsOf())[0],
        (r) => r.status !== 'uploading' && r.upload_deleted_at !== null,
        { what: 'the broken-off upload to end' },
      );
      expect({ status: ended.status, code: ended.failure_code }).toEqual({
        status: 'failed',
        code: 'UPLOAD_INCOMPLETE',
      });
      expect(await storage.head(ended.upload_key)).toBeNull();
      expect(await pendingMultipart(ended.upload_key)).toEqual([]);

      // The form ends (the request is whole) before the file's closing boundary.
      const short = Buffer.concat([head, jpeg, Buffer.alloc(64 * 1024, 7)]);
      const truncated = open(short.length);
      const answer = new Promise<{ status: number; body: { error: { code: string } } }>((resolve, reject) => {
        truncated.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        });
        truncated.on('error', reject);
      });
      truncated.end(short);
      const res = await answer;
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 422, code: 'UPLOAD_INCOMPLETE' });
      const rows = await rowsOf();
      expect(rows.map((r) => r.status)).toEqual(['failed', 'failed']);
      for (const r of rows) expect(await storage.head(r.upload_key)).toBeNull();
    } finally {
      s3.destroy();
    }
  });

  it('binds a presigned PUT to the declared type and size, and checks the stored bytes on completion', async () => {
    const [set] = mediaSampleSets();
    const bytes = await readFile(join(set.dir, 'photo-tiny.jpg'));
    const created = await call('POST', '/v1/media/uploads', {
      token: user.accessToken,
      body: { contentType: 'image/jpeg', size: bytes.length },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ method: 'PUT', headers: { 'content-type': 'image/jpeg' } });
    const early = await call('POST', `/v1/media/uploads/${created.body.id}/complete`, {
      token: user.accessToken,
      body: {},
    });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('UPLOAD_INCOMPLETE');
    const wrongType = await fetch(created.body.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: bytes,
    });
    expect(wrongType.status).toBe(403);
    const bigger = await fetch(created.body.url, {
      method: 'PUT',
      headers: created.body.headers,
      body: Buffer.concat([bytes, Buffer.alloc(10)]),
    });
    expect(bigger.status).toBeGreaterThanOrEqual(400);
    const ok = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: bytes });
    expect(ok.status).toBe(200);
    const done = await call('POST', `/v1/media/uploads/${created.body.id}/complete`, {
      token: user.accessToken,
      body: {},
    });
    expect(done.status).toBe(202);
    expect((await settled(call, user.accessToken, created.body.id)).status).toBe('ready');
  });

  it('takes a direct upload of an undeclared type and lets the bytes decide', async () => {
    const [set] = mediaSampleSets();
    const bytes = await readFile(join(set.dir, 'photo-tiny.jpg'));
    const created = await call('POST', '/v1/media/uploads', {
      token: user.accessToken,
      body: { contentType: 'application/octet-stream', size: bytes.length },
    });
    expect(created.status).toBe(201);
    expect(created.body.headers).toMatchObject({ 'content-type': 'application/octet-stream' });
    const put = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: bytes });
    expect(put.status).toBe(200);
    const done = await call('POST', `/v1/media/uploads/${created.body.id}/complete`, {
      token: user.accessToken,
      body: {},
    });
    expect([done.status, done.body.status]).toEqual([202, 'processing']);
    const media = await settled(call, user.accessToken, created.body.id);
    expect([media.status, media.kind]).toEqual(['ready', 'image']);
  });

  it('caps the direct uploads one user has open at once', async () => {
    const uploader = await registerUser(call);
    const [set] = mediaSampleSets();
    const bytes = await readFile(join(set.dir, 'photo-tiny.jpg'));
    const create = (who: TestUser) =>
      call('POST', '/v1/media/uploads', {
        token: who.accessToken,
        body: { contentType: 'image/jpeg', size: bytes.length },
      });
    const open: { id: string; url: string; headers: Record<string, string> }[] = [];
    for (let i = 0; i < MAX_OPEN_UPLOADS; i++) {
      const created = await create(uploader);
      expect(created.status).toBe(201);
      open.push(created.body);
    }
    const refused = await create(uploader);
    expect([refused.status, refused.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await create(await registerUser(call))).status).toBe(201);
    // Completing one frees its place.
    const [first] = open;
    expect((await fetch(first.url, { method: 'PUT', headers: first.headers, body: bytes })).status).toBe(200);
    const done = await call('POST', `/v1/media/uploads/${first.id}/complete`, {
      token: uploader.accessToken,
      body: {},
    });
    expect(done.status).toBe(202);
    expect((await create(uploader)).status).toBe(201);
  });

  it('limits how many uploads one user starts a minute, by either way in', async () => {
    const uploader = await registerUser(call);
    const { limit } = RATE_LIMITS['media-upload:user'];
    const streamEmpty = async (who: TestUser) => {
      const res = await postMedia(api.url, who.accessToken, new Blob([]), 'empty.jpg');
      return { status: res.status, code: res.body.error.code, retryAfter: res.headers.get('retry-after') };
    };
    for (let i = 0; i < limit; i++) expect((await streamEmpty(uploader)).code).toBe('MEDIA_CORRUPT');
    const refused = await streamEmpty(uploader);
    expect([refused.status, refused.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    const direct = await call('POST', '/v1/media/uploads', {
      token: uploader.accessToken,
      body: { contentType: 'image/jpeg', size: 1000 },
    });
    expect([direct.status, direct.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    // The count is per user.
    expect((await streamEmpty(await registerUser(call))).code).toBe('MEDIA_CORRUPT');
  });

  it('resumes a 50 MB multipart video upload after a lost connection, sending only the missing parts', async () => {
    const size = 50 * 1024 * 1024;
    const upload = await startPaddedMultipart('video-h264-5s-rot90-gps.mp4', size);
    const { bytes, id, partSize, parts } = upload;
    expect(parts.length).toBe(Math.ceil(size / partSize));

    // A part URL takes its part's length and no other, so no upload can grow past its declared size:
    // storage refuses a longer body (or cuts it off), and holds no part 1 afterwards (checked below).
    const refused = await fetch(parts[0].url, { method: 'PUT', body: bytes.subarray(0, partSize + 1) }).then(
      (r) => r.status >= 400,
      () => true, // cut off mid-body
    );
    expect(refused).toBe(true);
    // Three parts make it before the connection drops.
    await putParts({ ...upload, parts: parts.slice(0, 3) });
    const incomplete = await call('POST', `/v1/media/uploads/${id}/complete`, { token: user.accessToken, body: {} });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.error.code).toBe('UPLOAD_INCOMPLETE');
    expect(incomplete.body.error.details.missingParts).toEqual(parts.slice(3).map((p) => p.partNumber));

    // Back online: ask what storage holds and send only what is missing, with fresh URLs.
    const status = await call('GET', `/v1/media/uploads/${id}`, { token: user.accessToken });
    expect(status.status).toBe(200);
    expect(status.body.uploadedParts.map((p: { partNumber: number }) => p.partNumber)).toEqual([1, 2, 3]);
    expect(status.body.parts.map((p: { partNumber: number }) => p.partNumber)).toEqual(
      parts.slice(3).map((p) => p.partNumber),
    );
    const etags = new Map<number, string>(
      status.body.uploadedParts.map((p: { partNumber: number; etag: string }) => [p.partNumber, p.etag]),
    );
    for (const [partNumber, etag] of await putParts({ ...upload, parts: status.body.parts }))
      etags.set(partNumber, etag);

    const done = await call('POST', `/v1/media/uploads/${id}/complete`, {
      token: user.accessToken,
      body: { parts: [...etags].map(([partNumber, etag]) => ({ partNumber, etag })) },
    });
    expect(done.status).toBe(202);
    const media = await settled(call, user.accessToken, id);
    expect(media).toMatchObject({ status: 'ready', kind: 'video', width: 720, height: 1280 });
  });

  it('completes a multipart upload whose parts storage already joined (a complete retried after a failure)', async () => {
    const upload = await startPaddedMultipart('video-h264-4s.mov', 17 * 1024 * 1024);
    await putParts(upload);
    const { id } = upload;
    // An earlier complete joined the parts in storage, then failed before the row moved on.
    const row = (await mediaRows.find(id))!;
    await storage.completeMultipart(
      row.upload_key,
      row.multipart_upload_id!,
      (await storage.listParts(row.upload_key, row.multipart_upload_id!))!,
    );
    const status = await call('GET', `/v1/media/uploads/${id}`, { token: user.accessToken });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ status: 'uploading', parts: [] });
    const done = await call('POST', `/v1/media/uploads/${id}/complete`, { token: user.accessToken, body: {} });
    expect(done.status).toBe(202);
    expect((await settled(call, user.accessToken, id)).status).toBe('ready');
  });

  it('answers completes of one upload sent at once alike: 202 processing, processed once', async () => {
    const [set] = mediaSampleSets();
    const photo = await readFile(join(set.dir, 'photo-tiny.jpg'));
    const single = await call('POST', '/v1/media/uploads', {
      token: user.accessToken,
      body: { contentType: 'image/jpeg', size: photo.length },
    });
    expect(single.status).toBe(201);
    expect((await fetch(single.body.url, { method: 'PUT', headers: single.body.headers, body: photo })).status).toBe(
      200,
    );
    const multi = await startPaddedMultipart('video-h264-4s.mov', 17 * 1024 * 1024);
    await putParts(multi);
    for (const id of [single.body.id as string, multi.id]) {
      const complete = () => call('POST', `/v1/media/uploads/${id}/complete`, { token: user.accessToken, body: {} });
      const answers = await Promise.all([complete(), complete(), complete()]);
      expect(answers.map((a) => [a.status, a.body.status])).toEqual(Array(3).fill([202, 'processing']));
      expect((await settled(call, user.accessToken, id)).status).toBe('ready');
    }
  });

  it('deletes an upload that is never completed, and one never attached to a snap, when its time is up', async () => {
    // Long enough for the photo to be processed first, so it expires as ready-but-unattached media.
    const shortConfig = testConfig({ UPLOAD_TTL_SECONDS: '3' });
    const shortApi = await startApi(shortConfig);
    try {
      const shortCall = client(shortApi.url);
      const [set] = mediaSampleSets();
      const abandoned = await shortCall('POST', '/v1/media/uploads', {
        token: user.accessToken,
        body: { contentType: 'video/mp4', size: 20 * 1024 * 1024 },
      });
      expect(abandoned.status).toBe(201);
      const processed = await uploadMultipart(shortApi.url, user.accessToken, join(set.dir, 'photo-tiny.jpg'));
      const abandonedRow = (await mediaRows.find(abandoned.body.id))!;
      expect((await settled(call, user.accessToken, processed.body.id, 3000)).status).toBe('ready');
      const processedRow = (await mediaRows.find(processed.body.id))!;
      expect(processedRow.media_key).toEqual(expect.any(String));

      // Past its deadline an upload cannot be sent, whether or not it has been deleted yet: a send
      // racing the expiry never gets a snap whose media is being deleted.
      const friend = await registerUser(shortCall);
      await befriend(shortCall, user, friend);
      await pollUntil(
        async () => (await mediaRows.find(processed.body.id))?.upload_expires_at.getTime() ?? 0,
        (deadline) => deadline < Date.now(),
        { what: 'the upload deadline to pass' },
      );
      const late = await shortCall('POST', '/v1/snaps', {
        token: user.accessToken,
        body: { mediaId: processed.body.id, recipientIds: [friend.id] },
      });
      expect([late.status, late.body.error?.code]).toEqual([410, 'UPLOAD_EXPIRED']);

      const gone = async (id: string) => (await mediaRows.find(id)) === undefined;
      await pollUntil(() => gone(abandoned.body.id), Boolean, { timeoutMs: 15000, what: 'abandoned upload expired' });
      await pollUntil(() => gone(processed.body.id), Boolean, { timeoutMs: 15000, what: 'unattached media expired' });
      expect(await storage.listParts(abandonedRow.upload_key, abandonedRow.multipart_upload_id!)).toBeNull();
      expect(await storage.head(processedRow.media_key!)).toBeNull();
      const afterwards = await shortCall('POST', '/v1/snaps', {
        token: user.accessToken,
        body: { mediaId: processed.body.id, recipientIds: [friend.id] },
      });
      expect([afterwards.status, afterwards.body.error?.code]).toEqual([410, 'UPLOAD_EXPIRED']);
      // A late client hears that its upload expired (start a new one), not that it never existed.
      const complete = await shortCall('POST', `/v1/media/uploads/${abandoned.body.id}/complete`, {
        token: user.accessToken,
        body: {},
      });
      expect([complete.status, complete.body.error.code]).toEqual([410, 'UPLOAD_EXPIRED']);
      const status = await shortCall('GET', `/v1/media/uploads/${abandoned.body.id}`, { token: user.accessToken });
      expect([status.status, status.body.error.code]).toEqual([410, 'UPLOAD_EXPIRED']);
      const stranger = await registerUser(shortCall);
      const theirs = await shortCall('GET', `/v1/media/uploads/${abandoned.body.id}`, { token: stranger.accessToken });
      expect(theirs.status).toBe(404);
    } finally {
      await shortApi.close();
    }
  });
});
