import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config';
import { MediaRepository, SnapsRepository } from '@app/database';
import { SWEEP_FINDINGS_KEY } from '@app/observability';
import { jobIds, JobHandler, JobPayloads, QueueProducer } from '@app/queue';
import { RedisService } from '@app/redis';
import { UploadExpirer } from '../media/expire-upload.processor';
import { PurgeOutcome, SnapPurger } from './snap-purger';

/** Most uploads and receipts the sweep handles per run; a backlog is worked off over consecutive runs. */
const SWEEP_BATCH = 500;
const SWEEP_PARALLELISM = 8;
/** How late a deadline must be before the sweep steps in: the jobs' own moment to run. */
const SWEEP_GRACE_SECONDS = 1;

/** The least a purge job that ran early waits before it runs again. */
const EARLY_REDELAY_MS = 20;

@Injectable()
export class SnapPurgeProcessor {
  constructor(private readonly purger: SnapPurger) {}

  /**
   * A job that runs before the deadline PostgreSQL holds (the clock of the host that
   * scheduled it ran ahead of this one's) is delayed again to that deadline, instead of
   * completing and leaving its snap to the sweep, seconds late.
   */
  @JobHandler('snap.purge')
  async purge(payload: JobPayloads['snap.purge'], job: Job, token?: string): Promise<{ outcome: PurgeOutcome }> {
    const result = await this.purger.purge(payload.snapId);
    if (result.outcome === 'not-due' && token) {
      await job.moveToDelayed(Math.max(result.purgeAfter.getTime(), Date.now() + EARLY_REDELAY_MS), token);
      throw new DelayedError();
    }
    return { outcome: result.outcome };
  }
}

/**
 * The safety net: finds, in PostgreSQL, every snap past its purge deadline and
 * every upload past its expiry that are still there, and deletes them itself;
 * and media processing for too long, whose job it makes sure of.
 * This is what makes a lost Redis, a killed worker or a failed job harmless.
 * Findings mean the fast path missed; they are logged with their count. It runs
 * on a queue of its own, so no backlog of other jobs can hold it up.
 */
@Injectable()
export class ExpirySweepProcessor {
  private readonly logger = new Logger(ExpirySweepProcessor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly snaps: SnapsRepository,
    private readonly media: MediaRepository,
    private readonly purger: SnapPurger,
    private readonly uploads: UploadExpirer,
    private readonly redis: RedisService,
    private readonly queues: QueueProducer,
  ) {}

  @JobHandler('expiry.sweep')
  async sweep(
    _: JobPayloads['expiry.sweep'],
  ): Promise<{ snaps: number; uploads: number; processing: number; failed: number; receipts: number }> {
    let failed = 0;
    const purged = await this.purger.purgeDue(SWEEP_GRACE_SECONDS).then(
      (ids) => ids.size,
      (error: unknown) => {
        failed++;
        this.logger.warn({ err: error }, 'sweep could not purge overdue snaps');
        return 0;
      },
    );
    const mediaIds = await this.media.overdueUploads(SWEEP_BATCH, SWEEP_GRACE_SECONDS);
    for (let i = 0; i < mediaIds.length; i += SWEEP_PARALLELISM) {
      const batch = mediaIds.slice(i, i + SWEEP_PARALLELISM);
      const results = await Promise.allSettled(batch.map((id) => this.uploads.expire(id)));
      failed += results.filter((r) => r.status === 'rejected').length;
    }
    const processing = await this.rescueProcessing().catch((error: unknown) => {
      failed++;
      this.logger.warn({ err: error }, 'sweep could not check media still processing');
      return 0;
    });
    const found = purged + mediaIds.length + processing;
    if (found > 0) {
      await this.redis.client.incrby(SWEEP_FINDINGS_KEY, found);
      this.logger.warn({ snaps: purged, uploads: mediaIds.length, processing, failed }, 'sweep found overdue items');
    }
    const receipts = await this.snaps.deleteOldReceipts(this.config.RECEIPT_RETENTION_DAYS, SWEEP_BATCH);
    await this.media.forgetExpiredUploads(SWEEP_BATCH);
    return { snaps: purged, uploads: mediaIds.length, processing, failed, receipts };
  }

  /**
   * Media still processing long after it was asked for gets its job back: added again when
   * Redis lost it, retried when its attempts ran out (storage away longer than its backoff).
   * A job still waiting or running is left alone. Answers how many needed it.
   */
  private async rescueProcessing(): Promise<number> {
    const checked = await this.media.stillProcessing(SWEEP_BATCH, this.config.PROCESSING_CHECK_SECONDS);
    let rescued = 0;
    for (const mediaId of checked) {
      if ((await this.queues.ensure('media.process', { mediaId }, jobIds.process(mediaId))) !== 'present') rescued++;
    }
    // Each is checked again only after another interval: a backlog of waiting jobs costs one
    // look per interval, and through a long storage outage a job gets its attempts once per
    // interval, not back to back.
    await this.media.processingChecked(checked);
    return rescued;
  }
}
