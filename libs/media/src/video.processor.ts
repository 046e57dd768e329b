import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';
import { ImageProcessor, ProcessedImage } from './image.processor';
import { MEDIA_OPTIONS, MediaOptions, resolveMediaOptions } from './media.options';
import { runProcess } from './process.runner';
import { readHead, sniffMediaType, SniffResult } from './sniff';
import { identifyingTags, inputArgs, processFailure, ProbeResult, VideoContainer, VideoProbe } from './video.probe';

/**
 * Turns an uploaded video into the one MP4 Ephemera serves, plus an upright poster.
 *
 * - Accepted: H.264 or HEVC in MP4/QuickTime, VP8 or VP9 in WebM/Matroska; common audio
 *   (AAC, MP3, Opus, Vorbis, ALAC, AC-3, AMR, PCM). Anything else is refused rather than
 *   handed to one of ffmpeg's many rarely-exercised decoders.
 * - MP4/MOV with H.264/HEVC is remuxed (stream copy: no quality loss, I/O-bound, fast).
 *   The display matrix is carried over, so players show it upright; HEVC is tagged
 *   `hvc1`, which Apple players require. Audio other than AAC/MP3 becomes AAC.
 * - WebM is transcoded to H.264/AAC MP4 (libx264 veryfast, CRF 23, long side ≤ 1920):
 *   iOS players do not play WebM, and one served format keeps clients simple. Sixty
 *   seconds bound the cost.
 * - Metadata: global tags, per-stream tags and chapters are dropped, data/subtitle
 *   tracks (where phones keep timed location) are not mapped, and `+bitexact` leaves out
 *   the encoder tag. The output is probed again and refused if any tag other than the
 *   muxer's structural ones remains: the check is on the result, not on trusting flags.
 * - Duration ≤ maxVideoDurationMs (plus a small grace), from the container or, when it
 *   does not say, from a bounded demux; the output is also cut there (`-t`), so a lying
 *   header cannot make the job longer.
 * - Every ffmpeg/ffprobe run has an explicit demuxer, local-file-only protocols and a
 *   timeout. Intermediate files live in a private temp directory that is always removed.
 */
export interface ProcessedVideo {
  kind: 'video';
  /** The MP4 written to the requested output path. */
  path: string;
  contentType: 'video/mp4';
  ext: 'mp4';
  /** As displayed (a quarter-turn rotation swaps the coded size). */
  width: number;
  height: number;
  durationMs: number;
  /** Display-matrix rotation kept in the output (ffprobe convention, degrees). */
  rotation: number;
  transcoded: boolean;
  poster: ProcessedImage;
  source: { container: VideoContainer; videoCodec: string; audioCodec: string | null; width: number; height: number };
}

export interface VideoProcessOptions {
  /** Where the MP4 goes; the caller owns (and later deletes) it. Removed again on failure. */
  outputPath: string;
  /** The sniffer's verdict when the caller already has it. */
  sniffed?: SniffResult;
  signal?: AbortSignal;
}

const VIDEO_CODECS: Record<VideoContainer, ReadonlySet<string>> = {
  mov: new Set(['h264', 'hevc']),
  matroska: new Set(['vp8', 'vp9']),
};

const AUDIO_CODECS = new Set(['aac', 'mp3', 'opus', 'vorbis', 'alac', 'ac3', 'eac3', 'amr_nb', 'amr_wb']);
const MP4_COPY_AUDIO = new Set(['aac', 'mp3']);

export const X264_PRESET = 'veryfast';
export const X264_CRF = 23;

/** Options that drop every kind of metadata ffmpeg would otherwise copy or write. */
const STRIP_METADATA = [
  '-map_metadata',
  '-1',
  '-map_metadata:s:v',
  '-1',
  '-map_metadata:s:a',
  '-1',
  '-map_chapters',
  '-1',
  '-fflags',
  '+bitexact',
];

/**
 * A scale filter fitting the long side, never enlarging, with even sizes (yuv420p needs
 * them). ffmpeg applies the display matrix before user filters, so iw/ih are upright.
 */
export function fitLongSide(long: number): string {
  return `scale=w='if(gte(iw,ih),trunc(min(${long},iw)/2)*2,-2)'` + `:h='if(gte(iw,ih),-2,trunc(min(${long},ih)/2)*2)'`;
}

