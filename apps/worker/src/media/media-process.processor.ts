import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { DomainError, ErrorCode } from '@app/contracts';
import { MediaRepository, MediaRow, ReadyMedia, SnapsRepository, viewWindowSeconds } from '@app/database';
import { MediaProcessor, ProcessedMedia } from '@app/media';
import { JobHandler, JobPayloads, QueueProducer } from '@app/queue';
import { RealtimePublisher } from '@app/realtime';
import { newMediaKey, S3Storage } from '@app/storage';

/**
 * processing → ready | failed. Refusals (DomainError) are final and recorded;
 * anything else (storage away, a crash) is retried. The original upload is
 * deleted as soon as the outcome is known, either way.
 */
@Injectable()
export class MediaProcessProcessor {
  private readonly logger = new Logger(MediaProcessProcessor.name);

  constructor(
    private readonly media: MediaRepository,
    private readonly snaps: SnapsRepository,
    private readonly storage: S3Storage,
    private readonly processor: MediaProcessor,
    private readonly realtime: RealtimePublisher,
    private readonly queues: QueueProducer,
  ) {}

  @JobHandler('media.process')
  async process(payload: JobPayloads['media.process'], job: Job): Promise<{ status: string }> {
    const row = await this.media.find(payload.mediaId);
    if (!row) return { status: 'gone' };
    if (row.status !== 'processing') return this.finishRecorded(row);

    // Images (bounded by the image size limit) stay in memory; videos go to disk for ffmpeg,
    // in a folder of their own.
    const workDir = row.kind === 'image' ? undefined : await mkdtemp(join(tmpdir(), 'ephemera-media-'));
    try {
      let input: string | Buffer;
      if (workDir === undefined) {
        input = await this.storage.readBytes(row.upload_key);
      } else {
        input = join(workDir, 'upload');
        await pipeline(await this.storage.read(row.upload_key), createWriteStream(input));
      }
      let processed: ProcessedMedia;
      try {
        processed = await this.processor.process(input, { outputDir: workDir, expectedKind: row.kind ?? undefined });
      } catch (error) {
        if (error instanceof DomainError) return await this.fail(row, error.code, error.message);
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
          const outcome = await this.fail(row, ErrorCode.MEDIA_CORRUPT, 'The file could not be processed.');
          if (outcome.status !== 'failed') return outcome;
          throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
        }
        throw error;
      }
      return await this.store(row, processed);
    } finally {
      if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
    }
  }

  private async store(row: MediaRow, processed: ProcessedMedia): Promise<{ status: string }> {
    const mediaKey = newMediaKey();
    let ready: ReadyMedia;
    if (processed.kind === 'image') {
      await this.storage.put(mediaKey, processed.buffer, processed.contentType);
      ready = {
        kind: 'image',
        contentType: processed.contentType,
        mediaKey,
        posterKey: null,
        width: processed.width,
        height: processed.height,
        durationMs: null,
        placeholder: processed.placeholder.base64,
      };
    } else {
      const posterKey = newMediaKey();
      await this.storage.upload(mediaKey, createReadStream(processed.path), processed.contentType);
      await this.storage.put(posterKey, processed.poster.buffer, processed.poster.contentType);
      ready = {
        kind: 'video',
        contentType: processed.contentType,
        mediaKey,
        posterKey,
        width: processed.width,
        height: processed.height,
        durationMs: processed.durationMs,
        placeholder: processed.poster.placeholder.base64,
      };
    }
    const marked = await this.media.markReady(row.id, ready);
    if (!marked) {
      // Another run finished first (a stalled job that came back), or the snap that took the media
      // was purged meanwhile and its row with it: drop this run's copies.
      await this.storage.deleteMany([ready.mediaKey, ...(ready.posterKey ? [ready.posterKey] : [])]);
      return { status: 'duplicate' };
    }
    this.realtime.toUser(row.owner_id, 'media:ready', {
      id: row.id,
      kind: ready.kind,
      width: ready.width,
      height: ready.height,
      durationMs: ready.durationMs,
    });
    if (marked.attached) await this.settle(row.id, 'ready', ready.durationMs);
    await this.dropOriginal(row);
    this.logger.log({ mediaId: row.id, kind: ready.kind }, 'media ready');
    return { status: 'ready' };
  }

  /**
   * A snap sent while its media was processing is delivered the moment the media is
   * ready, and never reaches its recipients when the media is refused. Idempotent:
   * only recipients still pending change.
   */
  private async settle(mediaId: string, outcome: 'ready' | 'failed', durationMs: number | null = null): Promise<void> {
    const snap = await this.snaps.findByMedia(mediaId);
    if (!snap) return;
    if (outcome === 'failed') {
      // Nobody will ever see it: it is purged now, as a withdrawn snap is.
      await this.snaps.failPending(snap.id);
      await this.queues.schedulePurge(snap.id, new Date());
      return;
    }
    // Now that the video's length is known, the view window is at least that long.
    const viewSeconds = viewWindowSeconds(snap.viewSeconds, durationMs);
    if (viewSeconds !== snap.viewSeconds) await this.snaps.widenViewWindow(snap.id, viewSeconds);
    this.realtime.deliverSnap({ ...snap, viewSeconds }, await this.snaps.deliverPending(snap.id));
  }

  /**
   * The media's outcome is recorded already (a retry, or a stalled job that came back while
   * another run finished): finish what that run may have left undone, by the recorded outcome.
   */
  private async finishRecorded(row: MediaRow): Promise<{ status: string }> {
    if (row.status !== 'ready' && row.status !== 'failed') return { status: row.status };
    await this.settle(row.id, row.status, row.duration_ms);
    await this.dropOriginal(row);
    return { status: row.status };
  }

  private async fail(row: MediaRow, code: string, message: string): Promise<{ status: string }> {
    if (!(await this.media.markFailed(row.id, code, message))) {
      // Another run recorded an outcome first, perhaps ready and delivered: that one stands.
      const recorded = await this.media.find(row.id);
      return recorded ? this.finishRecorded(recorded) : { status: 'gone' };
    }
    this.realtime.toUser(row.owner_id, 'media:failed', { id: row.id, failure: { code, message } });
    await this.settle(row.id, 'failed');
    await this.dropOriginal(row);
    this.logger.log({ mediaId: row.id, code }, 'media refused');
    return { status: 'failed' };
  }

  /**
   * Deletes the original upload once the outcome is recorded, and records that it is
   * gone. A failure throws, so the job is retried and comes back here.
   */
  private async dropOriginal(row: MediaRow): Promise<void> {
    if (row.upload_deleted_at) return;
    await this.storage.deleteAll([row.upload_key]);
    await this.media.markUploadDeleted(row.id);
  }
}
