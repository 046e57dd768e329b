import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { chunk } from './chunk';

export const DELETE_BATCH_SIZE = 1000;

export interface StoredObject {
  size: number;
  contentType?: string;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
  size?: number;
}

export interface ListedObject {
  key: string;
  lastModified: Date;
}

export interface DeleteResult {
  deleted: number;
  /** Keys the store refused to delete, with its reason; callers retry these. */
  failed: { key: string; reason: string }[];
}

function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.$metadata.httpStatusCode === 404 || ['NotFound', 'NoSuchKey', 'NoSuchBucket'].includes(error.name);
}

/**
 * Every call Ephemera makes to S3-compatible storage. It is the only place that
 * imports the AWS SDK; one bucket, addressed by opaque keys.
 */
@Injectable()
export class S3Storage implements OnModuleDestroy {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.bucket = config.S3_BUCKET;
    this.client = new S3Client({
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
      // S3-compatible servers differ in their support of the SDK's default CRC32 checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      // A stalled server (accepting, never answering) fails each attempt instead of holding it forever.
      requestHandler: { connectionTimeout: config.S3_TIMEOUT_MS, socketTimeout: config.S3_TIMEOUT_MS },
      // Resolve each command's middleware stack once, not on every call: about a fifth of the
      // SDK's CPU per request here. Safe because no command of ours adds middleware of its own.
      cacheMiddleware: true,
    });
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }

  /** Answers when the bucket is reachable with our credentials; throws otherwise. */
  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Creates the bucket when it is missing (local stacks; production buckets are provisioned). */
  async ensureBucket(): Promise<void> {
    try {
      await this.ping();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  /** Streams a body of unknown length to storage in parts; memory stays at one part per stream. */
  async upload(key: string, body: Readable | Buffer, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Reads an object (or its first bytes, with `range`) as a stream. */
  async read(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const out = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    return out.Body as Readable;
  }

  /** Reads an object (or a byte range of it) whole into memory: for bounded objects only. */
  async readBytes(key: string, range?: { start: number; end: number }): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.read(key, range)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** A PUT URL bound to one key, content type and exact length. */
  presignPut(key: string, opts: { contentType: string; contentLength: number; expiresIn: number }): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: opts.contentType,
      ContentLength: opts.contentLength,
    });
    return getSignedUrl(this.client, command, {
      expiresIn: opts.expiresIn,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
  }

  presignGet(key: string, opts: { expiresIn: number; contentType?: string }): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentType: opts.contentType });
    return getSignedUrl(this.client, command, { expiresIn: opts.expiresIn });
  }

  async createMultipart(key: string, contentType: string): Promise<string> {
    const out = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    if (!out.UploadId) throw new Error('storage returned no multipart upload id');
    return out.UploadId;
  }

  /** A URL for one part of a multipart upload, bound to that part's exact length. */
  presignPart(
    key: string,
    uploadId: string,
    partNumber: number,
    opts: { contentLength: number; expiresIn: number },
  ): Promise<string> {
    const command = new UploadPartCommand({
      Bucket: this.bucket,
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      ContentLength: opts.contentLength,
    });
    return getSignedUrl(this.client, command, {
      expiresIn: opts.expiresIn,
      signableHeaders: new Set(['content-length']),
    });
  }

  /**
   * The parts storage holds for an upload: what a resuming client still has to send. Null
   * when the multipart upload is over (completed or aborted).
   */
  async listParts(key: string, uploadId: string): Promise<UploadedPart[] | null> {
    const parts: UploadedPart[] = [];
    let marker: string | undefined;
    do {
      let out;
      try {
        out = await this.client.send(
          new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
        );
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
      for (const part of out.Parts ?? []) {
        if (part.PartNumber && part.ETag) parts.push({ partNumber: part.PartNumber, etag: part.ETag, size: part.Size });
      }
      marker = out.IsTruncated ? out.NextPartNumberMarker : undefined;
    } while (marker);
    return parts;
  }

  /**
   * Joins the parts. An upload storage no longer knows (another complete joined it meanwhile,
   * or it was aborted) is left to the caller's check of what the key holds.
   */
  async completeMultipart(key: string, uploadId: string, parts: UploadedPart[]): Promise<void> {
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    try {
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: sorted.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      );
    } catch (error) {
      // NoSuchUpload is a 404.
      if (!isNotFound(error)) throw error;
    }
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Every object under a prefix, page by page. */
  async *list(prefix: string): AsyncGenerator<ListedObject> {
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of out.Contents ?? []) {
        if (object.Key) yield { key: object.Key, lastModified: object.LastModified ?? new Date(0) };
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  /**
   * Deletes keys in DeleteObjects batches of at most 1000. Missing keys count as
   * deleted (S3 semantics), so a repeated delete is harmless. Keys the store refuses
   * come back in `failed`; a request the store could not serve at all throws.
   */
  async deleteMany(keys: readonly string[]): Promise<DeleteResult> {
    const unique = [...new Set(keys)];
    if (unique.length === 1) return this.deleteOne(unique[0]);
    const result: DeleteResult = { deleted: 0, failed: [] };
    for (const batch of chunk(unique, DELETE_BATCH_SIZE)) {
      const out = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const errors = out.Errors ?? [];
      result.failed.push(...errors.map((e) => ({ key: e.Key ?? '', reason: e.Code ?? 'unknown' })));
      result.deleted += batch.length - errors.length;
    }
    return result;
  }

  /**
   * One key (the original after processing, a refused upload) as a plain DELETE, without
   * the XML body, its checksum and the XML answer of DeleteObjects; same result shape: a
   * refusal (4xx) is a failed key, a server or transport error throws.
   */
  private async deleteOne(key: string): Promise<DeleteResult> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
      return { deleted: 1, failed: [] };
    } catch (error) {
      if (!(error instanceof S3ServiceException) || (error.$metadata.httpStatusCode ?? 500) >= 500) throw error;
      return { deleted: 0, failed: [{ key, reason: error.name }] };
    }
  }

  /**
   * Deletes every key or throws: for callers whose next step (marking rows purged,
   * deleting a media row, completing a job) must not happen while an object remains.
   * Answers how many were deleted.
   */
  async deleteAll(keys: readonly string[]): Promise<number> {
    const result = await this.deleteMany(keys);
    if (result.failed.length > 0) {
      throw new Error(
        `storage kept ${result.failed.length} of ${keys.length} object(s) (${result.failed[0].reason}, ${result.failed[0].key})`,
      );
    }
    return result.deleted;
  }
}
