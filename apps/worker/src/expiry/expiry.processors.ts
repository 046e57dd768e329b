import { Injectable, Logger } from '@nestjs/common';
import { MediaRepository, SnapsRepository } from '@app/database';
import { JobHandler, JobPayloads } from '@app/queue';
import { UploadExpirer } from '../media/expire-upload.processor';
import { PurgeOutcome, SnapPurger } from './snap-purger';

/** Most the sweep handles per run; a backlog is worked off over consecutive runs. */
const SWEEP_BATCH = 500;
const SWEEP_PARALLELISM = 8;

@Injectable()
export class SnapPurgeProcessor {
  constructor(private readonly purger: SnapPurger) {}

  @JobHandler('snap.purge')
  async purge(payload: JobPayloads['snap.purge']): Promise<{ outcome: PurgeOutcome }> {
    return { outcome: await this.purger.purge(payload.snapId) };
  }
}

/**
 * The safety net: finds, in PostgreSQL, every snap past its purge deadline and
 * every upload past its expiry that are still there, and deletes them itself.
 * This is what makes a lost Redis, a killed worker or a failed job harmless.
 * Findings mean the fast path missed; they are logged with their count.
 */
@Injectable()
export class ExpirySweepProcessor {
  private readonly logger = new Logger(ExpirySweepProcessor.name);

  constructor(
    private readonly snaps: SnapsRepository,
    private readonly media: MediaRepository,
    private readonly purger: SnapPurger,
    private readonly uploads: UploadExpirer,
  ) {}

  @JobHandler('expiry.sweep')
  async sweep(_: JobPayloads['expiry.sweep']): Promise<{ snaps: number; uploads: number; failed: number }> {
    const [snapIds, mediaIds] = await Promise.all([
      this.snaps.overdue(SWEEP_BATCH),
      this.media.overdueUploads(SWEEP_BATCH),
    ]);
    const work = [
      ...snapIds.map((id) => () => this.purger.purge(id)),
      ...mediaIds.map((id) => () => this.uploads.expire(id)),
    ];
    let failed = 0;
    for (let i = 0; i < work.length; i += SWEEP_PARALLELISM) {
      const results = await Promise.allSettled(work.slice(i, i + SWEEP_PARALLELISM).map((run) => run()));
      failed += results.filter((r) => r.status === 'rejected').length;
    }
    if (work.length > 0) {
      this.logger.warn({ snaps: snapIds.length, uploads: mediaIds.length, failed }, 'sweep found overdue items');
    }
    return { snaps: snapIds.length, uploads: mediaIds.length, failed };
  }
}
