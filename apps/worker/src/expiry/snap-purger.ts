import { Injectable, Logger } from '@nestjs/common';
import { SnapsRepository } from '@app/database';
import { RealtimePublisher } from '@app/realtime';
import { S3Storage } from '@app/storage';

export type PurgeOutcome = 'purged' | 'already-purged' | 'not-due' | 'unknown';

/**
 * The purge of one snap, in the order that keeps it safe to repeat: storage
 * objects first (a failure leaves the snap unpurged, so it is retried), then the
 * database (media row, caption, recipients expired, purged_at), then the events.
 * Running it twice, or after a partial failure, ends in the same state.
 */
@Injectable()
export class SnapPurger {
  private readonly logger = new Logger(SnapPurger.name);

  constructor(
    private readonly snaps: SnapsRepository,
    private readonly storage: S3Storage,
    private readonly realtime: RealtimePublisher,
  ) {}

  async purge(snapId: string): Promise<PurgeOutcome> {
    const snap = await this.snaps.find(snapId);
    if (!snap) return 'unknown';
    if (snap.purgedAt) return 'already-purged';
    // The deadline in PostgreSQL is the truth; a job that fires early leaves it to a later run.
    if (snap.purgeAfter.getTime() > Date.now()) return 'not-due';

    const keys = await this.snaps.storageKeys(snapId);
    if (keys.length > 0) {
      const result = await this.storage.deleteMany(keys);
      if (result.failed.length > 0) {
        throw new Error(`storage kept ${result.failed.length} of ${keys.length} object(s) of snap ${snapId}`);
      }
    }
    const marked = await this.snaps.markPurged(snapId);
    if (!marked) return 'already-purged';
    for (const userId of [marked.senderId, ...marked.notify]) {
      this.realtime.toUser(userId, 'snap:expired', { id: snapId });
    }
    const lagMs = Date.now() - snap.purgeAfter.getTime();
    this.logger.log({ snapId, objects: keys.length, lagMs }, 'snap purged');
    return 'purged';
  }
}
