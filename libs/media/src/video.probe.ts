import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';
import { MEDIA_OPTIONS, MediaOptions, resolveMediaOptions } from './media.options';
import { ProcessError, runProcess } from './process.runner';

/** The demuxers Ephemera lets ffmpeg use; always named explicitly, never guessed by ffmpeg. */
export type VideoContainer = 'mov' | 'matroska';

export interface VideoStreamInfo {
  index: number;
  codec: string;
  /** Coded size, as stored (before rotation). */
  width: number;
  height: number;
  /** Display-matrix rotation in ffprobe's convention (counter-clockwise degrees), normalised to 0/90/180/270. */
  rotation: number;
  /** Size as players show it: width and height swapped for a quarter turn. */
  displayWidth: number;
  displayHeight: number;
  pixFmt?: string;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
}

export interface MediaTag {
  /** `format` or `stream:<index>`. */
  scope: string;
  key: string;
  value: string;
}

export interface ProbeResult {
  container: VideoContainer;
  formatName: string;
  /** Null when the container does not say (live-recorded WebM has no duration header). */
  durationMs: number | null;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
  tags: MediaTag[];
}

/**
 * Tags a served MP4 may carry: structural ones the muxer always writes, none of which
 * says anything about who, where or when. Anything else (title, location, creation_time,
 * encoder, com.apple.quicktime.*) means metadata survived.
 */
const STRUCTURAL_TAGS: Record<'format' | 'stream', ReadonlySet<string>> = {
  format: new Set(['major_brand', 'minor_version', 'compatible_brands']),
  stream: new Set(['language', 'handler_name', 'vendor_id']),
};

/**
 * When ffmpeg encodes a track it writes its own name into the MP4 sample description
 * ("Lavc libx264" under +bitexact); it cannot be removed and names our encoder, not the
 * uploader's device or app (a versioned or foreign encoder string is still flagged).
 */
const OWN_ENCODER_STAMP = /^Lavc [a-z0-9_-]+$/;

/** Tags of a probe that identify the uploader, the place or the time; empty for a clean file. */
export function identifyingTags(probe: Pick<ProbeResult, 'tags'>): MediaTag[] {
  return probe.tags.filter((tag) => {
    if (tag.scope === 'format') return !STRUCTURAL_TAGS.format.has(tag.key);
    if (tag.key === 'encoder' && OWN_ENCODER_STAMP.test(tag.value)) return false;
    return !STRUCTURAL_TAGS.stream.has(tag.key);
  });
}

interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  duration?: string;
  tags?: Record<string, unknown>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; tags?: Record<string, unknown> };
}

function seconds(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? Math.round(parsed * 1000) : null;
}

function quarterTurns(stream: FfprobeStream): number {
  const matrix = stream.side_data_list?.find((data) => typeof data.rotation === 'number');
  // Older ffmpeg builds exposed the rotation as a clockwise `rotate` tag instead of side data.
  const degrees = matrix?.rotation ?? -Number(stream.tags?.rotate ?? 0);
  if (!Number.isFinite(degrees)) return 0;
  return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
}

function tagsOf(scope: string, tags: Record<string, unknown> | undefined): MediaTag[] {
  return Object.entries(tags ?? {}).map(([key, value]) => ({ scope, key, value: String(value) }));
}

/** Reads `ffprobe -print_format json -show_format -show_streams` output. */
export function parseProbe(json: string, container: VideoContainer): ProbeResult {
  let data: FfprobeOutput;
  try {
    data = JSON.parse(json) as FfprobeOutput;
  } catch {
    throw new DomainError(ErrorCode.MEDIA_CORRUPT, 'The video could not be read.', { reason: 'probe output' });
  }
  const streams = Array.isArray(data.streams) ? data.streams : [];
  const videoStream = streams.find((s) => s.codec_type === 'video' && s.width && s.height);
  const audioStream = streams.find((s) => s.codec_type === 'audio');

  let video: VideoStreamInfo | null = null;
  if (videoStream) {
    const rotation = quarterTurns(videoStream);
    const width = videoStream.width ?? 0;
    const height = videoStream.height ?? 0;
    const sideways = rotation % 180 === 90;
    video = {
      index: videoStream.index ?? 0,
      codec: videoStream.codec_name ?? 'unknown',
      width,
      height,
      rotation,
      displayWidth: sideways ? height : width,
      displayHeight: sideways ? width : height,
      pixFmt: videoStream.pix_fmt,
    };
  }

  const streamDurations = streams.map((s) => seconds(s.duration)).filter((d): d is number => d !== null);
  const durationMs =
    seconds(data.format?.duration) ?? (streamDurations.length > 0 ? Math.max(...streamDurations) : null);

  return {
    container,
    formatName: data.format?.format_name ?? '',
    durationMs,
    video,
    audio: audioStream ? { index: audioStream.index ?? 0, codec: audioStream.codec_name ?? 'unknown' } : null,
    tags: [...tagsOf('format', data.format?.tags), ...streams.flatMap((s) => tagsOf(`stream:${s.index ?? 0}`, s.tags))],
  };
}

