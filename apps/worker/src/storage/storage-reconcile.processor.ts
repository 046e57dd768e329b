import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { MediaRepository } from '@app/database';
import { JobHandler, JobPayloads } from '@app/queue';
import { DELETE_BATCH_SIZE, ListedObject, MEDIA_PREFIX, S3Storage, UPLOADS_PREFIX } from '@app/storage';

/**
 * The slow safety net under the purge: lists what storage holds and deletes any
 * object that no media row names (a crash between an upload and its row, a purge
 * whose bookkeeping was lost). Only objects older than RECONCILE_GRACE_SECONDS go,
 * so an object written a moment before its row is never mistaken for an orphan.
 */
@Injectable()
export class StorageReconcileProcessor {
  private readonly logger = new Logger(StorageReconcileProcessor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly storage: S3Storage,
    private readonly media: MediaRepository,
  ) {}

  @JobHandler('storage.reconcile')
  async reconcile(_: JobPayloads['storage.reconcile']): Promise<{ checked: number; deleted: number }> {
    const cutoff = Date.now() - this.config.RECONCILE_GRACE_SECONDS * 1000;
    let checked = 0;
    let deleted = 0;
    for (const prefix of [UPLOADS_PREFIX, MEDIA_PREFIX]) {
      let page: ListedObject[] = [];
      const flush = async () => {
        const referenced = await this.media.referencedKeys(page.map((o) => o.key));
        const orphans = page
          .filter((o) => !referenced.has(o.key) && o.lastModified.getTime() < cutoff)
          .map((o) => o.key);
        if (orphans.length > 0) deleted += (await this.storage.deleteMany(orphans)).deleted;
        checked += page.length;
        page = [];
      };
      for await (const object of this.storage.list(prefix)) {
        page.push(object);
        if (page.length === DELETE_BATCH_SIZE) await flush();
      }
      await flush();
    }
    if (deleted > 0) this.logger.warn({ checked, deleted }, 'reconciliation deleted unreferenced objects');
    return { checked, deleted };
  }
}
