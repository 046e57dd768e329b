/** Declared types a direct upload may announce; the bytes are sniffed again on completion. */
export const DECLARABLE_TYPES: Record<string, 'image' | 'video'> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'image/gif': 'image',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'video/webm': 'video',
};

/** The same, as the list the OpenAPI spec gives clients. */
export const DECLARABLE_CONTENT_TYPES = Object.keys(DECLARABLE_TYPES);
