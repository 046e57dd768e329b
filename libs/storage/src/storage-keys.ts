import { randomUUID } from 'node:crypto';

/**
 * Object keys are random and say nothing about the user, the file name or the
 * snap. The prefix says only what lifecycle the object has: `uploads/` are
 * originals waiting for processing (a bucket rule deletes leftovers after a
 * day), `media/` are the served variants.
 */
export const UPLOADS_PREFIX = 'uploads/';
export const MEDIA_PREFIX = 'media/';

export const newUploadKey = () => `${UPLOADS_PREFIX}${randomUUID()}`;
export const newMediaKey = () => `${MEDIA_PREFIX}${randomUUID()}`;
