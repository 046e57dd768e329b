import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { JOB_DEFINITIONS, JobName, QueueProducer } from '@app/queue';

/**
 * Keeps the repeatable jobs (the expiry sweep, the storage reconciliation)
 * registered in BullMQ. Schedules live in Redis, so they vanish with its data;
 * every worker re-registers them (one cheap, idempotent call each) at start and
 * then every sweep interval, so a flushed Redis has its safety nets back within
 * one interval.
 */
@Injectable()
export class JobSchedules implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobSchedules.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueProducer,
  ) {}

  private get schedules(): { job: JobName; everyMs: number }[] {
    return [
      { job: 'expiry.sweep', everyMs: this.config.SWEEP_INTERVAL_SECONDS * 1000 },
      { job: 'storage.reconcile', everyMs: this.config.RECONCILE_INTERVAL_SECONDS * 1000 },
    ];
  }

  async register(): Promise<void> {
    for (const { job, everyMs } of this.schedules) {
      const definition = JOB_DEFINITIONS[job];
      await this.queues
        .queue(definition.queue)
        .upsertJobScheduler(
          job.replace('.', '-'),
          { every: everyMs },
          { name: job, data: {}, opts: definition.options },
        );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.register();
    this.timer = setInterval(() => {
      this.register().catch((error: unknown) => this.logger.warn({ err: error }, 'could not re-register schedules'));
    }, this.config.SWEEP_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
