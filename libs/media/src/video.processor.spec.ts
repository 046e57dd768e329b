import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, ErrorCode } from '@app/contracts';
import sharp from 'sharp';
import { ensureGeneratedSamples } from '../../../test/fixtures/samples';
import { ImageProcessor } from './image.processor';
import { runProcess } from './process.runner';
import { VideoProbe } from './video.probe';
import { VideoProcessor } from './video.processor';

jest.setTimeout(60_000);

const generated = ensureGeneratedSamples();
let root: string;
let work: string;
let videos: VideoProcessor;

function ffmpeg(...args: string[]): Promise<unknown> {
  return runProcess('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args], { timeoutMs: 30_000 });
}

/** A one-second clip made on the spot, for the cases the manifest does not cover. */
async function clip(name: string, ...encode: string[]): Promise<string> {
  const file = join(root, name);
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=128x96:rate=10:duration=1', ...encode, file);
  return file;
}

/** The VP9 sample remuxed as a live stream: no duration and no cues, as browsers' MediaRecorder writes them. */
async function withoutDuration(name: string): Promise<string> {
  const { stdout } = await runProcess(
    'ffmpeg',
    [
      '-nostdin',
      '-v',
      'error',
      '-i',
      join(generated, 'video-vp9-3s.webm'),
      '-c',
      'copy',
      '-f',
      'webm',
      '-live',
      '1',
      'pipe:1',
    ],
    { timeoutMs: 30_000, maxStdoutBytes: 10 * 1024 * 1024 },
  );
  const file = join(root, name);
  await writeFile(file, stdout);
  return file;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'video-spec-'));
  work = join(root, 'work');
  await mkdir(work);
  const images = new ImageProcessor();
  videos = new VideoProcessor(new VideoProbe(), images, { tmpDir: work });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

afterEach(async () => {
  // Every run, successful or not, removes its private work directory.
  expect(await readdir(work)).toEqual([]);
});

