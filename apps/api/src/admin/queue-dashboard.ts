import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Express } from 'express';
import { AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { QueueProducer } from '@app/queue';
import { RateLimiter } from '../common/rate-limiter';
import { basicAuth } from './basic-auth.middleware';

export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';
export const ADMIN_REALM = 'Ephemera admin';

const ignoreRateLimited = (error: unknown) => {
  if (!(error instanceof DomainError && error.code === ErrorCode.RATE_LIMITED)) throw error;
};

/**
 * Mounts bull-board at /admin/queues behind Basic auth, or nothing at all when
 * no ADMIN_PASSWORD is configured (the route then 404s like any unknown one).
 *
 * bull-board is a plain Express sub-app: Nest guards and MiddlewareConsumer
 * never see its requests, so the auth middleware is mounted on the same
 * `app.use` call, in front of the router. Call it before `listen()`.
 */
export function mountQueueDashboard(
  app: NestExpressApplication,
  config: AppConfig,
  queues: QueueProducer,
  limiter: RateLimiter,
): void {
  if (config.ADMIN_PASSWORD === undefined) return;

  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_ROUTE);
  createBullBoard({
    // Every queue of the catalogue, so a queue added there shows up here without a change.
    queues: queues.allQueues().map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Ephemera queues' } },
  });

  const board = serverAdapter.getRouter() as Express;
  // The sub-app has its own settings: without this it would re-announce the stack the API hides.
  board.disable('x-powered-by');

  app.use(
    QUEUE_DASHBOARD_ROUTE,
    basicAuth({ user: config.ADMIN_USER, password: config.ADMIN_PASSWORD }, ADMIN_REALM, {
      check: (ip) => limiter.check('admin-auth:ip', ip),
      // The attempt that uses up the budget is still answered 401; the next ones get 429.
      record: (ip) => limiter.consume('admin-auth:ip', ip).catch(ignoreRateLimited),
    }),
    board,
  );
}
