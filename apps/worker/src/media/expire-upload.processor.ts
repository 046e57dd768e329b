import { Injectable, Logger } from '@nestjs/common';
import { MediaRepository } from '@app/database';
import { JobHandler, JobPayloads } from '@app/queue';
import { S3Storage } from '@app/storage';

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
  ) {}

  async expire(mediaId: string): Promise<boolean> {
    const row = await this.media.expireUpload(mediaId, async (upload) => {
      if (upload.multipart_upload_id) await this.storage.abortMultipart(upload.upload_key, upload.multipart_upload_id);
      const keys = [upload.upload_key, upload.media_key, upload.poster_key].filter((k): k is string => k !== null);
      await this.storage.deleteAll(keys);
    });
    if (!row) return false;
    this.logger.log({ mediaId: row.id, status: row.status }, 'unattached upload expired');
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
