import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';

/**
 * The `file` part of a multipart/form-data request, as a stream: nothing is
 * buffered beyond what the consumer reads. Resolves at the first file part;
 * fails with VALIDATION_FAILED when the request is not multipart or has none.
 */
export function readMultipartFile(req: Request, maxBytes: number): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 10, parts: 12, fileSize: maxBytes } });
    } catch {
      reject(invalid('Send the file as multipart/form-data in a field named "file".'));
      return;
    }
    let found = false;
    parser.on('file', (field, stream) => {
      if (field !== 'file' || found) {
        stream.resume();
        return;
      }
      found = true;
      resolve(stream);
    });
    parser.on('error', () => {
      if (!found) reject(invalid('The multipart body could not be read.'));
    });
    parser.on('close', () => {
      if (!found) reject(invalid('Send the file in a multipart field named "file".'));
    });
    req.pipe(parser);
  });
}

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, { fields: [{ field: 'file', problems: [message] }] });
}
