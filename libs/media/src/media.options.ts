import { tmpdir } from 'node:os';

/**
 * Limits and tool settings of the media pipeline. Defaults are API.md's "Limits";
 * the app provides overrides under MEDIA_OPTIONS (the config lib owns the environment).
 */
export interface MediaOptions {
  /** Largest image upload in bytes (API.md: 20 MB). */
  maxImageBytes: number;
  /** Largest decoded image in pixels, checked from the header before any decoding (API.md: 50 MP). */
  maxImagePixels: number;
  /** Largest video upload in bytes (API.md: 100 MB). */
  maxVideoBytes: number;
  /** Longest video (API.md: 60 s). */
  maxVideoDurationMs: number;
  /**
   * Containers round durations and audio priming adds a few milliseconds, so a clip a phone
   * recorded as exactly 60 s may probe as 60.02 s; that is not what the limit is about.
   */
  durationGraceMs: number;
  /** Largest video frame in pixels; bounds what the poster step decodes (8K UHD fits). */
  maxVideoPixels: number;
  /** Long side of served images, posters and transcoded videos (API.md: 1920). */
  maxLongSide: number;
  ffmpegPath: string;
  ffprobePath: string;
  probeTimeoutMs: number;
  /** Stream copy is I/O bound: seconds even for 100 MB. */
  remuxTimeoutMs: number;
  /** A 60 s 1080p transcode with preset veryfast takes well under a minute on two cores. */
  transcodeTimeoutMs: number;
  posterTimeoutMs: number;
  /** libvips gives up on one image after this long (sharp's `timeout`). */
  imageTimeoutSeconds: number;
  /** Where the video steps make their private work directories. */
  tmpDir: string;
}

/** Injection token for a `Partial<MediaOptions>`; every field has a default. */
export const MEDIA_OPTIONS = Symbol('MEDIA_OPTIONS');

export const DEFAULT_MEDIA_OPTIONS: Readonly<MediaOptions> = {
  maxImageBytes: 20 * 1024 * 1024,
  maxImagePixels: 50_000_000,
  maxVideoBytes: 100 * 1024 * 1024,
  maxVideoDurationMs: 60_000,
  durationGraceMs: 250,
  maxVideoPixels: 7680 * 4320,
  maxLongSide: 1920,
  ffmpegPath: 'ffmpeg',
  ffprobePath: 'ffprobe',
  probeTimeoutMs: 15_000,
  remuxTimeoutMs: 60_000,
  transcodeTimeoutMs: 180_000,
  posterTimeoutMs: 30_000,
  imageTimeoutSeconds: 30,
  tmpDir: tmpdir(),
};

export function resolveMediaOptions(overrides: Partial<MediaOptions> = {}): MediaOptions {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_MEDIA_OPTIONS, ...defined };
}
