import { DomainError, ErrorCode } from '@app/contracts';
import { identifyingTags, parseProbe, parseProgressOutTimeMs } from './video.probe';

/** Trimmed ffprobe output of the rotated phone sample. */
const rotatedPhoneVideo = JSON.stringify({
  streams: [
    {
      index: 0,
      codec_name: 'h264',
      codec_type: 'video',
      width: 1280,
      height: 720,
      pix_fmt: 'yuv420p',
      duration: '5.000000',
      tags: { language: 'und', handler_name: 'VideoHandler', vendor_id: '[0][0][0][0]', encoder: 'Lavc59 libx264' },
      side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }],
    },
    { index: 1, codec_name: 'aac', codec_type: 'audio', duration: '5.000000', tags: { language: 'und' } },
  ],
  format: {
    format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    duration: '5.000000',
    tags: {
      major_brand: 'isom',
      minor_version: '512',
      compatible_brands: 'isomiso2avc1mp41',
      title: 'secret title',
      location: '+48.8584+002.2945/',
      'location-eng': '+48.8584+002.2945/',
      encoder: 'Lavf59.27.100',
    },
  },
});

describe('parseProbe', () => {
  it('reads codecs, duration, rotation and the displayed size', () => {
    const probe = parseProbe(rotatedPhoneVideo, 'mov');
    expect(probe.durationMs).toBe(5000);
    expect(probe.video).toMatchObject({ codec: 'h264', width: 1280, height: 720, rotation: 270 });
    expect(probe.video).toMatchObject({ displayWidth: 720, displayHeight: 1280 });
    expect(probe.audio).toEqual({ index: 1, codec: 'aac' });
  });

  it.each([
    [90, 90],
    [-90, 270],
    [180, 180],
    [-180, 180],
    [0, 0],
  ])('normalises a display-matrix rotation of %i to %i', (rotation, expected) => {
    const json = JSON.stringify({
      streams: [{ codec_type: 'video', codec_name: 'h264', width: 4, height: 2, side_data_list: [{ rotation }] }],
    });
    expect(parseProbe(json, 'mov').video?.rotation).toBe(expected);
  });

  it('understands the clockwise rotate tag of older ffmpeg builds', () => {
    const json = JSON.stringify({
      streams: [{ codec_type: 'video', codec_name: 'h264', width: 1280, height: 720, tags: { rotate: '90' } }],
    });
    expect(parseProbe(json, 'mov').video).toMatchObject({ rotation: 270, displayWidth: 720, displayHeight: 1280 });
  });

  it('falls back to stream durations, and to null when nothing says', () => {
    const withStreams = JSON.stringify({
      streams: [{ codec_type: 'video', codec_name: 'vp9', width: 2, height: 2, duration: '2.5' }],
      format: { duration: 'N/A' },
    });
    expect(parseProbe(withStreams, 'matroska').durationMs).toBe(2500);
    const without = JSON.stringify({ streams: [{ codec_type: 'video', codec_name: 'vp9', width: 2, height: 2 }] });
    expect(parseProbe(without, 'matroska').durationMs).toBeNull();
  });

  it('has no video for an audio-only file', () => {
    expect(
      parseProbe(JSON.stringify({ streams: [{ codec_type: 'audio', codec_name: 'aac' }] }), 'mov').video,
    ).toBeNull();
  });

  it('refuses output that is not JSON as a corrupt file', () => {
    const parse = () => parseProbe('{', 'mov');
    expect(parse).toThrow(DomainError);
    expect(parse).toThrow(expect.objectContaining({ code: ErrorCode.MEDIA_CORRUPT }));
  });
});

describe('identifyingTags', () => {
  it("accepts ffmpeg's own unversioned encoder stamp on a track, and nothing else extra", () => {
    const tags = [
      { scope: 'stream:0', key: 'encoder', value: 'Lavc libx264' },
      { scope: 'stream:0', key: 'encoder', value: 'Lavc59.37.100 libx264' },
      { scope: 'stream:0', key: 'handler_name', value: 'VideoHandler' },
      { scope: 'format', key: 'encoder', value: 'Lavc libx264' },
    ];
    expect(identifyingTags({ tags }).map((t) => `${t.scope}.${t.key}=${t.value}`)).toEqual([
      'stream:0.encoder=Lavc59.37.100 libx264',
      'format.encoder=Lavc libx264',
    ]);
  });

  it('lists title, location and encoder tags but not the structural ones', () => {
    const found = identifyingTags(parseProbe(rotatedPhoneVideo, 'mov')).map((t) => `${t.scope}.${t.key}`);
    expect(found.sort()).toEqual(
      ['format.encoder', 'format.location', 'format.location-eng', 'format.title', 'stream:0.encoder'].sort(),
    );
  });
});

describe('parseProgressOutTimeMs', () => {
  it('takes the last reported position', () => {
    const progress = 'frame=10\nout_time_us=1000000\nprogress=continue\nframe=90\nout_time_us=2966667\nprogress=end\n';
    expect(parseProgressOutTimeMs(progress)).toBe(2967);
    expect(parseProgressOutTimeMs('progress=end\n')).toBeNull();
  });
});
