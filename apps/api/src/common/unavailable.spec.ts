import { once } from 'node:events';
import { createServer } from 'node:net';
import { HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import IORedis from 'ioredis';
import { DatabaseError, Pool } from 'pg';
import { DomainError, ErrorCode } from '@app/contracts';
import { isDependencyUnavailable } from './unavailable';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const thrown = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

function s3Error(status: number, name: string) {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

function postgresError(code: string) {
  const error = new DatabaseError('refused', 0, 'error');
  error.code = code;
  return error;
}

describe('isDependencyUnavailable', () => {
  it('recognises what each client throws when its server cannot be reached', async () => {
    const port = await closedPort();
    const pool = new Pool({ connectionString: `postgres://u:p@127.0.0.1:${port}/db` });
    const redis = new IORedis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, disconnectTimeout: 10 });
    redis.on('error', () => undefined);
    const s3 = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    try {
      const errors = {
        postgres: await thrown(pool.query('select 1')),
        redis: await thrown(redis.get('k')),
        storage: await thrown(s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }))),
      };
      const closed = new IORedis(`redis://127.0.0.1:${port}`, { lazyConnect: true });
      closed.disconnect();
      const closedRedis = await thrown(closed.get('k'));
      expect(Object.values(errors).every(Boolean)).toBe(true);
      expect({
        postgres: isDependencyUnavailable(errors.postgres),
        redis: isDependencyUnavailable(errors.redis),
        storage: isDependencyUnavailable(errors.storage),
        closedRedis: isDependencyUnavailable(closedRedis),
      }).toEqual({ postgres: true, redis: true, storage: true, closedRedis: true });
    } finally {
      await pool.end();
      redis.disconnect();
      s3.destroy();
    }
  });

  it('recognises servers that refuse work for now, and wrapped causes', () => {
    expect(isDependencyUnavailable(s3Error(503, 'SlowDown'))).toBe(true);
    expect(isDependencyUnavailable(s3Error(500, 'InternalError'))).toBe(true);
    expect(isDependencyUnavailable(postgresError('57P01'))).toBe(true); // admin shutdown
    expect(isDependencyUnavailable(postgresError('08006'))).toBe(true); // connection failure
    expect(isDependencyUnavailable(postgresError('53300'))).toBe(true); // too many connections
    expect(isDependencyUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isDependencyUnavailable(
        new Error('upload failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
      ),
    ).toBe(true);
  });

  it('leaves bugs and answers about the request itself alone', () => {
    expect(isDependencyUnavailable(new Error('undefined is not a function'))).toBe(false);
    expect(isDependencyUnavailable(new DomainError(ErrorCode.NOT_FOUND, 'No such snap.'))).toBe(false);
    expect(isDependencyUnavailable(s3Error(404, 'NoSuchKey'))).toBe(false);
    expect(isDependencyUnavailable(s3Error(403, 'AccessDenied'))).toBe(false);
    expect(isDependencyUnavailable(postgresError('23505'))).toBe(false); // unique violation
    expect(isDependencyUnavailable(null)).toBe(false);
    expect(isDependencyUnavailable('ECONNREFUSED')).toBe(false);
  });
});
