import { Injectable } from '@nestjs/common';
import { Selectable, sql } from 'kysely';
import { DatabaseService } from '../database.service';
import { MediaKind, MediaTable, UploadMethod } from '../database.types';

/** How long an expired upload's id is remembered, to answer 410 instead of 404. */
export const EXPIRED_UPLOAD_MEMORY_HOURS = 24;

export type MediaRow = Selectable<MediaTable>;

export interface NewMedia {
  ownerId: string;
  uploadMethod: UploadMethod;
  uploadKey: string;
  multipartUploadId?: string;
  declaredType?: string;
  declaredSize?: number;
  uploadExpiresAt: Date;
  kind?: MediaKind;
}

export interface ReadyMedia {
  kind: MediaKind;
  contentType: string;
  mediaKey: string;
  posterKey: string | null;
  width: number;
  height: number;
  durationMs: number | null;
  placeholder: string | null;
}

/** The media state machine's rows: uploading → processing → ready | failed. */
@Injectable()
export class MediaRepository {
  constructor(private readonly database: DatabaseService) {}

  private get db() {
    return this.database.db;
  }

  async create(input: NewMedia): Promise<MediaRow> {
    return this.db
      .insertInto('media')
      .values({
        owner_id: input.ownerId,
        status: 'uploading',
        upload_method: input.uploadMethod,
        upload_key: input.uploadKey,
        multipart_upload_id: input.multipartUploadId ?? null,
        declared_type: input.declaredType ?? null,
        declared_size: input.declaredSize ?? null,
        upload_expires_at: input.uploadExpiresAt,
        kind: input.kind ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async find(id: string): Promise<MediaRow | undefined> {
    return this.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findOwned(id: string, ownerId: string): Promise<MediaRow | undefined> {
    return this.db
      .selectFrom('media')
      .selectAll()
      .where('id', '=', id)
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
  }

  /** How many direct uploads this owner has open (created, not completed), and when the first of them expires. */
  async openUploads(ownerId: string): Promise<{ count: number; firstExpiresAt: Date | null }> {
    const row = await this.db
      .selectFrom('media')
      .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('upload_expires_at').as('first')])
      .where('owner_id', '=', ownerId)
      .where('status', '=', 'uploading')
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), firstExpiresAt: row.first ?? null };
  }

  /** uploading → processing, once; false when the row was not uploading any more. */
  async startProcessing(id: string, kind: MediaKind): Promise<boolean> {
    const result = await this.db
      .updateTable('media')
      .set({ status: 'processing', kind, processing_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('status', '=', 'uploading')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * processing → ready, once; null when another run finished it first. Says whether a
   * snap has taken the media: sending locks this row, so a snap sent before this update
   * shows here, and one sent after it sees the media ready and delivers by itself.
   */
  async markReady(id: string, ready: ReadyMedia): Promise<{ attached: boolean } | null> {
    const row = await this.db
      .updateTable('media')
      .set({
        status: 'ready',
        kind: ready.kind,
        content_type: ready.contentType,
        media_key: ready.mediaKey,
        poster_key: ready.posterKey,
        width: ready.width,
        height: ready.height,
        duration_ms: ready.durationMs,
        placeholder: ready.placeholder,
        processed_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('status', '=', 'processing')
      .returning('attached_at')
      .executeTakeFirst();
    return row ? { attached: row.attached_at !== null } : null;
  }

  /** uploading | processing → failed, with the API.md code the uploader sees. */
  async markFailed(id: string, code: string, message: string): Promise<boolean> {
    const result = await this.db
      .updateTable('media')
      .set({ status: 'failed', failure_code: code, failure_message: message, processed_at: sql`now()` })
      .where('id', '=', id)
      .where('status', 'in', ['uploading', 'processing'])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Records that the original upload object is gone, so purges no longer name it. */
  async markUploadDeleted(id: string): Promise<void> {
    await this.db
      .updateTable('media')
      .set({ upload_deleted_at: sql`now()` })
      .where('id', '=', id)
      .where('upload_deleted_at', 'is', null)
      .execute();
  }

  /** Media still processing `seconds` after processing was asked for (or last checked), longest first. */
  async stillProcessing(limit: number, seconds: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('media')
      .select('id')
      .where('status', '=', 'processing')
      .where('processing_at', '<=', sql<Date>`now() - make_interval(secs => ${seconds})`)
      .orderBy('processing_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** The sweep checked these media's jobs: the next check is PROCESSING_CHECK_SECONDS from now. */
  async processingChecked(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('media')
      .set({ processing_at: sql<Date>`now()` })
      .where('id', 'in', [...ids])
      .where('status', '=', 'processing')
      .execute();
  }

  /** Uploads past their deadline (by more than `graceSeconds`) that no snap took: what the sweep re-finds. */
  async overdueUploads(limit: number, graceSeconds: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('media')
      .select('id')
      .where('attached_at', 'is', null)
      .where('upload_expires_at', '<=', sql<Date>`now() - make_interval(secs => ${graceSeconds})`)
      .orderBy('upload_expires_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Which of these storage keys a media row still names: an upload not yet deleted, processed
   * media or a poster. An upload key whose original was deleted names nothing: whatever is
   * there now was put back through a presigned URL still alive, and is not kept.
   */
  async referencedKeys(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('media')
      .select(['upload_key', 'upload_deleted_at', 'media_key', 'poster_key'])
      .where((eb) =>
        eb.or([eb('upload_key', 'in', [...keys]), eb('media_key', 'in', [...keys]), eb('poster_key', 'in', [...keys])]),
      )
      .execute();
    return new Set(
      rows
        .flatMap((r) => [r.upload_deleted_at ? null : r.upload_key, r.media_key, r.poster_key])
        .filter((k): k is string => k !== null),
    );
  }

  /**
   * Deletes an upload whose time ran out and that no snap took, and remembers for a while
   * that it expired, so its owner hears 410 UPLOAD_EXPIRED rather than 404. The row stays
   * locked while `deleteObjects` runs: a send that got to it first is waited for (and the
   * upload, attached, is left alone); a send that comes later finds it expired or gone. A
   * throw rolls back, leaving the upload to be expired again. Undefined when it was not due.
   */
  async expireUpload(id: string, deleteObjects: (row: MediaRow) => Promise<void>): Promise<MediaRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('media')
        .selectAll()
        .where('id', '=', id)
        .where('attached_at', 'is', null)
        .where('upload_expires_at', '<=', sql<Date>`now()`)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return undefined;
      await deleteObjects(row);
      await trx
        .insertInto('expired_uploads')
        .values({ id: row.id, owner_id: row.owner_id })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await trx.deleteFrom('media').where('id', '=', row.id).execute();
      return row;
    });
  }

  /** Whether this owner's upload was deleted because it expired (remembered for EXPIRED_UPLOAD_MEMORY_HOURS). */
  async wasExpired(id: string, ownerId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('expired_uploads')
      .select('id')
      .where('id', '=', id)
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Forgets expired uploads after EXPIRED_UPLOAD_MEMORY_HOURS; a later request for one is a plain 404. */
  async forgetExpiredUploads(limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('expired_uploads')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('expired_uploads')
          .select('id')
          .where('expired_at', '<', sql<Date>`now() - make_interval(hours => ${EXPIRED_UPLOAD_MEMORY_HOURS})`)
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