/** ffmpeg's `-progress` report: the last `out_time_us` is how far the stream went. */
export function parseProgressOutTimeMs(progress: string): number | null {
  const matches = [...progress.matchAll(/^out_time_us=(\d+)$/gm)];
  const last = matches.at(-1);
  return last ? Math.round(Number(last[1]) / 1000) : null;
}

/**
 * Input options every ffmpeg/ffprobe call uses: one named demuxer, local files only. Runs that
 * decode pass `maxPixels`: a stream may change its frame size after the first frame, which is
 * all that probing sees, so the decoder itself refuses any larger frame (and the run must fail
 * on it: `-xerror`).
 */
export function inputArgs(filePath: string, container: VideoContainer, maxPixels?: number): string[] {
  // `file:` stops a name with a colon from being read as a protocol; the whitelist stops
  // a container from pulling in other files or URLs (references, playlists).
  const decoding = maxPixels === undefined ? [] : ['-max_pixels', String(maxPixels)];
  return [...decoding, '-protocol_whitelist', 'file', '-f', container, '-i', `file:${filePath}`];
}

/** What ffmpeg's decoder says of a frame over `-max_pixels`. */
const OVER_MAX_PIXELS = /exceeds specified max pixel count/;

/** Maps a failed ffmpeg/ffprobe run to an API error; tools that cannot start are an operations problem. */
export function processFailure(error: unknown, what: string): Error {
  if (!(error instanceof ProcessError) || error.reason === 'spawn' || error.reason === 'aborted') {
    return error instanceof Error ? error : new Error(String(error));
  }
  if (OVER_MAX_PIXELS.test(error.stderr)) {
    return new DomainError(ErrorCode.MEDIA_TOO_LARGE, 'The video frame is too large.');
  }
  // ffmpeg prefixes messages with the input name; the path stays out of what clients see.
  const lastLine =
    error.stderr
      .split('\n')
      .at(-1)
      ?.replace(/file:\S*?: /g, '') || 'exit';
  return new DomainError(ErrorCode.MEDIA_CORRUPT, `The video could not be ${what}.`, {
    reason: error.reason === 'exit' ? lastLine : error.reason,
  });
}

/** ffprobe behind one method; the only place its JSON is read. */
@Injectable()
export class VideoProbe {
  private readonly options: MediaOptions;

  constructor(@Optional() @Inject(MEDIA_OPTIONS) options?: Partial<MediaOptions>) {
    this.options = resolveMediaOptions(options);
  }

  async probe(filePath: string, container: VideoContainer, signal?: AbortSignal): Promise<ProbeResult> {
    const args = [
      '-hide_banner',
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      ...inputArgs(filePath, container),
    ];
    try {
      const { stdout } = await runProcess(this.options.ffprobePath, args, {
        timeoutMs: this.options.probeTimeoutMs,
        maxStdoutBytes: 1024 * 1024,
        signal,
      });
      return parseProbe(stdout.toString('utf8'), container);
    } catch (error) {
      throw processFailure(error, 'read');
    }
  }

  /**
   * For containers without a duration: demuxes the video stream (no decoding) up to
   * `capMs` and reports how far it got, so the work is bounded even for a huge file.
   */
  async measureDurationMs(
    filePath: string,
    container: VideoContainer,
    capMs: number,
    signal?: AbortSignal,
  ): Promise<number | null> {
    const args = [
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      ...inputArgs(filePath, container),
      '-map',
      '0:v:0',
      '-c',
      'copy',
      '-t',
      (capMs / 1000).toFixed(3),
      '-f',
      'null',
      '-progress',
      'pipe:1',
      '-nostats',
      '-',
    ];
    try {
      const { stdout } = await runProcess(this.options.ffmpegPath, args, {
        timeoutMs: this.options.probeTimeoutMs,
        maxStdoutBytes: 1024 * 1024,
        signal,
      });
      return parseProgressOutTimeMs(stdout.toString('utf8'));
    } catch (error) {
      throw processFailure(error, 'read');
    }
  }
}
