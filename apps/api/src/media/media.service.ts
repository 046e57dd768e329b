import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { MediaRepository, MediaRow } from '@app/database';
import { peekStream, sniffMediaType, SNIFF_BYTES, SniffResult } from '@app/media';
import { jobIds, QueueProducer } from '@app/queue';
import { newUploadKey, S3Storage, UploadedPart } from '@app/storage';
import { rateLimited, RateLimiter } from '../common/rate-limiter';
import { byteLimit } from './byte-limit';
import { DECLARABLE_TYPES } from './declarable-types';
import { DirectUploadView, MediaView, UploadStatusView } from './dto/media.dto';
import type { MultipartFile } from './multipart-file';

/** Direct uploads one user may have created and not completed yet; completing or expiring one frees its place. */
export const MAX_OPEN_UPLOADS = 20;
/** Up to this size one presigned PUT; above, S3 multipart so large videos can resume. */
export const SINGLE_PUT_MAX_BYTES = 16 * 1024 * 1024;
const MIN_PART_SIZE = 8 * 1024 * 1024;
const MAX_PARTS = 10000;
/** Presigned upload URLs live this long; a resuming client asks for fresh ones. */
const UPLOAD_URL_SECONDS = 15 * 60;

export function partSizeFor(size: number): number {
  const mib = 1024 * 1024;
  return Math.max(MIN_PART_SIZE, Math.ceil(size / MAX_PARTS / mib) * mib);
}

/** How many parts an upload of `size` bytes is split into. */
function partCount(size: number): number {
  return Math.ceil(size / partSizeFor(size));
}

/** The part numbers (from 1) of an upload of `size` bytes that `stored` does not hold. */
function missingParts(size: number, stored: readonly UploadedPart[]): number[] {
  const have = new Set(stored.map((p) => p.partNumber));
  return Array.from({ length: partCount(size) }, (_, i) => i + 1).filter((n) => !have.has(n));
}

/** The exact length of part `partNumber` (from 1) of an upload of `size` bytes: its URL accepts no other. */
export function partLength(size: number, partNumber: number): number {
  const partSize = partSizeFor(size);
  return Math.min(partSize, size - (partNumber - 1) * partSize);
}

const unsupported = () =>
  new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Only JPEG, PNG, WebP, GIF, MP4, MOV and WebM are supported.');
const notFound = () => new DomainError(ErrorCode.NOT_FOUND, 'No such media.');
/** The refusal a failed upload recorded, answered again. */
const refusalOf = (row: MediaRow) =>
  new DomainError((row.failure_code as ErrorCode | null) ?? ErrorCode.UPLOAD_EXPIRED, row.failure_message ?? '');
const uploadExpired = () => new DomainError(ErrorCode.UPLOAD_EXPIRED, 'This upload has expired; start a new one.');

/**
 * Both ways in — streamed through the API, or straight to storage with
 * presigned URLs — end the same way: the type decided from the stored bytes,
 * the row moved to `processing`, and one `media.process` job.
 */
@Injectable()
export class MediaService {
  private readonly logger = new Logger(MediaService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly media: MediaRepository,
    private readonly storage: S3Storage,
    private readonly queues: QueueProducer,
    private readonly limiter: RateLimiter,
  ) {}

  get maxUploadBytes(): number {
    return Math.max(this.config.MEDIA_MAX_IMAGE_BYTES, this.config.MEDIA_MAX_VIDEO_BYTES);
  }

  /** The size limit of a kind; with none known yet (a declared application/octet-stream), the larger. */
  private limitFor(kind: 'image' | 'video' | null): number {
    if (kind === 'image') return this.config.MEDIA_MAX_IMAGE_BYTES;
    if (kind === 'video') return this.config.MEDIA_MAX_VIDEO_BYTES;
    return Math.max(this.config.MEDIA_MAX_IMAGE_BYTES, this.config.MEDIA_MAX_VIDEO_BYTES);
  }

  private uploadDeadline(): Date {
    return new Date(Date.now() + this.config.UPLOAD_TTL_SECONDS * 1000);
  }

