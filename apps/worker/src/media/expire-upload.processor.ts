import { Injectable, Logger } from '@nestjs/common';
import { MediaRepository } from '@app/database';
import { JobHandler, JobPayloads, QueueProducer } from '@app/queue';
import { S3Storage } from '@app/storage';

/**
 * How long after an upload expired its original is deleted once more. Storage checks a
 * presigned URL's expiry when a request starts, so a PUT begun just before the deadline
 * can finish after the upload was expired: a slow client's upload of the largest single
 * PUT still lands within this.
 */
export const LATE_PUT_GRACE_MS = 15 * 60 * 1000;

/**
 * An upload that was never completed, or never attached to a snap, goes when
 * its time is up: every object it has (original, processed media, poster) and
 * any unfinished multipart upload, then the row (its id is remembered for a day, so a
 * late complete hears 410 UPLOAD_EXPIRED). Idempotent; the delayed job and the expiry
 * sweep both call it.
 */
@Injectable()
export class UploadExpirer {
  private readonly logger = new Logger(UploadExpirer.name);

  constructor(
    private readonly media: MediaRepository,
    private readonly storage: S3Storage,
    private readonly queues: QueueProducer,
  ) {}

  async expire(mediaId: string): Promise<boolean> {
    const row = await this.media.expireUpload(mediaId, async (upload) => {
      if (upload.multipart_upload_id) await this.storage.abortMultipart(upload.upload_key, upload.multipart_upload_id);
      const keys = [upload.upload_key, upload.media_key, upload.poster_key].filter((k): k is string => k !== null);
      await this.storage.deleteAll(keys);
    });
    if (!row) return false;
    this.logger.log({ mediaId: row.id, status: row.status }, 'unattached upload expired');
    if (row.upload_method === 'put') {
      // Best effort: should this not be queued, reconciliation and the lifecycle rule remain.
      await this.queues
        .enqueue(
          'storage.delete',
          { keys: [row.upload_key], reason: 'a PUT begun before its upload expired' },
          { delayMs: LATE_PUT_GRACE_MS },
        )
        .catch((error: unknown) => this.logger.warn({ err: error, mediaId: row.id }, 'late PUT clean-up not queued'));
    }
    return true;
  }
}

@Injectable()
export class ExpireUploadProcessor {
  constructor(private readonly expirer: UploadExpirer) {}

  @JobHandler('media.expire-upload')
  async expire(payload: JobPayloads['media.expire-upload']): Promise<{ expired: boolean }> {
    return { expired: await this.expirer.expire(payload.mediaId) };
  }
}
