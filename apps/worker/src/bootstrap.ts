import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@app/config';
import { WorkerHost } from '@app/queue';
import { WorkerModule } from './worker.module';

/** The worker: BullMQ processors in a Nest application context, no HTTP server. */
export async function createWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  return app;
}

/**
 * SIGTERM/SIGINT: active jobs finish first (bounded by SHUTDOWN_TIMEOUT_MS), then the
 * modules close (database, Redis), then the signal is raised again. Nest's own
 * shutdown hooks would close modules in an order that can take a connection from a
 * job still running.
 */
export function stopOnSignals(app: INestApplicationContext): void {
  const stop = (signal: NodeJS.Signals) => {
    app
      .get(WorkerHost)
      .drain()
      .then(() => app.close())
      .catch((error: unknown) => process.stderr.write(`shutdown: ${String(error)}\n`))
      .finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
