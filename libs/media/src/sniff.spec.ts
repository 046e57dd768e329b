import { Readable } from 'node:stream';
import { peekStream, sniffMediaType } from './sniff';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

/** An ISO BMFF file start: an `ftyp` box with a major brand and compatible brands, then padding. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const header = Buffer.alloc(4);
  header.writeUInt32BE(size);
  return Buffer.concat([header, bytes('ftyp', major, [0, 0, 2, 0], ...compatible), Buffer.alloc(64)]);
}

/** An EBML header with the given DocType, as Matroska muxers write it. */
function ebml(docType: string): Buffer {
  const body = bytes([0x42, 0x86, 0x81, 0x01], [0x42, 0x82, 0x80 | docType.length], docType);
  return Buffer.concat([bytes([0x1a, 0x45, 0xdf, 0xa3, 0x80 | body.length]), body, Buffer.alloc(32)]);
}

describe('sniffMediaType', () => {
  it.each([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), 'image', 'image/jpeg', 'jpg'],
    ['PNG', bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR'), 'image', 'image/png', 'png'],
    ['GIF89a', bytes('GIF89a', [1, 0, 1, 0]), 'image', 'image/gif', 'gif'],
    ['GIF87a', bytes('GIF87a', [1, 0, 1, 0]), 'image', 'image/gif', 'gif'],
    ['WebP', bytes('RIFF', [0x10, 0, 0, 0], 'WEBPVP8 '), 'image', 'image/webp', 'webp'],
    ['MP4 (isom)', ftyp('isom', 'isom', 'iso2', 'avc1', 'mp41'), 'video', 'video/mp4', 'mp4'],
    ['MP4 (mp42)', ftyp('mp42', 'mp42', 'isom'), 'video', 'video/mp4', 'mp4'],
    ['MP4 with an unknown major brand but a video brand', ftyp('abcd', 'isom'), 'video', 'video/mp4', 'mp4'],
    ['QuickTime', ftyp('qt  ', 'qt  '), 'video', 'video/quicktime', 'mov'],
    ['WebM', ebml('webm'), 'video', 'video/webm', 'webm'],
    ['Matroska', ebml('matroska'), 'video', 'video/x-matroska', 'mkv'],
  ])('recognises %s', (_name, head, kind, mime, ext) => {
    expect(sniffMediaType(head)).toEqual({ kind, mime, ext });
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['too short to tell', bytes([0xff, 0xd8])],
    ['plain text', bytes('this is plain text, not an image\n')],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['XML-prologue SVG', bytes('<?xml version="1.0"?><svg/>')],
    ['a Windows executable', bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0])],
    ['TIFF (little-endian)', bytes('II', [0x2a, 0], [8, 0, 0, 0])],
    ['TIFF (big-endian)', bytes('MM', [0, 0x2a], [0, 0, 0, 8])],
    ['BMP', bytes('BM', [0, 0, 0, 0, 0, 0, 0, 0])],
    ['PDF', bytes('%PDF-1.7\n')],
    ['RIFF that is not WebP (WAVE)', bytes('RIFF', [0x10, 0, 0, 0], 'WAVEfmt ')],
    ['HEIC', ftyp('heic', 'mif1', 'heic')],
    ['HEIF with a generic major brand', ftyp('mif1', 'mif1', 'heic', 'miaf')],
    ['AVIF', ftyp('avif', 'avif', 'mif1', 'miaf')],
    ['an ISO file that hides an image brand', ftyp('isom', 'isom', 'avif')],
    ['M4A audio (its brand list names mp42/isom too)', ftyp('M4A ', 'M4A ', 'mp42', 'isom')],
    ['an ftyp box too small to be real', Buffer.concat([bytes([0, 0, 0, 8], 'ftypisom'), Buffer.alloc(16)])],
    ['EBML of another document type', ebml('notmkv')],
    ['random bytes', Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 151 + 7) % 256))],
  ])('refuses %s', (_name, head) => {
    expect(sniffMediaType(head)).toBeNull();
  });
});

describe('peekStream', () => {
  const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));
  const drain = async (stream: Readable) => {
    const out: Buffer[] = [];
    for await (const chunk of stream) out.push(chunk as Buffer);
    return Buffer.concat(out).toString();
  };

  it('gives the first bytes and replays the whole stream', async () => {
    const { head, stream } = await peekStream(chunks('ab', 'cdef', 'ghij'), 5);
    expect(head.toString()).toBe('abcde');
    expect(await drain(stream)).toBe('abcdefghij');
  });

  it('handles a stream shorter than the peek', async () => {
    const { head, stream } = await peekStream(chunks('abc'), 10);
    expect(head.toString()).toBe('abc');
    expect(await drain(stream)).toBe('abc');
  });

  it('handles an empty stream', async () => {
    const { head, stream } = await peekStream(chunks(), 10);
    expect(head.length).toBe(0);
    expect(await drain(stream)).toBe('');
  });

  it('passes a source error on to the replayed stream', async () => {
    async function* failing() {
      yield Buffer.from('abcdef');
      throw new Error('socket reset');
    }
    const { head, stream } = await peekStream(Readable.from(failing()), 4);
    expect(head.toString()).toBe('abcd');
    await expect(drain(stream)).rejects.toThrow('socket reset');
  });
});
