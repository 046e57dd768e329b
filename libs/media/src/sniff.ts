import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

/**
 * Media type detection from magic bytes only. File names and client-sent Content-Type
 * headers are never consulted (API.md: "decided from the bytes"), so a renamed
 * executable or an SVG posing as a JPEG stops here.
 *
 * Accepted: JPEG, PNG, WebP, GIF; MP4/QuickTime (ISO BMFF with a video brand);
 * WebM/Matroska. Refused (null): everything else, notably SVG (scriptable), TIFF,
 * M4A audio, HEIC/HEIF/AVIF (ISO BMFF image brands: sharp's prebuilt libheif only decodes AVIF,
 * and a still image must not reach the video path), BMP, text and executables.
 */
export type MediaKind = 'image' | 'video';

export interface SniffResult {
  kind: MediaKind;
  mime: string;
  ext: string;
}

/** Enough bytes for any signature below, including an ISO BMFF `ftyp` box with many brands. */
export const SNIFF_BYTES = 4096;

const JPEG: SniffResult = { kind: 'image', mime: 'image/jpeg', ext: 'jpg' };
const PNG: SniffResult = { kind: 'image', mime: 'image/png', ext: 'png' };
const WEBP: SniffResult = { kind: 'image', mime: 'image/webp', ext: 'webp' };
const GIF: SniffResult = { kind: 'image', mime: 'image/gif', ext: 'gif' };
const MP4: SniffResult = { kind: 'video', mime: 'video/mp4', ext: 'mp4' };
const MOV: SniffResult = { kind: 'video', mime: 'video/quicktime', ext: 'mov' };
const WEBM: SniffResult = { kind: 'video', mime: 'video/webm', ext: 'webm' };
const MKV: SniffResult = { kind: 'video', mime: 'video/x-matroska', ext: 'mkv' };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

/** HEIF-family brands (HEIC, HEIF image sequences, AVIF): still images, never video. */
const IMAGE_BRANDS = new Set([
  'heic',
  'heix',
  'heim',
  'heis',
  'hevc',
  'hevx',
  'hevm',
  'hevs',
  'mif1',
  'mif2',
  'msf1',
  'avif',
  'avis',
  'avio',
  'jpeg',
  'jpgs',
]);

/** Major brands that declare audio-only (or e-book audio) files, whatever else they list. */
const AUDIO_MAJOR_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);

/** Brands of MP4-family files phones, cameras and encoders write for video. */
const VIDEO_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'iso7',
  'iso8',
  'iso9',
  'mp41',
  'mp42',
  'mp71',
  'avc1',
  'hvc1',
  'M4V ',
  'M4VH',
  'M4VP',
  'MSNV',
  'XAVC',
  'mmp4',
  '3gp4',
  '3gp5',
  '3gp6',
  '3gp7',
  '3g2a',
  'dash',
  'f4v ',
  'qt  ',
]);

function startsWith(head: Buffer, signature: Buffer | string, offset = 0): boolean {
  const bytes = typeof signature === 'string' ? Buffer.from(signature, 'latin1') : signature;
  return head.length >= offset + bytes.length && head.subarray(offset, offset + bytes.length).equals(bytes);
}

function sniffIsoBmff(head: Buffer): SniffResult | null {
  if (head.length < 16 || !startsWith(head, 'ftyp', 4)) return null;
  const boxSize = head.readUInt32BE(0);
  // A size of 0 or 1 (to end of file / 64-bit) is legal for other boxes but never for `ftyp`.
  if (boxSize < 16) return null;
  const major = head.toString('latin1', 8, 12);
  const brands = [major];
  for (let offset = 16; offset + 4 <= Math.min(boxSize, head.length); offset += 4) {
    brands.push(head.toString('latin1', offset, offset + 4));
  }
  // An image brand anywhere means a HEIF/AVIF still (or a sequence the image path cannot decode).
  if (brands.some((brand) => IMAGE_BRANDS.has(brand))) return null;
  if (AUDIO_MAJOR_BRANDS.has(major)) return null;
  if (major === 'qt  ') return MOV;
  if (brands.some((brand) => VIDEO_BRANDS.has(brand))) return brands.includes('qt  ') ? MOV : MP4;
  return null;
}

/** Reads an EBML variable-length integer; returns its value and width, or null. */
function readVint(head: Buffer, offset: number): { value: number; width: number } | null {
  if (offset >= head.length) return null;
  const first = head[offset];
  let width = 1;
  while (width <= 8 && !(first & (0x80 >> (width - 1)))) width += 1;
  if (width > 8 || offset + width > head.length) return null;
  let value = first & (0xff >> width);
  for (let i = 1; i < width; i += 1) value = value * 256 + head[offset + i];
  return { value, width };
}

function sniffEbml(head: Buffer): SniffResult | null {
  if (!startsWith(head, EBML_MAGIC)) return null;
  const headerSize = readVint(head, 4);
  if (!headerSize) return null;
  const start = 4 + headerSize.width;
  const end = Math.min(head.length, start + headerSize.value);
  // Walk the EBML header's children to its DocType (0x4282): "webm" or "matroska".
  let offset = start;
  while (offset + 2 < end) {
    const id = head.readUInt16BE(offset);
    const idWidth = head[offset] & 0x80 ? 1 : head[offset] & 0x40 ? 2 : head[offset] & 0x20 ? 3 : 4;
    const size = readVint(head, offset + idWidth);
    if (!size) return null;
    const dataStart = offset + idWidth + size.width;
    if (idWidth === 2 && id === 0x4282) {
      const docType = head.toString('latin1', dataStart, Math.min(end, dataStart + size.value)).replace(/\0+$/, '');
      if (docType === 'webm') return WEBM;
      if (docType === 'matroska') return MKV;
      return null;
    }
    offset = dataStart + size.value;
  }
  return null;
}

/** Decides the media type from the first bytes of a file (pass at least SNIFF_BYTES when available). */
export function sniffMediaType(head: Buffer): SniffResult | null {
  if (head.length < 4) return null;
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return JPEG;
  if (startsWith(head, PNG_SIGNATURE)) return PNG;
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return GIF;
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return WEBP;
  return sniffIsoBmff(head) ?? sniffEbml(head);
}

/** The first `bytes` bytes of a file (fewer when the file is shorter). */
export async function readHead(filePath: string, bytes = SNIFF_BYTES): Promise<Buffer> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Reads the first bytes of a stream for sniffing and returns a stream that replays them
 * followed by the rest, so an upload can be refused before anything is stored and
 * otherwise piped on without being held in memory.
 */
export async function peekStream(source: Readable, bytes = SNIFF_BYTES): Promise<{ head: Buffer; stream: Readable }> {
  const iterator: AsyncIterator<unknown> = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let total = 0;
  let ended = false;
  while (total < bytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = toBuffer(next.value);
    chunks.push(chunk);
    total += chunk.length;
  }
  const buffered = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (buffered.length > 0) yield buffered;
      if (ended) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield toBuffer(next.value);
      }
    } finally {
      // A consumer that stops early must not leave the source paused with its file or socket open.
      await iterator.return?.();
    }
  }
  return { head: buffered.subarray(0, bytes), stream: Readable.from(replay(), { objectMode: false }) };
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk);
  throw new TypeError('peekStream needs a byte stream');
}
