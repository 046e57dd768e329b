import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, ERROR_STATUS } from '@app/contracts';
import sharp from 'sharp';
import {
  AcceptedImageCase,
  AcceptedVideoCase,
  manifestFileNames,
  mediaSampleSets,
  RefusedCase,
  SAMPLE_CASES,
  SHARED_SAMPLES_DIR,
} from '../../../test/fixtures/samples';
import { ImageProcessor } from './image.processor';
import { MediaProcessor } from './media.processor';
import { runProcess } from './process.runner';
import { readHead, sniffMediaType } from './sniff';
import { VideoProbe } from './video.probe';
import { VideoProcessor } from './video.processor';

jest.setTimeout(60_000);

const images = new ImageProcessor();
const probe = new VideoProbe();
const media = new MediaProcessor(images, new VideoProcessor(probe, images));

const imageCases = SAMPLE_CASES.filter((c): c is AcceptedImageCase => c.outcome === 'accepted' && c.kind === 'image');
const videoCases = SAMPLE_CASES.filter((c): c is AcceptedVideoCase => c.outcome === 'accepted' && c.kind === 'video');
const refusedCases = SAMPLE_CASES.filter((c): c is RefusedCase => c.outcome === 'refused');

/** Every tag (key=value) of the format and of each stream, read with ffprobe independently of the lib. */
async function allTags(file: string): Promise<string[]> {
  const { stdout } = await runProcess(
    'ffprobe',
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    { timeoutMs: 15_000 },
  );
  const data = JSON.parse(stdout.toString()) as {
    format: { tags?: Record<string, string> };
    streams: { tags?: Record<string, string> }[];
  };
  return [data.format.tags ?? {}, ...data.streams.map((s) => s.tags ?? {})].flatMap((tags) =>
    Object.entries(tags).map(([key, value]) => `${key}=${value}`),
  );
}

/** exiftool's view of a file, for tags sharp's metadata() does not name (GPS, Artist, Make…). */
async function exiftool(file: string): Promise<Record<string, unknown>> {
  const { stdout } = await runProcess('exiftool', ['-j', '-a', '-G1', file], { timeoutMs: 15_000 });
  return (JSON.parse(stdout.toString()) as Record<string, unknown>[])[0];
}

let outputDir: string;
beforeAll(async () => {
  outputDir = await mkdtemp(join(tmpdir(), 'media-spec-'));
});
afterAll(async () => {
  await rm(outputDir, { recursive: true, force: true });
});

it('mirrors every row of the shared MANIFEST.md', () => {
  if (!existsSync(SHARED_SAMPLES_DIR)) return;
  expect(manifestFileNames().sort()).toEqual(SAMPLE_CASES.map((c) => c.file).sort());
});