  /** Creates the row and its expiry job first, so no stored byte is ever unreferenced. */
  private async register(input: Parameters<MediaRepository['create']>[0]): Promise<MediaRow> {
    const row = await this.media.create(input);
    await this.queues.enqueue(
      'media.expire-upload',
      { mediaId: row.id },
      { jobId: jobIds.expireUpload(row.id), delayMs: this.config.UPLOAD_TTL_SECONDS * 1000 },
    );
    return row;
  }

  private async startProcessing(row: MediaRow, detected: SniffResult): Promise<MediaView> {
    if (!(await this.media.startProcessing(row.id, detected.kind))) {
      // Another complete of the same upload (a retry, a second device) got there first: its answer.
      const now = await this.media.find(row.id);
      if (now?.status === 'processing' || now?.status === 'ready') return this.view(now);
      if (now?.status === 'failed') throw refusalOf(now);
      throw new DomainError(ErrorCode.UPLOAD_INCOMPLETE, 'This upload is not waiting for completion.');
    }
    await this.queues.enqueue('media.process', { mediaId: row.id }, { jobId: jobIds.process(row.id) });
    return { id: row.id, kind: detected.kind, status: 'processing' };
  }

  /** Refuses an upload for good: the row records why, the stored bytes go at once (and the row says so). */
  private async refuse(row: MediaRow, error: DomainError): Promise<never> {
    await this.media.markFailed(row.id, error.code, error.message);
    try {
      await this.storage.deleteAll([row.upload_key]);
      await this.media.markUploadDeleted(row.id);
    } catch (e) {
      this.logger.warn({ err: e, mediaId: row.id }, 'could not delete a refused upload yet; its expiry job will');
    }
    throw error;
  }

