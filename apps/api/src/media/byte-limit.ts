import { Transform, TransformCallback } from 'node:stream';
import { DomainError, ErrorCode } from '@app/contracts';

/** Passes bytes through and fails the stream with MEDIA_TOO_LARGE as soon as `max` is passed. */
export function byteLimit(max: number): Transform & { bytes: () => number } {
  let seen = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > max) {
        done(new DomainError(ErrorCode.MEDIA_TOO_LARGE, `The file is larger than ${max} bytes.`, { maxBytes: max }));
        return;
      }
      done(null, chunk);
    },
  });
  return Object.assign(limiter, { bytes: () => seen });
}
