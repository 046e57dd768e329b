import { stat } from 'node:fs/promises';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';
import type { Metadata } from 'sharp';
import { MEDIA_OPTIONS, MediaOptions, resolveMediaOptions } from './media.options';
import { sharp } from './sharp.setup';

/**
 * Turns an uploaded still into the one image Ephemera serves.
 *
 * Output: progressive JPEG, mozjpeg quality 82, 4:2:0, sRGB, 8-bit,
 * upright, long side ≤ maxLongSide (never enlarged), no metadata at all (no EXIF, XMP,
 * GPS, ICC, comments: sharp writes none unless asked). JPEG because every client and
 * every OS image view decodes it; the inputs are photos, where WebP's gain is small.
 * - Alpha is flattened onto white: a JPEG has none, and a snap is shown full screen.
 * - Animated GIF/WebP: the first frame, as a still. A 3-frame GIF is a sticker, not a
 *   video, and transcoding it would send it through the much heavier video path.
 * - HEIC is refused by the sniffer: the prebuilt libvips has libheif with AV1 only.
 * - Pixel bombs are refused from the header (width × height) before anything is
 *   decoded; `limitInputPixels` repeats the check inside libvips, `failOn: 'error'`
 *   refuses truncated or damaged data instead of serving a half-grey image.
 *
 * Also makes the inbox placeholder: a ≤ 32 px blurred WebP, small enough (a few hundred
 * bytes) to travel inline as base64 before the real image is fetched.
 */
export interface ImagePlaceholder {
  contentType: 'image/webp';
  width: number;
  height: number;
  base64: string;
}

export interface ProcessedImage {
  kind: 'image';
  buffer: Buffer;
  contentType: 'image/jpeg';
  ext: 'jpg';
  width: number;
  height: number;
  placeholder: ImagePlaceholder;
  /** What was uploaded, as read from its header (width/height as stored, before orientation). */
  source: { format: string; width: number; height: number; pages: number };
}

export const JPEG_QUALITY = 82;
export const PLACEHOLDER_SIZE = 32;

/** What the image path decodes; the sniffer already refused everything else. */
const DECODABLE_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif']);

@Injectable()
export class ImageProcessor {
  private readonly options: MediaOptions;

  constructor(@Optional() @Inject(MEDIA_OPTIONS) options?: Partial<MediaOptions>) {
    this.options = resolveMediaOptions(options);
  }

  async process(input: string | Buffer): Promise<ProcessedImage> {
    const size = typeof input === 'string' ? (await stat(input)).size : input.length;
    if (size === 0) throw new DomainError(ErrorCode.MEDIA_CORRUPT, 'The file is empty.');
    if (size > this.options.maxImageBytes) {
      throw new DomainError(ErrorCode.MEDIA_TOO_LARGE, 'The image is too large.', {
        size,
        maxBytes: this.options.maxImageBytes,
      });
    }
    const header = await this.readHeader(input);
    const format = header.format ?? 'unknown';
    if (!DECODABLE_FORMATS.has(format)) {
      throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'This image format is not supported.', { format });
    }
    const width = header.width ?? 0;
    // For animated images `height` is already one frame's height (sharp reads one page by default).
    const height = header.pageHeight ?? header.height ?? 0;
    if (width <= 0 || height <= 0) throw new DomainError(ErrorCode.MEDIA_CORRUPT, 'The image has no dimensions.');
    if (width * height > this.options.maxImagePixels) {
      throw new DomainError(ErrorCode.MEDIA_TOO_LARGE, 'The image has too many pixels.', {
        width,
        height,
        maxPixels: this.options.maxImagePixels,
      });
    }

    const longSide = this.options.maxLongSide;
    let encoded: { data: Buffer; info: { width: number; height: number } };
    try {
      encoded = await sharp(input, {
        failOn: 'error',
        limitInputPixels: this.options.maxImagePixels,
        pages: 1,
        page: 0,
      })
        .timeout({ seconds: this.options.imageTimeoutSeconds })
        .autoOrient()
        .resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb')
        .jpeg({ quality: JPEG_QUALITY, mozjpeg: true, progressive: true, chromaSubsampling: '4:2:0' })
        .toBuffer({ resolveWithObject: true });
    } catch (error) {
      throw toDomainError(error);
    }

    return {
      kind: 'image',
      buffer: encoded.data,
      contentType: 'image/jpeg',
      ext: 'jpg',
      width: encoded.info.width,
      height: encoded.info.height,
      placeholder: await this.placeholder(encoded.data),
      source: { format, width, height, pages: header.pages ?? 1 },
    };
  }

  private async readHeader(input: string | Buffer): Promise<Metadata> {
    try {
      // Header only: no pixel is decoded, so no limit is needed to read a bomb's dimensions.
      return await sharp(input, { limitInputPixels: false }).metadata();
    } catch (error) {
      throw toDomainError(error);
    }
  }

  /** Made from the encoded output: it is small, upright and sRGB already. */
  private async placeholder(image: Buffer): Promise<ImagePlaceholder> {
    const { data, info } = await sharp(image)
      .resize({ width: PLACEHOLDER_SIZE, height: PLACEHOLDER_SIZE, fit: 'inside' })
      .blur(1)
      .webp({ quality: 50 })
      .toBuffer({ resolveWithObject: true });
    return { contentType: 'image/webp', width: info.width, height: info.height, base64: data.toString('base64') };
  }
}

/** libvips reports problems as messages; sort the ones about the input into API codes. */
function toDomainError(error: unknown): Error {
  if (error instanceof DomainError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // A missing input is our bug or a storage race, not the uploader's fault: let the job retry.
  if (/Input file is missing|ENOENT/i.test(message)) return error instanceof Error ? error : new Error(message);
  if (/exceeds pixel limit/i.test(message)) {
    return new DomainError(ErrorCode.MEDIA_TOO_LARGE, 'The image has too many pixels.');
  }
  if (/unsupported image format/i.test(message)) {
    return new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'This image format is not supported.');
  }
  // Quoted parts of libvips messages are file names; they stay out of what clients see.
  const reason = message.split('\n')[0].replace(/"[^"]*"/g, '"…"');
  return new DomainError(ErrorCode.MEDIA_CORRUPT, 'The image could not be decoded.', { reason });
}