  /**
   * POST /v1/media: counts the upload against the user's rate before reading a byte, then
   * sniffs the first bytes, refuses early, streams the rest to storage under a byte bound.
   */
  async uploadStream(ownerId: string, openFile: () => Promise<MultipartFile>): Promise<MediaView> {
    await this.limiter.consume('media-upload:user', ownerId);
    const file = await openFile();
    const { head, stream } = await peekStream(file.stream, SNIFF_BYTES);
    if (head.length === 0) {
      stream.resume();
      throw new DomainError(ErrorCode.MEDIA_CORRUPT, 'The file is empty.');
    }
    const detected = sniffMediaType(head);
    if (!detected) {
      stream.resume();
      throw unsupported();
    }
    const row = await this.register({
      ownerId,
      uploadMethod: 'stream',
      uploadKey: newUploadKey(),
      uploadExpiresAt: this.uploadDeadline(),
      kind: detected.kind,
    });
    const limiter = byteLimit(this.limitFor(detected.kind));
    // Both sides settle before the outcome is decided: storage has then aborted or finished its
    // own upload, so a refusal's delete cannot race a part still being written.
    const [received, stored] = await Promise.allSettled([
      pipeline(stream, limiter),
      // A storage failure stops the reading as well, instead of leaving the request paused mid-body.
      this.storage.upload(row.upload_key, limiter, detected.mime).catch((error: unknown) => {
        limiter.destroy();
        throw error;
      }),
    ]);
    const failures = [received, stored].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) {
      // The file's own fault (too large) or the client's (the body broken off) is a refusal; storage's is not.
      const refusal = failures.find((e): e is DomainError => e instanceof DomainError) ?? file.clientFailure();
      if (refusal) return this.refuse(row, refusal);
      await this.media.markFailed(row.id, ErrorCode.UPLOAD_INCOMPLETE, 'The upload did not finish.');
      throw stored.status === 'rejected' ? stored.reason : failures[0];
    }
    return this.startProcessing(row, detected);
  }

  /**
   * POST /v1/media/uploads: presigned URLs bound to the declared type and size. A user has
   * at most MAX_OPEN_UPLOADS of them open at once: storage takes their bytes without the
   * API seeing them, so this bounds what one account can park there.
   */
  async createDirectUpload(ownerId: string, contentType: string, size: number): Promise<DirectUploadView> {
    const declared = contentType.toLowerCase();
    if (!Object.hasOwn(DECLARABLE_TYPES, declared)) throw unsupported();
    const declaredKind = DECLARABLE_TYPES[declared];
    await this.limiter.consume('media-upload:user', ownerId);
    const open = await this.media.openUploads(ownerId);
    if (open.count >= MAX_OPEN_UPLOADS) {
      const waitMs = (open.firstExpiresAt?.getTime() ?? Date.now()) - Date.now();
      throw rateLimited(waitMs, `At most ${MAX_OPEN_UPLOADS} uploads may be open at once.`);
    }
    const max = this.limitFor(declaredKind);
    if (size > max) {
      throw new DomainError(ErrorCode.MEDIA_TOO_LARGE, `A ${declaredKind ?? 'file'} may be at most ${max} bytes.`, {
        maxBytes: max,
      });
    }
    const uploadKey = newUploadKey();
    const multipart = size > SINGLE_PUT_MAX_BYTES;
    // The row names the multipart upload, so storage starts it first; should the row not be
    // written, the upload is aborted here rather than left to the bucket's lifecycle rule.
    const uploadId = multipart ? await this.storage.createMultipart(uploadKey, contentType) : undefined;
    let row: MediaRow;
    try {
      row = await this.register({
        ownerId,
        uploadMethod: multipart ? 'multipart' : 'put',
        uploadKey,
        multipartUploadId: uploadId,
        declaredType: contentType.toLowerCase(),
        declaredSize: size,
        uploadExpiresAt: this.uploadDeadline(),
      });
    } catch (error) {
      if (uploadId) {
        await this.storage.abortMultipart(uploadKey, uploadId).catch((abort: unknown) => {
          this.logger.warn({ err: abort, uploadKey }, 'could not abort a multipart upload no row names');
        });
      }
      throw error;
    }
    return this.uploadInstructions(row, []);
  }

  /** GET /v1/media/uploads/:id: what storage holds so far, and fresh URLs for what is missing. */
  async uploadStatus(ownerId: string, id: string): Promise<UploadStatusView> {
    const row = await this.findUpload(ownerId, id);
    if (row.status !== 'uploading') {
      return { id: row.id, status: row.status, expiresAt: row.upload_expires_at.toISOString() };
    }
    // Null: storage has already joined the parts (a complete got that far); nothing is left to send.
    const uploaded = row.multipart_upload_id ? await this.storedParts(row) : [];
    return {
      ...(await this.uploadInstructions(row, uploaded)),
      status: row.status,
      uploadedParts: row.multipart_upload_id
        ? (uploaded ?? []).map((p) => ({ partNumber: p.partNumber, etag: p.etag, size: p.size ?? 0 }))
        : undefined,
    };
  }

  /** The URLs still needed: the single PUT, or a URL per part not stored yet (none once storage joined them). */
  private async uploadInstructions(row: MediaRow, uploaded: UploadedPart[] | null): Promise<DirectUploadView> {
    const size = Number(row.declared_size);
    const contentType = row.declared_type ?? 'application/octet-stream';
    const expiresIn = Math.max(
      1,
      Math.min(UPLOAD_URL_SECONDS, Math.floor((row.upload_expires_at.getTime() - Date.now()) / 1000)),
    );
    const base = { id: row.id, expiresAt: row.upload_expires_at.toISOString() };
    if (!row.multipart_upload_id) {
      const url = await this.storage.presignPut(row.upload_key, { contentType, contentLength: size, expiresIn });
      return { ...base, method: 'PUT', url, headers: { 'content-type': contentType } };
    }
    const parts = await Promise.all(
      (uploaded ? missingParts(size, uploaded) : []).map(async (partNumber) => ({
        partNumber,
        url: await this.storage.presignPart(row.upload_key, row.multipart_upload_id!, partNumber, {
          contentLength: partLength(size, partNumber),
          expiresIn,
        }),
      })),
    );
    return { ...base, partSize: partSizeFor(size), parts };
  }

  /** POST /v1/media/uploads/:id/complete: checks what storage holds, then sniffs the stored bytes. */
  async complete(ownerId: string, id: string, claimed?: { partNumber: number; etag: string }[]): Promise<MediaView> {
    const row = await this.findUpload(ownerId, id);
    if (row.status === 'processing' || row.status === 'ready') return this.view(row);
    // Refused already: the same refusal again.
    if (row.status === 'failed') throw refusalOf(row);
    if (row.upload_expires_at.getTime() <= Date.now()) throw uploadExpired();
    const size = Number(row.declared_size);
    if (row.multipart_upload_id) await this.completeMultipart(row, size, claimed);

    const stored = await this.storage.head(row.upload_key);
    if (!stored) throw new DomainError(ErrorCode.UPLOAD_INCOMPLETE, 'Nothing has been uploaded yet.');
    if (stored.size !== size) {
      return this.refuse(
        row,
        new DomainError(ErrorCode.UPLOAD_INCOMPLETE, `Storage holds ${stored.size} bytes, not the ${size} declared.`),
      );
    }
    const head = await this.storage.readBytes(row.upload_key, { start: 0, end: SNIFF_BYTES - 1 });
    const detected = sniffMediaType(head);
    if (!detected) return this.refuse(row, unsupported());
    if (size > this.limitFor(detected.kind)) {
      return this.refuse(row, new DomainError(ErrorCode.MEDIA_TOO_LARGE, `The ${detected.kind} is too large.`));
    }
    return this.startProcessing(row, detected);
  }

  /**
   * The parts storage holds that belong to the declared layout. One of another length (a
   * client that split the file its own way) counts as missing, and its URL is handed out
   * again, bound to the right length.
   */
  private async storedParts(row: MediaRow): Promise<UploadedPart[] | null> {
    const size = Number(row.declared_size);
    const parts = await this.storage.listParts(row.upload_key, row.multipart_upload_id!);
    if (!parts) return null;
    return parts.filter((p) => p.partNumber <= partCount(size) && p.size === partLength(size, p.partNumber));
  }

  private async completeMultipart(
    row: MediaRow,
    size: number,
    claimed?: { partNumber: number; etag: string }[],
  ): Promise<void> {
    const stored = await this.storedParts(row);
    // Storage already joined the parts (a complete retried after a later step failed, or
    // two at once): what it holds is checked next, like any other upload.
    if (stored === null) return;
    const have = new Map(stored.map((p) => [p.partNumber, p]));
    const missing = missingParts(size, stored);
    if (missing.length > 0) {
      throw new DomainError(ErrorCode.UPLOAD_INCOMPLETE, `${missing.length} part(s) are missing.`, {
        missingParts: missing,
      });
    }
    const unquote = (etag: string) => etag.replace(/"/g, '');
    const mismatched = (claimed ?? []).filter((p) => unquote(have.get(p.partNumber)?.etag ?? '') !== unquote(p.etag));
    if (mismatched.length > 0) {
      throw new DomainError(ErrorCode.UPLOAD_INCOMPLETE, 'Some parts differ from what storage holds.', {
        mismatchedParts: mismatched.map((p) => p.partNumber),
      });
    }
    await this.storage.completeMultipart(row.upload_key, row.multipart_upload_id!, [...have.values()]);
  }

  /** A direct upload of the caller's; one deleted because its time ran out is 410, anything else unknown 404. */
  private async findUpload(ownerId: string, id: string): Promise<MediaRow> {
    const row = await this.media.findOwned(id, ownerId);
    if (row && row.upload_method !== 'stream') return row;
    if (!row && (await this.media.wasExpired(id, ownerId))) throw uploadExpired();
    throw notFound();
  }

  async get(ownerId: string, id: string): Promise<MediaView> {
    const row = await this.media.findOwned(id, ownerId);
    if (!row) throw notFound();
    return this.view(row);
  }

  private view(row: MediaRow): MediaView {
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      ...(row.status === 'failed' && row.failure_code
        ? { failure: { code: row.failure_code, message: row.failure_message ?? '' } }
        : {}),
      ...(row.status === 'ready'
        ? {
            width: row.width ?? undefined,
            height: row.height ?? undefined,
            ...(row.duration_ms !== null ? { durationMs: row.duration_ms } : {}),
          }
        : {}),
    };
  }
}