export function containerOf(sniffed: SniffResult | null): VideoContainer | null {
  if (!sniffed || sniffed.kind !== 'video') return null;
  if (sniffed.ext === 'mp4' || sniffed.ext === 'mov') return 'mov';
  if (sniffed.ext === 'webm' || sniffed.ext === 'mkv') return 'matroska';
  return null;
}

@Injectable()
export class VideoProcessor {
  private readonly options: MediaOptions;

  constructor(
    private readonly probe: VideoProbe,
    private readonly images: ImageProcessor,
    @Optional() @Inject(MEDIA_OPTIONS) options?: Partial<MediaOptions>,
  ) {
    this.options = resolveMediaOptions(options);
  }

  async process(inputPath: string, request: VideoProcessOptions): Promise<ProcessedVideo> {
    const input = resolve(inputPath);
    const output = resolve(request.outputPath);
    const { signal } = request;
    const { size } = await stat(input);
    if (size === 0) throw new DomainError(ErrorCode.MEDIA_CORRUPT, 'The file is empty.');
    if (size > this.options.maxVideoBytes) {
      throw new DomainError(ErrorCode.MEDIA_TOO_LARGE, 'The video is too large.', {
        size,
        maxBytes: this.options.maxVideoBytes,
      });
    }
    const container = containerOf(request.sniffed ?? sniffMediaType(await readHead(input)));
    if (!container) throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'This video format is not supported.');

    const source = await this.probe.probe(input, container, signal);
    this.validateStreams(source);
    const limitMs = this.options.maxVideoDurationMs + this.options.durationGraceMs;
    const durationMs =
      source.durationMs ?? (await this.probe.measureDurationMs(input, container, limitMs + 1000, signal));
    if (durationMs === null) throw new DomainError(ErrorCode.MEDIA_CORRUPT, 'The video has no readable duration.');
    if (durationMs > limitMs) {
      throw new DomainError(ErrorCode.MEDIA_TOO_LONG, 'The video is too long.', {
        durationMs,
        maxDurationMs: this.options.maxVideoDurationMs,
      });
    }

