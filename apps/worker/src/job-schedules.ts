import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { JOB_DEFINITIONS, JobName, QUEUE_NAMES, QueueProducer } from '@app/queue';

const schedulerId = (job: JobName): string => job.replace('.', '-');

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
        .upsertJobScheduler(schedulerId(job), { every: everyMs }, { name: job, data: {}, opts: definition.options });
    }
  }

  /** Schedules an earlier version left on a queue that no longer runs their job. */
  async removeStale(): Promise<void> {
    const current = new Set(this.schedules.map(({ job }) => `${JOB_DEFINITIONS[job].queue}/${schedulerId(job)}`));
    for (const name of QUEUE_NAMES) {
      const queue = this.queues.queue(name);
      for (const scheduler of await queue.getJobSchedulers()) {
        if (current.has(`${name}/${scheduler.key}`)) continue;
        await queue.removeJobScheduler(scheduler.key);
        this.logger.log({ queue: name, scheduler: scheduler.key }, 'removed a stale job schedule');
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.removeStale();
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
