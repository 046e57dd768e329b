import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/config';
import { MetricsService } from '@app/observability';
import { RedisService } from '@app/redis';
import { buildHandlerRegistry, DiscoveredHandler } from './handler-registry';
import { JOB_HANDLER } from './job-handler.decorator';
import { JOB_DEFINITIONS, JOB_NAMES, JobName, QUEUE_NAMES, queueConcurrency } from './job-catalogue';

/**
 * Runs one BullMQ worker per queue and dispatches each job to its @JobHandler.
 * Start-up fails when the catalogue and the handlers disagree. `drain()` lets
 * active jobs finish (bounded by SHUTDOWN_TIMEOUT_MS) and only then closes the
 * workers' own Redis connections; the worker process drains before anything
 * else shuts down, so no job loses its database or Redis half-way.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerHost.name);
  private readonly workers: Worker[] = [];
  /** The workers' connections: owned here, closed after the workers, never before. */
  private readonly connections: Redis[] = [];
  private draining?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly metrics: MetricsService,
  ) {}

  discover(): DiscoveredHandler[] {
    const found: DiscoveredHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = (instance as Record<string, unknown>)[method];
        if (typeof fn !== 'function') continue;
        const job = this.reflector.get<string | undefined>(JOB_HANDLER, fn);
        if (job) {
          found.push({
            job,
            owner: `${instance.constructor.name}.${method}`,
            run: (payload, bullJob, token) => (fn as DiscoveredHandler['run']).call(instance, payload, bullJob, token),
          });
        }
      }
    }
    return found;
  }

  onApplicationBootstrap(): void {
    const registry = buildHandlerRegistry(JOB_NAMES, this.discover());
    for (const queue of QUEUE_NAMES) {
      const connection = this.redis.connect({ maxRetriesPerRequest: null }, false);
      this.connections.push(connection);
      const worker = new Worker(
        queue,
        async (job: Job, token?: string) => {
          const handler = registry.get(job.name as JobName);
          if (!handler || JOB_DEFINITIONS[job.name as JobName].queue !== queue) {
            throw new UnrecoverableError(`no handler for job ${job.name} on queue ${queue}`);
          }
          const timer = this.metrics.jobDuration.startTimer({ queue, job: job.name });
          try {
            const result = await handler.run(job.data, job, token);
            timer({ outcome: 'completed' });
            return result;
          } catch (error) {
            timer({ outcome: error instanceof DelayedError ? 'delayed' : 'failed' });
            throw error;
          }
        },
        {
          connection,
          prefix: this.config.QUEUE_PREFIX,
          concurrency: queueConcurrency(queue, this.config),
        },
      );
      worker.on('failed', (job, error) =>
        this.logger.warn(
          { queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message },
          'job failed',
        ),
      );
      worker.on('error', (error) => this.logger.error({ queue, err: error.message }, 'worker error'));
      this.workers.push(worker);
    }
    this.logger.log({ queues: QUEUE_NAMES, jobs: [...registry.keys()] }, 'worker started');
  }

  /** Stops taking jobs and waits for the active ones; idempotent. */
  drain(): Promise<void> {
    this.draining ??= this.closeWorkers();
    return this.draining;
  }

  async onModuleDestroy(): Promise<void> {
    await this.drain();
  }

  private async closeWorkers(): Promise<void> {
    const closing = Promise.all(this.workers.map((worker) => worker.close()));
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), this.config.SHUTDOWN_TIMEOUT_MS).unref(),
    );
    if ((await Promise.race([closing, timeout])) === 'timeout') {
      // Jobs still running are left to BullMQ's stalled-job check, which hands them to another worker.
      this.logger.warn('shutdown timeout: forcing workers closed');
      await Promise.all(this.workers.map((worker) => worker.close(true)));
    }
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
    this.logger.log('worker stopped');
  }
}