    const transcode = container === 'matroska';
    const work = await mkdtemp(join(this.options.tmpDir, 'ephemera-video-'));
    try {
      await this.writeMp4(input, output, source, { transcode, limitMs, signal });
      const served = await this.probe.probe(output, 'mov', signal);
      const leftover = identifyingTags(served);
      if (leftover.length > 0) {
        // A bug, not the upload's fault: fail loudly rather than serve a location.
        throw new Error(`metadata survived processing: ${leftover.map((t) => `${t.scope}.${t.key}`).join(', ')}`);
      }
      if (!served.video || served.durationMs === null) {
        throw new DomainError(ErrorCode.MEDIA_CORRUPT, 'The video could not be processed.');
      }
      // The header's duration can understate the stream: a copied last frame keeps its own
      // timestamp whatever `-t` says. What is served is what counts (it sets the view window).
      if (served.durationMs > limitMs) {
        throw new DomainError(ErrorCode.MEDIA_TOO_LONG, 'The video is too long.', {
          durationMs: served.durationMs,
          maxDurationMs: this.options.maxVideoDurationMs,
        });
      }
      const poster = await this.poster(output, served.durationMs, work, signal);
      return {
        kind: 'video',
        path: output,
        contentType: 'video/mp4',
        ext: 'mp4',
        width: served.video.displayWidth,
        height: served.video.displayHeight,
        durationMs: served.durationMs,
        rotation: served.video.rotation,
        transcoded: transcode,
        poster,
        source: {
          container,
          videoCodec: source.video?.codec ?? 'unknown',
          audioCodec: source.audio?.codec ?? null,
          width: source.video?.displayWidth ?? 0,
          height: source.video?.displayHeight ?? 0,
        },
      };
    } catch (error) {
      await rm(output, { force: true });
      throw error;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private validateStreams(probe: ProbeResult): void {
    const { video, audio, container } = probe;
    if (!video) throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'The file has no video stream.');
    if (!VIDEO_CODECS[container].has(video.codec)) {
      throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'This video codec is not supported.', {
        container,
        codec: video.codec,
      });
    }
    if (audio && !AUDIO_CODECS.has(audio.codec) && !audio.codec.startsWith('pcm_')) {
      throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'This audio codec is not supported.', {
        codec: audio.codec,
      });
    }
    if (video.width * video.height > this.options.maxVideoPixels) {
      throw new DomainError(ErrorCode.MEDIA_TOO_LARGE, 'The video frame is too large.', {
        width: video.width,
        height: video.height,
      });
    }
  }

  private async writeMp4(
    input: string,
    output: string,
    source: ProbeResult,
    plan: { transcode: boolean; limitMs: number; signal?: AbortSignal },
  ): Promise<void> {
    const video = plan.transcode
      ? [
          '-vf',
          fitLongSide(this.options.maxLongSide),
          '-c:v',
          'libx264',
          '-preset',
          X264_PRESET,
          '-crf',
          String(X264_CRF),
          '-profile:v',
          'high',
          '-pix_fmt',
          'yuv420p',
          '-flags:v',
          '+bitexact',
        ]
      : ['-c:v', 'copy', ...(source.video?.codec === 'hevc' ? ['-tag:v', 'hvc1'] : [])];
    const copyAudio = !plan.transcode && source.audio !== null && MP4_COPY_AUDIO.has(source.audio.codec);
    // A copy decodes nothing; a transcode decodes every frame, each within the pixel limit.
    const from = plan.transcode
      ? ['-xerror', ...inputArgs(input, source.container, this.options.maxVideoPixels)]
      : inputArgs(input, source.container);
    const audio = copyAudio ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '128k', '-flags:a', '+bitexact'];
    const args = [
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      ...from,
      '-map',
      '0:v:0',
      '-map',
      '0:a:0?',
      '-dn',
      '-sn',
      ...video,
      ...audio,
      ...STRIP_METADATA,
      '-movflags',
      '+faststart',
      '-t',
      (plan.limitMs / 1000).toFixed(3),
      '-f',
      'mp4',
      '-y',
      `file:${output}`,
    ];
    try {
      await runProcess(this.options.ffmpegPath, args, {
        timeoutMs: plan.transcode ? this.options.transcodeTimeoutMs : this.options.remuxTimeoutMs,
        maxStdoutBytes: 64 * 1024,
        signal: plan.signal,
      });
    } catch (error) {
      throw processFailure(error, 'processed');
    }
  }

  /**
   * One frame a little into the clip (first frames are often black), decoded by ffmpeg,
   * which applies the display matrix, so the poster is upright. It then goes through the
   * image path for the same JPEG, size limit and placeholder as photos.
   */
  private async poster(
    video: string,
    durationMs: number,
    work: string,
    signal: AbortSignal | undefined,
  ): Promise<ProcessedImage> {
    const frame = join(work, 'poster.png');
    for (const atMs of [Math.min(1000, Math.floor(durationMs / 10)), 0]) {
      const args = [
        '-nostdin',
        '-hide_banner',
        '-v',
        'error',
        '-xerror',
        '-ss',
        (atMs / 1000).toFixed(3),
        ...inputArgs(video, 'mov', this.options.maxVideoPixels),
        '-map',
        '0:v:0',
        '-frames:v',
        '1',
        // Scaled here already: a 4K frame as PNG would be larger than the image path accepts.
        '-vf',
        fitLongSide(this.options.maxLongSide),
        '-map_metadata',
        '-1',
        '-c:v',
        'png',
        '-compression_level',
        '1',
        '-f',
        'image2',
        '-update',
        '1',
        '-y',
        `file:${frame}`,
      ];
      try {
        await runProcess(this.options.ffmpegPath, args, {
          timeoutMs: this.options.posterTimeoutMs,
          maxStdoutBytes: 64 * 1024,
          signal,
        });
      } catch (error) {
        throw processFailure(error, 'read');
      }
      const written = await stat(frame).catch(() => null);
      if (written && written.size > 0) return this.images.process(frame);
    }
    throw new DomainError(ErrorCode.MEDIA_CORRUPT, 'The video has no decodable frame.');
  }
}
