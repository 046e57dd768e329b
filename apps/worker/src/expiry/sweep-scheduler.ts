import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { JOB_DEFINITIONS, QueueProducer } from '@app/queue';

/**
 * Keeps the repeatable sweep registered in BullMQ. Schedules live in Redis, so
 * they vanish with its data; every worker re-registers the schedule (one cheap,
 * idempotent call) at start and then every sweep interval, so a flushed Redis has
 * its safety net back within one interval.
 */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SweepScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueProducer,
  ) {}

  async register(): Promise<void> {
    const definition = JOB_DEFINITIONS['expiry.sweep'];
    await this.queues
      .queue(definition.queue)
      .upsertJobScheduler(
        'expiry-sweep',
        { every: this.config.SWEEP_INTERVAL_SECONDS * 1000 },
        { name: 'expiry.sweep', data: {}, opts: definition.options },
      );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.register();
    this.timer = setInterval(() => {
      this.register().catch((error: unknown) => this.logger.warn({ err: error }, 'could not re-register the sweep'));
    }, this.config.SWEEP_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
