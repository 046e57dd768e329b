import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';

/** The `file` part of a multipart request, and what went wrong on the client's side of it, if anything. */
export interface MultipartFile {
  stream: Readable;
  /**
   * UPLOAD_INCOMPLETE once the client broke the body off (its connection closed before the
   * request ended, or the form ended before the file did); undefined while that has not happened.
   * Tells a failure of the incoming bytes from one of storage's.
   */
  clientFailure(): DomainError | undefined;
}

/**
 * The `file` part of a multipart/form-data request, as a stream: nothing is
 * buffered beyond what the consumer reads. Resolves at the first file part;
 * fails with VALIDATION_FAILED when the request is not multipart or has none.
 * A client that disconnects mid-body ends the stream with UPLOAD_INCOMPLETE
 * instead of leaving it waiting for bytes that never come.
 */
export function readMultipartFile(req: Request, maxBytes: number): Promise<MultipartFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 10, parts: 12, fileSize: maxBytes } });
    } catch {
      reject(invalid('Send the file as multipart/form-data in a field named "file".'));
      return;
    }
    let found = false;
    let failure: DomainError | undefined;
    const brokenOff = () =>
      (failure ??= new DomainError(ErrorCode.UPLOAD_INCOMPLETE, 'The request ended before the whole file arrived.'));
    parser.on('file', (field, stream) => {
      if (field !== 'file' || found) {
        stream.resume();
        return;
      }
      found = true;
      resolve({ stream, clientFailure: () => failure });
    });
    parser.on('error', () => {
      if (!found) reject(invalid('The multipart body could not be read.'));
      else brokenOff();
    });
    parser.on('close', () => {
      if (!found) reject(invalid('Send the file in a multipart field named "file".'));
    });
    // A dropped connection does not end the body, so busboy would wait for its end forever
    // (and storage with it, holding a part's worth of bytes): end the file stream instead.
    req.once('close', () => {
      if (!req.complete) parser.destroy(brokenOff());
    });
    req.pipe(parser);
  });
}

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, { fields: [{ field: 'file', problems: [message] }] });
}
