import { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, of, throwError } from 'rxjs';
import { AppConfig } from '@app/config';
import { DomainError } from '@app/contracts';
import { RedisService } from '@app/redis';
import { IdempotencyInterceptor } from './idempotency';

/** An in-memory stand-in for the three Redis commands the interceptor uses. */
function fakeRedis(failSetAfter = Infinity) {
  const store = new Map<string, string>();
  let sets = 0;
  const client = {
    set: jest.fn(async (key: string, value: string, _ex: string, _ttl: number, nx?: string) => {
      if (++sets > failSetAfter) throw new Error('connection lost');
      if (nx === 'NX' && store.has(key)) return null;
      store.set(key, value);
      return 'OK';
    }),
    get: jest.fn(async (key: string) => store.get(key) ?? null),
    del: jest.fn(async (key: string) => Number(store.delete(key))),
  };
  return { service: { client } as unknown as RedisService, store };
}

function context(key: string | undefined, body: unknown) {
  const headers: Record<string, string> = key === undefined ? {} : { 'idempotency-key': key };
  const response = { setHeader: jest.fn() };
  const request = { headers, body, method: 'POST', path: '/v1/snaps', auth: { userId: 'u1' } };
  const ctx = {
    getHandler: () => () => undefined,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  return { ctx, response };
}

function interceptor(redis: RedisService, window: (config: AppConfig, answer: unknown) => number = () => 86400) {
  const reflector = { get: () => window } as unknown as Reflector;
  return new IdempotencyInterceptor(reflector, redis, {} as AppConfig);
}

const handler = (answer: () => unknown): CallHandler & { calls: number } => {
  const h = {
    calls: 0,
    handle: () => {
      h.calls++;
      try {
        return of(answer());
      } catch (error) {
        return throwError(() => error);
      }
    },
  };
  return h;
};

const run = async (i: IdempotencyInterceptor, ctx: ExecutionContext, h: CallHandler) =>
  lastValueFrom(await i.intercept(ctx, h));

describe('IdempotencyInterceptor', () => {
  it('runs a request once per key and replays its answer, marked as such', async () => {
    const redis = fakeRedis();
    const i = interceptor(redis.service);
    const h = handler(() => ({ id: 's1' }));
    expect(await run(i, context('k1', { a: 1 }).ctx, h)).toEqual({ id: 's1' });
    const again = context('k1', { a: 1 });
    expect(await run(i, again.ctx, h)).toEqual({ id: 's1' });
    expect(h.calls).toBe(1);
    expect(again.response.setHeader).toHaveBeenCalledWith('Idempotent-Replayed', 'true');
    // Without a key, nothing is kept.
    await run(i, context(undefined, { a: 1 }).ctx, h);
    expect(h.calls).toBe(2);
  });

  it('tells a repeat to wait while the first is running, and refuses a key reused for another body', async () => {
    const redis = fakeRedis();
    const i = interceptor(redis.service);
    let release!: () => void;
    const answered = new Promise<{ id: string }>((resolve) => (release = () => resolve({ id: 's1' })));
    const first = run(i, context('k1', { a: 1 }).ctx, { handle: () => from(answered) });
    await new Promise((resolve) => setImmediate(resolve));
    const waiting = await run(
      i,
      context('k1', { a: 1 }).ctx,
      handler(() => 'never'),
    ).catch((e: unknown) => e);
    expect(waiting).toBeInstanceOf(DomainError);
    expect(waiting).toMatchObject({ code: 'REQUEST_IN_PROGRESS', details: { retryAfterSeconds: 1 } });
    release();
    expect(await first).toEqual({ id: 's1' });
    const reused = await run(
      i,
      context('k1', { a: 2 }).ctx,
      handler(() => 'never'),
    ).catch((e: unknown) => e);
    expect(reused).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('frees the key when the request fails, so a repeat runs again', async () => {
    const redis = fakeRedis();
    const i = interceptor(redis.service);
    const failing = handler(() => {
      throw new DomainError('MEDIA_NOT_READY', 'not yet');
    });
    for (let n = 0; n < 2; n++) {
      await expect(run(i, context('k1', { a: 1 }).ctx, failing)).rejects.toMatchObject({ code: 'MEDIA_NOT_READY' });
    }
    expect(failing.calls).toBe(2);
    expect(redis.store.size).toBe(0);
  });

  it('keeps an answer only as long as its window, which the answer itself may set', async () => {
    const redis = fakeRedis();
    const i = interceptor(redis.service, (_, answer) => (answer as { validFor: number }).validFor);
    const h = handler(() => ({ validFor: -0.2 }));
    await run(i, context('k1', {}).ctx, h);
    expect(redis.store.size).toBe(0);
    await run(i, context('k1', {}).ctx, h);
    expect(h.calls).toBe(2);
    const kept = handler(() => ({ validFor: 30.7 }));
    await run(i, context('k2', {}).ctx, kept);
    expect(redis.service.client.set).toHaveBeenLastCalledWith(expect.any(String), expect.any(String), 'PX', 30700);
  });

  it('still answers when the answer cannot be kept', async () => {
    const redis = fakeRedis(1);
    const i = interceptor(redis.service);
    expect(
      await run(
        i,
        context('k1', {}).ctx,
        handler(() => ({ id: 's1' })),
      ),
    ).toEqual({ id: 's1' });
  });

  it('refuses a malformed key with VALIDATION_FAILED naming the header', async () => {
    const i = interceptor(fakeRedis().service);
    const error = await run(
      i,
      context('k'.repeat(256), {}).ctx,
      handler(() => 'never'),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'Idempotency-Key' }] },
    });
  });
});
