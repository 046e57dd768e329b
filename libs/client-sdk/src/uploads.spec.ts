import { EphemeraClient, StoredSession, UploadInterruptedError, UploadProgress } from './index';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const session: StoredSession = {
  accessToken: 'access',
  refreshToken: 'refresh',
  accessExpiresAt: Date.now() + 3_600_000,
  user: { id: 'u1', username: 'alice', displayName: null, createdAt: '2025-01-01T00:00:00.000Z' },
};

/** The API and S3 in one fake: a 5-part multipart upload whose part 3 fails once at the network level. */
function fakeServerAndStorage(size: number, partSize: number) {
  const stored = new Map<number, Uint8Array>();
  const puts: number[] = [];
  const completes: unknown[] = [];
  let failPart3 = true;
  const partCount = Math.ceil(size / partSize);
  const urlsFor = (numbers: number[], round: number) =>
    numbers.map((partNumber) => ({ partNumber, url: `http://s3.test/bucket/key?part=${partNumber}&round=${round}` }));
  let round = 0;

  const fetch = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const u = new URL(url);
    const method = init.method ?? 'GET';
    if (u.host === 's3.test') {
      const partNumber = Number(u.searchParams.get('part'));
      puts.push(partNumber);
      if (partNumber === 3 && failPart3) {
        failPart3 = false;
        throw new TypeError('fetch failed: connection reset');
      }
      stored.set(partNumber, new Uint8Array(await new Response(init.body).arrayBuffer()));
      return new Response(null, { status: 200, headers: { etag: `"etag-${partNumber}"` } });
    }
    if (method === 'POST' && u.pathname === '/v1/media/uploads') {
      expect(JSON.parse(init.body as string)).toEqual({ contentType: 'video/mp4', size });
      return json(201, {
        id: 'up1',
        expiresAt: '2099-01-01T00:00:00.000Z',
        partSize,
        parts: urlsFor(
          Array.from({ length: partCount }, (_, i) => i + 1),
          round++,
        ),
      });
    }
    if (method === 'GET' && u.pathname === '/v1/media/uploads/up1') {
      const have = [...stored.keys()].sort((a, b) => a - b);
      const missing = Array.from({ length: partCount }, (_, i) => i + 1).filter((n) => !stored.has(n));
      return json(200, {
        id: 'up1',
        status: 'uploading',
        expiresAt: '2099-01-01T00:00:00.000Z',
        partSize,
        parts: urlsFor(missing, round++),
        uploadedParts: have.map((n) => ({ partNumber: n, etag: `"etag-${n}"`, size: stored.get(n)!.length })),
      });
    }
    if (method === 'POST' && u.pathname === '/v1/media/uploads/up1/complete') {
      completes.push(JSON.parse(init.body as string));
      return json(202, { id: 'up1', kind: 'video', status: 'processing' });
    }
    return json(404, { error: { code: 'NOT_FOUND', message: 'no' }, requestId: 'r' });
  };
  return { fetch, stored, puts, completes };
}

describe('media uploads', () => {
  it('resumes an interrupted multipart upload: only missing parts are sent, complete lists every ETag', async () => {
    const file = new Uint8Array(18).map((_, i) => i);
    const fake = fakeServerAndStorage(file.length, 4);
    const client = new EphemeraClient({ baseUrl: 'http://api.test', fetch: fake.fetch, session });
    const firstProgress: UploadProgress[] = [];

    const error = await client.media
      .upload(file, { method: 'direct', contentType: 'video/mp4', onProgress: (p) => firstProgress.push(p) })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UploadInterruptedError);
    expect((error as UploadInterruptedError).uploadId).toBe('up1');
    expect(fake.puts).toEqual([1, 2, 3]);
    expect(firstProgress.at(-1)).toEqual({ loaded: 8, total: 18 });
    expect(fake.completes).toEqual([]);

    const progress: UploadProgress[] = [];
    const media = await client.media.resume('up1', file, { onProgress: (p) => progress.push(p) });

    expect(media).toEqual({ id: 'up1', kind: 'video', status: 'processing' });
    expect(fake.puts).toEqual([1, 2, 3, 3, 4, 5]);
    expect(fake.completes).toEqual([
      { parts: [1, 2, 3, 4, 5].map((partNumber) => ({ partNumber, etag: `"etag-${partNumber}"` })) },
    ]);
    expect(progress[0]).toEqual({ loaded: 8, total: 18 });
    expect(progress.at(-1)).toEqual({ loaded: 18, total: 18 });
    expect(progress.every((p, i) => i === 0 || p.loaded >= progress[i - 1].loaded)).toBe(true);
    const bytes = [1, 2, 3, 4, 5].flatMap((n) => [...fake.stored.get(n)!]);
    expect(bytes).toEqual([...file]);
  });

  it('streams through POST /v1/media as multipart/form-data, counting the bytes as they are read', async () => {
    const file = new Uint8Array(200_000).fill(7);
    file.set([0xff, 0xd8, 0xff], 0);
    let received: Uint8Array | undefined;
    let contentType: string | undefined;
    const client = new EphemeraClient({
      baseUrl: 'http://api.test',
      session,
      fetch: async (url, init = {}) => {
        expect(url).toBe('http://api.test/v1/media');
        contentType = (init.headers as Record<string, string>)['content-type'];
        received = new Uint8Array(await new Response(init.body).arrayBuffer());
        return json(202, { id: 'm1', kind: 'image', status: 'processing' });
      },
    });
    const progress: UploadProgress[] = [];

    const media = await client.media.upload(file, { method: 'stream', onProgress: (p) => progress.push(p) });

    expect(media).toEqual({ id: 'm1', kind: 'image', status: 'processing' });
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    const text = Buffer.from(received!).toString('latin1');
    expect(text).toContain('name="file"');
    expect(text).toContain('Content-Type: image/jpeg');
    expect(received!.length).toBeGreaterThan(file.length);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual({ loaded: file.length, total: file.length });
  });
});
