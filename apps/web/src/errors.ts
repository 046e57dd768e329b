import { ApiError } from '@app/client-sdk';

/** What the user reads for each API error code (API.md); the server's message fills the gaps. */
const MESSAGES: Record<string, string> = {
  VALIDATION_FAILED: 'Some fields need another look.',
  UNAUTHENTICATED: 'Please sign in again.',
  INVALID_CREDENTIALS: 'That username and password do not match.',
  TOKEN_EXPIRED: 'Your session expired. Please sign in again.',
  TOKEN_REUSED: 'You were signed out for safety. Please sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FRIENDS: 'You can only send snaps to friends.',
  BLOCKED: 'This person is not available.',
  NOT_FOUND: 'Not found — it may be gone already.',
  METHOD_NOT_ALLOWED: 'That action is not supported.',
  USERNAME_TAKEN: 'That username is taken. Try another one.',
  ALREADY_FRIENDS: 'You are already friends.',
  REQUEST_EXISTS: 'A friend request is already waiting.',
  MEDIA_NOT_READY: 'The photo or video is still being processed.',
  REQUEST_IN_PROGRESS: 'Still working on your last try. One moment.',
  SNAP_ALREADY_OPENED: 'You already opened this snap. Snaps can be viewed once.',
  SNAP_EXPIRED: 'This snap has expired.',
  UPLOAD_EXPIRED: 'The upload took too long. Please try again.',
  PAYLOAD_TOO_LARGE: 'That request is too large.',
  MEDIA_TOO_LARGE: 'That file is too large (photos ≤ 20 MB and 50 megapixels, videos ≤ 100 MB).',
  UNSUPPORTED_MEDIA_TYPE: 'That file type is not supported. Use JPEG, PNG, WebP, GIF, MP4, MOV or WebM.',
  MEDIA_CORRUPT: 'That file could not be read. It may be damaged.',
  MEDIA_TOO_LONG: 'Videos can be at most 60 seconds long.',
  UPLOAD_INCOMPLETE: 'The upload did not finish. Please try again.',
  IDEMPOTENCY_KEY_REUSED: 'That request could not be repeated. Please try again.',
  RATE_LIMITED: 'Too many attempts. Please wait a moment.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
  SERVICE_UNAVAILABLE: 'Ephemera is temporarily unavailable. Please try again shortly.',
};

export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const text = MESSAGES[error.code] ?? error.message;
    if (error.code === 'RATE_LIMITED' && error.retryAfter) return `${text} (try again in ${error.retryAfter} s)`;
    if (error.code === 'VALIDATION_FAILED' && error.message) return error.message;
    return text;
  }
  if (error instanceof Error && error.name === 'AbortError') return 'Cancelled.';
  return 'Could not reach Ephemera. Check your connection.';
}