describe.each(mediaSampleSets())('$name media samples', ({ dir }) => {
  describe('accepted images', () => {
    it.each(imageCases)('$file: upright, ≤ 1920, never enlarged, sRGB 8-bit, no metadata', async (sample) => {
      const file = join(dir, sample.file);
      expect(sniffMediaType(await readHead(file))?.kind).toBe('image');

      const result = await media.process(file, { outputDir });
      if (result.kind !== 'image') throw new Error('expected an image');
      expect([result.width, result.height]).toEqual([sample.width, sample.height]);
      expect(result.contentType).toBe('image/jpeg');

      const served = await sharp(result.buffer).metadata();
      expect(served).toMatchObject({
        format: 'jpeg',
        width: sample.width,
        height: sample.height,
        space: 'srgb',
        depth: 'uchar',
        channels: 3,
        hasProfile: false,
      });
      expect(Math.max(served.width ?? 0, served.height ?? 0)).toBeLessThanOrEqual(1920);
      expect(served.exif).toBeUndefined();
      expect(served.xmp).toBeUndefined();
      expect(served.icc).toBeUndefined();
      expect(served.iptc).toBeUndefined();
      expect(served.orientation).toBeUndefined();
      expect(served.comments).toBeUndefined();

      const placeholder = await sharp(Buffer.from(result.placeholder.base64, 'base64')).metadata();
      expect(placeholder.format).toBe('webp');
      expect(Math.max(placeholder.width ?? 0, placeholder.height ?? 0)).toBeLessThanOrEqual(32);
      expect(result.placeholder.base64.length).toBeLessThan(2000);
    });

    it('the phone photo loses GPS, artist, make and model (checked with exiftool)', async () => {
      const source = await exiftool(join(dir, 'photo-12mp-exif-gps-orient6.jpg'));
      expect(source).toMatchObject({ 'IFD0:Artist': expect.any(String), 'IFD0:Make': expect.any(String) });

      const result = await media.process(join(dir, 'photo-12mp-exif-gps-orient6.jpg'), { outputDir });
      if (result.kind !== 'image') throw new Error('expected an image');
      const servedFile = join(outputDir, 'served-12mp.jpg');
      await writeFile(servedFile, result.buffer);
      const keys = Object.keys(await exiftool(servedFile));
      const leaked = keys.filter((key) => /GPS|Artist|Make|Model|Orientation|IFD|XMP|ICC|Comment/i.test(key));
      expect(leaked).toEqual([]);
    });
  });

  describe('accepted videos', () => {
    it.each(videoCases)('$file: MP4 without identifying tags, upright poster, displayed size', async (sample) => {
      const file = join(dir, sample.file);
      expect(sniffMediaType(await readHead(file))?.kind).toBe('video');
      if (sample.hasIdentifyingTags) {
        const source = await allTags(file);
        expect(source.filter((tag) => /^(location|title)=/.test(tag))).toHaveLength(2);
      }

      const result = await media.process(file, { outputDir });
      if (result.kind !== 'video') throw new Error('expected a video');
      expect(result.contentType).toBe('video/mp4');
      expect([result.width, result.height]).toEqual([sample.width, sample.height]);
      expect(Math.abs(result.durationMs - sample.durationMs)).toBeLessThanOrEqual(150);

      // Only ffmpeg's own unversioned stamp may remain on a track it encoded (the WebM).
      const tags = (await allTags(result.path)).filter((tag) => !/^encoder=Lavc [a-z0-9_-]+$/.test(tag));
      expect(tags.filter((tag) => /location|title|creation_time|date|encoder|com\.apple|gps/i.test(tag))).toEqual([]);
      const served = await probe.probe(result.path, 'mov');
      expect(served.video?.codec).toMatch(/^(h264|hevc)$/);
      expect([served.video?.displayWidth, served.video?.displayHeight]).toEqual([sample.width, sample.height]);

      // The poster is upright: ffmpeg applied the display matrix when decoding the frame.
      const poster = await sharp(result.poster.buffer).metadata();
      expect(poster).toMatchObject({ format: 'jpeg', width: sample.width, height: sample.height, space: 'srgb' });
      expect(poster.exif).toBeUndefined();
      expect(result.poster.placeholder.base64.length).toBeGreaterThan(0);
    });

    it('the rotated phone video is remuxed with its rotation kept, not re-encoded', async () => {
      const result = await media.process(join(dir, 'video-h264-5s-rot90-gps.mp4'), { outputDir });
      if (result.kind !== 'video') throw new Error('expected a video');
      expect(result.transcoded).toBe(false);
      expect(result.rotation % 180).toBe(90);
      const served = await probe.probe(result.path, 'mov');
      expect([served.video?.width, served.video?.height]).toEqual([1280, 720]);
      expect(served.audio?.codec).toBe('aac');
    });

    it('the WebM is transcoded to H.264 MP4', async () => {
      const result = await media.process(join(dir, 'video-vp9-3s.webm'), { outputDir });
      if (result.kind !== 'video') throw new Error('expected a video');
      expect(result.transcoded).toBe(true);
      expect(result.source).toMatchObject({ container: 'matroska', videoCodec: 'vp9' });
      expect((await probe.probe(result.path, 'mov')).video?.codec).toBe('h264');
    });
  });

  describe('refused files', () => {
    it.each(refusedCases)('$file is refused with $codes ($status)', async (sample) => {
      const before = await readdir(outputDir);
      const error = await media.process(join(dir, sample.file), { outputDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      const { code } = error as DomainError;
      expect(sample.codes).toContain(code);
      // The manifest's status is that of its first code (bad-empty also allows 400 VALIDATION_FAILED).
      if (code === sample.codes[0]) expect(ERROR_STATUS[code]).toBe(sample.status);
      // A refusal leaves nothing behind.
      expect(await readdir(outputDir)).toEqual(before);
    });

    it('bytes of another kind than the upload was accepted as are refused before any processing', async () => {
      const before = await readdir(outputDir);
      const asVideo = await media
        .process(join(dir, 'photo-tiny.jpg'), { outputDir, expectedKind: 'video' })
        .catch((e: unknown) => e);
      expect(asVideo).toMatchObject({ code: 'MEDIA_CORRUPT' });
      const video = videoCases[0].file;
      const asImage = await media.process(join(dir, video), { expectedKind: 'image' }).catch((e: unknown) => e);
      expect(asImage).toMatchObject({ code: 'MEDIA_CORRUPT' });
      expect(await readdir(outputDir)).toEqual(before);
    });

    it('the pixel bomb is refused from its header, without decoding', async () => {
      const rssBefore = process.memoryUsage().rss;
      const error = await media.process(join(dir, 'bad-pixel-bomb-400mp.png'), { outputDir }).catch((e) => e);
      const grownBytes = process.memoryUsage().rss - rssBefore;
      expect(error).toMatchObject({ code: 'MEDIA_TOO_LARGE', details: { width: 20000, height: 20000 } });
      // Decoding would need 400 MB (one byte per pixel) at least.
      expect(grownBytes).toBeLessThan(64 * 1024 * 1024);
    });

    it.each(['bad-text-named.jpg', 'bad-script.svg', 'bad-random.mp4', 'bad-exe-named.mp4'])(
      '%s is refused by the sniffer, whatever its name says',
      async (name) => {
        expect(sniffMediaType(await readHead(join(dir, name)))).toBeNull();
      },
    );
  });
});
