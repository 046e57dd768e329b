import { Injectable, Logger } from '@nestjs/common';
import { JobHandler, JobPayloads } from '@app/queue';
import { S3Storage } from '@app/storage';

/**
 * Deletes storage objects. A key storage refuses to delete fails the job, so
 * BullMQ retries it with backoff; the keys already gone are no-ops on retry.
 */
@Injectable()
export class StorageDeleteProcessor {
  private readonly logger = new Logger(StorageDeleteProcessor.name);

  constructor(private readonly storage: S3Storage) {}

  @JobHandler('storage.delete')
  async delete(payload: JobPayloads['storage.delete']): Promise<{ deleted: number }> {
    if (payload.keys.length === 0) return { deleted: 0 };
    const deleted = await this.storage.deleteAll(payload.keys);
    this.logger.log({ deleted, reason: payload.reason }, 'objects deleted');
    return { deleted };
  }
}
