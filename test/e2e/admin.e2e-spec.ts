import { randomBytes } from 'node:crypto';
import { Job, Worker } from 'bullmq';
import { AppConfig } from '@app/config';
import { QUEUE_NAMES, QueueProducer } from '@app/queue';
import { RedisService } from '@app/redis';
import { startApi, TestApi } from '../support/api';
import { testConfig } from '../support/config';
import { RATE_LIMITS } from '../../apps/api/src/common/rate-limiter';
import { Call, client, randomIp, Reply } from '../support/http';
import { pollUntil } from '../support/poll';

const ADMIN_PASSWORD = 'a-long-admin-password';
const CHALLENGE = 'Basic realm="Ephemera admin", charset="UTF-8"';

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`,
});

describe('admin queue dashboard', () => {
  describe('with ADMIN_PASSWORD configured', () => {
    let config: AppConfig;
    let api: TestApi;
    let call: Call;
    let producer: QueueProducer;
    let admin: Record<string, string>;

    beforeAll(async () => {
      config = testConfig({
        ADMIN_PASSWORD,
        // A prefix of its own: a worker of another suite on the shared Redis must not take this suite's jobs.
        QUEUE_PREFIX: `{ephemera-admin-${randomBytes(4).toString('hex')}}`,
      });
      api = await startApi(config);
      call = client(api.url);
      producer = api.app.get(QueueProducer);
      admin = basic(config.ADMIN_USER, ADMIN_PASSWORD);
    });

    afterAll(async () => {
      if (producer) await Promise.all(producer.allQueues().map((queue) => queue.obliterate({ force: true })));
      await api?.close();
    });

    const expectChallenge = (res: Reply) => {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(CHALLENGE);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
      expect(res.headers.get('x-request-id')).toBeTruthy();
    };

    it.each<[string, () => Record<string, string>]>([
      ['no credentials', () => ({})],
      ['a wrong user', () => basic(`not-${config.ADMIN_USER}`, ADMIN_PASSWORD)],
      ['a wrong password', () => basic(config.ADMIN_USER, `not-${ADMIN_PASSWORD}`)],
      ['a wrong user and password', () => basic(`not-${config.ADMIN_USER}`, `not-${ADMIN_PASSWORD}`)],
      ['the password as the user', () => basic(ADMIN_PASSWORD, config.ADMIN_USER)],
      ['another scheme', () => ({ authorization: `Bearer ${ADMIN_PASSWORD}` })],
      ['a malformed header', () => ({ authorization: 'Basic !!!' })],
    ])('refuses the page with %s', async (_label, headers) => {
      expectChallenge(await call('GET', '/admin/queues', { headers: headers(), ip: randomIp() }));
    });

    it('answers 429 to an address that failed too often, without trying its credentials', async () => {
      const guesser = randomIp();
      for (let i = 0; i < RATE_LIMITS['admin-auth:ip'].limit; i++) {
        expectChallenge(
          await call('GET', '/admin/queues', { headers: basic(config.ADMIN_USER, `guess-${i}`), ip: guesser }),
        );
      }
      const blocked = await call('GET', '/admin/queues', { headers: admin, ip: guesser });
      expect([blocked.status, blocked.body.error.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      // Other addresses are not affected, and a browser's first request (no credentials) is never counted.
      expect((await call('GET', '/admin/queues', { headers: admin, ip: randomIp() })).status).toBe(200);
      expectChallenge(await call('GET', '/admin/queues', { ip: guesser }));
    });

    it('serves the HTML page with the right credentials', async () => {
      const res = await call('GET', '/admin/queues', { headers: admin });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.body).toContain('<html');
      expect(res.body).toContain('/admin/queues/');
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it('protects the static assets and the JSON API under the route as well', async () => {
      expectChallenge(await call('GET', '/admin/queues/api/queues'));
      expectChallenge(await call('GET', '/admin/queues/api/redis/stats'));
      expectChallenge(await call('PUT', '/admin/queues/api/queues/maintenance/pause'));
      expectChallenge(await call('GET', '/admin/queues/static/favicon-32x32.png'));
      expect((await call('GET', '/admin/queues/static/favicon-32x32.png', { headers: admin })).status).toBe(200);
      expect(await producer.queue('maintenance').isPaused()).toBe(false);
    });

    it('lists every queue of the catalogue through the JSON API', async () => {
      const res = await call('GET', '/admin/queues/api/queues', { headers: admin });
      expect(res.status).toBe(200);
      const names = (res.body.queues as { name: string }[]).map((queue) => queue.name);
      expect([...names].sort()).toEqual([...QUEUE_NAMES].sort());
    });

    it('retries a failed job through the JSON API', async () => {
      const queue = producer.queue('maintenance');
      const job = await queue.add('storage.delete', { keys: [], reason: 'admin-e2e' }, { attempts: 1 });
      const jobId = job.id as string;
      const connection = api.app.get(RedisService).connect({ maxRetriesPerRequest: null });
      const worker = new Worker(
        'maintenance',
        async () => {
          throw new Error('fails for good');
        },
        { connection, prefix: config.QUEUE_PREFIX },
      );
      try {
        await pollUntil(
          () => queue.getJobState(jobId),
          (state) => state === 'failed',
          { what: 'the job to fail' },
        );
      } finally {
        await worker.close();
        await connection.quit();
      }

      const path = `/admin/queues/api/queues/maintenance/${encodeURIComponent(jobId)}/retry`;
      expectChallenge(await call('PUT', path));
      expect(await queue.getJobState(jobId)).toBe('failed');

      const retried = await call('PUT', path, { headers: admin });
      expect(retried.status).toBe(204);
      await pollUntil(
        () => queue.getJobState(jobId),
        (state) => state === 'waiting',
        { what: 'the job to wait again' },
      );
      const again = (await Job.fromId(queue, jobId))!;
      expect(again.failedReason ?? '').toBe('');
      await again.remove();
      expect(await queue.getJob(jobId)).toBeUndefined();
    });
  });

  describe('without ADMIN_PASSWORD', () => {
    let api: TestApi;
    let call: Call;

    beforeAll(async () => {
      // infra/test.sh loads .env.example, which sets one; an empty value counts as unset.
      const config = testConfig({ ADMIN_PASSWORD: '' });
      expect(config.ADMIN_PASSWORD).toBeUndefined();
      api = await startApi(config);
      call = client(api.url);
    });

    afterAll(async () => {
      await api?.close();
    });

    it.each(['/admin/queues', '/admin/queues/api/queues'])('%s is not there at all', async (path) => {
      for (const headers of [{}, basic('admin', ADMIN_PASSWORD)]) {
        const res = await call('GET', path, { headers });
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
        expect(res.headers.get('www-authenticate')).toBeNull();
      }
    });
  });
});
