import { INestApplication, Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@app/config';
import { RedisService } from '@app/redis';
import { assignRequestId, MetricsService } from '@app/observability';
import { QueueProducer } from '@app/queue';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { HttpDrain } from './common/http-drain';
import { RateLimiter } from './common/rate-limiter';
import { jsonBody } from './common/json-body.middleware';
import { createValidationPipe } from './common/validation.pipe';
import { RedisIoAdapter } from './realtime/redis-io.adapter';

export const API_VERSION = '1.0.0';

function recordHttpMetrics(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      // The route pattern, never the raw path: ids in paths would explode the label set.
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Ephemera API')
      .setDescription(
        'Ephemeral photo/video messaging. Errors use `{"error": {"code", "message", "details?"}, "requestId"}`; ' +
          'every response carries `x-request-id`. Real-time events come over socket.io at `/socket.io` ' +
          '(handshake `auth: {token}`; refused with UNAUTHENTICATED, or SERVICE_UNAVAILABLE and `data.retryAfter` ' +
          'seconds when the token cannot be checked for now); the server closes a socket when that access token expires or its ' +
          'session is revoked, and clients reconnect with a fresh token. Outside this spec and without a ' +
          'bearer token: `GET /metrics` (Prometheus text, for the scraper on the private network) and ' +
          '`/admin/queues` (the queue dashboard, HTTP Basic auth).',
      )
      .setVersion(API_VERSION)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

/** Builds the API application; used by main.ts and by the e2e tests, so both run the same stack. */
export async function createApi(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(app.get(HttpDrain).track);
  // Before anything else that answers, so that every response (even a body-parser refusal) carries x-request-id.
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    req.id = assignRequestId(req, res);
    next();
  });
  app.use(recordHttpMetrics(app.get(MetricsService)));
  mountQueueDashboard(app, config, app.get(QueueProducer), app.get(RateLimiter));
  app.use(jsonBody(config.JSON_BODY_LIMIT));
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new RedisIoAdapter(app, app.get(RedisService)));
  setUpOpenApi(app);
  return app;
}

/**
 * Stops the API: no new connections, the requests in flight finish (bounded by
 * SHUTDOWN_TIMEOUT_MS) while its database, Redis and storage clients still work; then
 * sockets are closed (clients reconnect to another node), then the modules. Nest's own
 * close() alone would close the modules first and fail every request still running.
 */
export async function stopApi(app: NestExpressApplication, config: AppConfig): Promise<void> {
  const logger = new NestLogger('Api');
  const drain = app.get(HttpDrain);
  logger.log({ requestsInFlight: drain.requestsInFlight }, 'stopping: draining requests');
  const outcome = await drain.drain(app.getHttpServer(), config.SHUTDOWN_TIMEOUT_MS);
  if (outcome === 'timeout') logger.warn('shutdown timeout: requests still running were cut off');
  await app.close();
}

/** SIGTERM/SIGINT: stopApi, then the signal is raised again. */
export function stopOnSignals(app: NestExpressApplication, config: AppConfig): void {
  const stop = (signal: NodeJS.Signals) => {
    stopApi(app, config)
      .catch((error: unknown) => process.stderr.write(`shutdown: ${String(error)}\n`))
      .finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
