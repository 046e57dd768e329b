import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';
import { ImageProcessor, ProcessedImage } from './image.processor';
import { MediaKind, readHead, SNIFF_BYTES, sniffMediaType, SniffResult } from './sniff';
import { ProcessedVideo, VideoProcessor } from './video.processor';

export type ProcessedMedia = (ProcessedImage | ProcessedVideo) & {
  /** What the upload's bytes were, whatever its name or declared type said. */
  detected: SniffResult;
};

export interface MediaProcessOptions {
  /**
   * Where a processed video is written (a new file per call). Images come back as a buffer,
   * so a caller that holds an image needs none.
   */
  outputDir?: string;
  signal?: AbortSignal;
  /**
   * The kind the upload was accepted as. Bytes of another kind are refused: a presigned PUT
   * URL stays valid after its upload was completed, so what is processed may differ from what
   * was checked at completion, and the snap sent meanwhile carries the accepted kind.
   */
  expectedKind?: MediaKind;
}

/**
 * The entry point for an uploaded file: decides image or video from its bytes and runs
 * the matching pipeline. Refusals are DomainErrors with API.md codes; any other error is
 * an operational failure worth a retry.
 */
@Injectable()
export class MediaProcessor {
  constructor(
    private readonly images: ImageProcessor,
    private readonly videos: VideoProcessor,
  ) {}

  /**
   * `input` is a file path, or the bytes themselves when the caller already holds them
   * (images are bounded by the image size limit, so a worker may keep them in memory and
   * skip the disk); a video given as bytes is written to `outputDir` first, since ffmpeg reads files.
   */
  async process(input: string | Buffer, options: MediaProcessOptions): Promise<ProcessedMedia> {
    const head = typeof input === 'string' ? await readHead(input) : input.subarray(0, SNIFF_BYTES);
    if (head.length === 0) throw new DomainError(ErrorCode.MEDIA_CORRUPT, 'The file is empty.');
    const detected = sniffMediaType(head);
    if (!detected) throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'This file type is not supported.');
    if (options.expectedKind && detected.kind !== options.expectedKind) {
      throw new DomainError(
        ErrorCode.MEDIA_CORRUPT,
        `The stored file is a ${detected.kind}, but the upload was completed as a ${options.expectedKind}.`,
      );
    }
    if (detected.kind === 'image') return { ...(await this.images.process(input)), detected };
    const { outputDir } = options;
    if (!outputDir) throw new Error('a video needs an outputDir to be written to');
    let inputPath = input;
    if (typeof inputPath !== 'string') {
      inputPath = join(outputDir, `${randomUUID()}.upload`);
      await writeFile(inputPath, input);
    }
    const outputPath = join(outputDir, `${randomUUID()}.mp4`);
    const video = await this.videos.process(inputPath, { outputPath, sniffed: detected, signal: options.signal });
    return { ...video, detected };
  }
}
