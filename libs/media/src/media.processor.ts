import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';
import { ImageProcessor, ProcessedImage } from './image.processor';
import { readHead, sniffMediaType, SniffResult } from './sniff';
import { ProcessedVideo, VideoProcessor } from './video.processor';

export type ProcessedMedia = (ProcessedImage | ProcessedVideo) & {
  /** What the upload's bytes were, whatever its name or declared type said. */
  detected: SniffResult;
};

export interface MediaProcessOptions {
  /** Where a processed video is written (a new file per call); images come back as a buffer. */
  outputDir: string;
  signal?: AbortSignal;
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

  async process(inputPath: string, options: MediaProcessOptions): Promise<ProcessedMedia> {
    const head = await readHead(inputPath);
    if (head.length === 0) throw new DomainError(ErrorCode.MEDIA_CORRUPT, 'The file is empty.');
    const detected = sniffMediaType(head);
    if (!detected) throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'This file type is not supported.');
    if (detected.kind === 'image') return { ...(await this.images.process(inputPath)), detected };
    const outputPath = join(options.outputDir, `${randomUUID()}.mp4`);
    const video = await this.videos.process(inputPath, { outputPath, sniffed: detected, signal: options.signal });
    return { ...video, detected };
  }
}