describe('VideoProcessor', () => {
  it('makes the poster from the frame as players show it (display matrix applied)', async () => {
    const source = join(generated, 'video-h264-5s-rot90-gps.mp4');
    const result = await videos.process(source, { outputPath: join(root, 'rot.mp4') });
    // The stored frame at the poster's time, without ffmpeg's auto-rotation, turned by hand.
    const raw = join(root, 'raw.png');
    await ffmpeg('-noautorotate', '-ss', '0.5', '-i', source, '-frames:v', '1', raw);
    // ffprobe's -90 (counter-clockwise) is a quarter turn clockwise.
    const expected = await sharp(raw).rotate(90).resize(9, 16, { fit: 'fill' }).raw().toBuffer();
    const actual = await sharp(result.poster.buffer).resize(9, 16, { fit: 'fill' }).raw().toBuffer();
    const meanError = actual.reduce((sum, value, i) => sum + Math.abs(value - expected[i]), 0) / actual.length;
    expect(meanError).toBeLessThan(12);
  });

  it('measures a WebM that has no duration header (as browsers record them)', async () => {
    const streamed = await withoutDuration('live.webm');
    const probe = await new VideoProbe().probe(streamed, 'matroska');
    expect(probe.durationMs).toBeNull();

    const result = await videos.process(streamed, { outputPath: join(root, 'live.mp4') });
    expect(Math.abs(result.durationMs - 3000)).toBeLessThanOrEqual(150);
  });

  it('refuses a duration-less WebM that runs too long, with bounded work', async () => {
    const strict = new VideoProcessor(new VideoProbe(), new ImageProcessor(), {
      maxVideoDurationMs: 1000,
      tmpDir: work,
    });
    const streamed = await withoutDuration('live-long.webm');
    await expect(strict.process(streamed, { outputPath: join(root, 'x.mp4') })).rejects.toMatchObject({
      code: ErrorCode.MEDIA_TOO_LONG,
    });
  });

  it('refuses a WebM whose frames grow past the pixel limit after the first, without decoding them', async () => {
    // Probing sees the first frame's 64×64; the second clip's 256×256 frames come later.
    const small = join(root, 'small.webm');
    const large = join(root, 'large.webm');
    for (const [file, size] of [
      [small, '64x64'],
      [large, '256x256'],
    ]) {
      await ffmpeg('-f', 'lavfi', '-i', `testsrc=size=${size}:rate=10:duration=1`, '-c:v', 'libvpx-vp9', file);
    }
    const list = join(root, 'switch.txt');
    await writeFile(list, `file '${small}'\nfile '${large}'\n`);
    const switching = join(root, 'switch.webm');
    await ffmpeg('-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', switching);
    const strict = new VideoProcessor(new VideoProbe(), new ImageProcessor(), {
      maxVideoPixels: 128 * 128,
      tmpDir: work,
    });
    await expect(strict.process(switching, { outputPath: join(root, 'switch.mp4') })).rejects.toMatchObject({
      code: ErrorCode.MEDIA_TOO_LARGE,
    });
  });

  it('refuses an MP4 whose header understates its length, by the length it would be served with', async () => {
    // Frames at 0 s, 1 s and 30 s; every duration in the header then set to 1 s.
    const late = join(root, 'late.mp4');
    await ffmpeg(
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=128x96:rate=1:duration=3',
      '-vf',
      "setpts='if(eq(N,2),30/TB,PTS)'",
      '-fps_mode',
      'passthrough',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      late,
    );
    const bytes = await readFile(late);
    const movieScale = bytes.readUInt32BE(bytes.indexOf('mvhd') + 16);
    for (const [box, scaleAt, durationAt] of [
      ['mvhd', 16, 20],
      ['mdhd', 16, 20],
      ['tkhd', -1, 24],
    ] as const) {
      for (let at = bytes.indexOf(box); at >= 0; at = bytes.indexOf(box, at + 4)) {
        bytes.writeUInt32BE(scaleAt < 0 ? movieScale : bytes.readUInt32BE(at + scaleAt), at + durationAt);
      }
    }
    const lied = join(root, 'lied.mp4');
    await writeFile(lied, bytes);
    expect((await new VideoProbe().probe(lied, 'mov')).durationMs).toBe(1000);
    const strict = new VideoProcessor(new VideoProbe(), new ImageProcessor(), {
      maxVideoDurationMs: 5000,
      tmpDir: work,
    });
    const output = join(root, 'lied-out.mp4');
    await expect(strict.process(lied, { outputPath: output })).rejects.toMatchObject({
      code: ErrorCode.MEDIA_TOO_LONG,
    });
    expect(existsSync(output)).toBe(false);
  });

  it('copies HEVC and tags it hvc1 for Apple players', async () => {
    const input = await clip('hevc.mp4', '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error');
    const result = await videos.process(input, { outputPath: join(root, 'hevc-out.mp4') });
    expect(result.transcoded).toBe(false);
    const served = await runProcess(
      'ffprobe',
      ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,codec_tag_string'].concat([
        '-of',
        'csv=p=0',
        result.path,
      ]),
      { timeoutMs: 10_000 },
    );
    expect(served.stdout.toString().trim()).toBe('hevc,hvc1');
  });

  it('refuses a codec outside the allowed set (MPEG-4 Part 2 in MP4)', async () => {
    const input = await clip('mpeg4.mp4', '-c:v', 'mpeg4');
    const output = join(root, 'mpeg4-out.mp4');
    await expect(videos.process(input, { outputPath: output })).rejects.toMatchObject({
      code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      details: { codec: 'mpeg4' },
    });
    expect(existsSync(output)).toBe(false);
  });

  it('refuses an MP4 with no video stream', async () => {
    const input = join(root, 'audio.mp4');
    await ffmpeg('-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'aac', '-f', 'mp4', input);
    await expect(videos.process(input, { outputPath: join(root, 'audio-out.mp4') })).rejects.toMatchObject({
      code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    });
  });

  it('refuses more bytes than configured', async () => {
    const strict = new VideoProcessor(new VideoProbe(), new ImageProcessor(), { maxVideoBytes: 1000, tmpDir: work });
    await expect(
      strict.process(join(generated, 'video-h264-4s.mov'), { outputPath: join(root, 'big.mp4') }),
    ).rejects.toMatchObject({ code: ErrorCode.MEDIA_TOO_LARGE });
  });

  it('maps a tool that overruns its timeout to MEDIA_CORRUPT', async () => {
    const slow = new VideoProcessor(new VideoProbe({ probeTimeoutMs: 1 }), new ImageProcessor(), { tmpDir: work });
    const error = await slow
      .process(join(generated, 'video-h264-4s.mov'), { outputPath: join(root, 'slow.mp4') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: ErrorCode.MEDIA_CORRUPT, details: { reason: 'timeout' } });
  });

  it('reports a missing ffmpeg as an operational error (retried), not as a bad upload', async () => {
    const broken = new VideoProcessor(new VideoProbe({ ffprobePath: '/nonexistent/ffprobe' }), new ImageProcessor(), {
      tmpDir: work,
    });
    const error = await broken
      .process(join(generated, 'video-h264-4s.mov'), { outputPath: join(root, 'broken.mp4') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DomainError);
  });
});
