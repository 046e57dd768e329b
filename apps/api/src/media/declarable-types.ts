/**
 * Declared types a direct upload may announce, and the kind each promises (its size limit
 * applies at once); the bytes are sniffed again on completion and decide. A client that does
 * not know the type (a file picker that gives none) declares application/octet-stream: the
 * larger limit applies until the bytes say which kind it is.
 */
export const DECLARABLE_TYPES: Record<string, 'image' | 'video' | null> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'image/gif': 'image',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'video/webm': 'video',
  'video/x-matroska': 'video',
  'application/octet-stream': null,
};

/** The same, as the list the OpenAPI spec gives clients. */
export const DECLARABLE_CONTENT_TYPES = Object.keys(DECLARABLE_TYPES);
