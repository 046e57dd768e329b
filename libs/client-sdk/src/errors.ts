import type { components } from './generated/openapi';

/** Every error code of API.md's table, plus the few more the server uses (405, 413 for bodies, 500, 503, idempotency keys). */
export const API_ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'TOKEN_EXPIRED',
  'TOKEN_REUSED',
  'FORBIDDEN',
  'NOT_FRIENDS',
  'BLOCKED',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'USERNAME_TAKEN',
  'ALREADY_FRIENDS',
  'REQUEST_EXISTS',
  'MEDIA_NOT_READY',
  'REQUEST_IN_PROGRESS',
  'SNAP_ALREADY_OPENED',
  'SNAP_EXPIRED',
  'UPLOAD_EXPIRED',
  'PAYLOAD_TOO_LARGE',
  'MEDIA_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'MEDIA_CORRUPT',
  'MEDIA_TOO_LONG',
  'UPLOAD_INCOMPLETE',
  'IDEMPOTENCY_KEY_REUSED',
  'RATE_LIMITED',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

// The list above and the spec's ErrorCode enum must name the same codes (checked by the compiler).
type SpecErrorCode = components['schemas']['ErrorCode'];
const _sameCodes: [ApiErrorCode, SpecErrorCode] extends [SpecErrorCode, ApiErrorCode] ? true : never = true;

/** The code a status stands for when a response carries no API error body (e.g. a proxy's 502 page). */
function codeForStatus(status: number): ApiErrorCode {
  const byStatus: Record<number, ApiErrorCode> = {
    400: 'VALIDATION_FAILED',
    401: 'UNAUTHENTICATED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
    502: 'SERVICE_UNAVAILABLE',
    503: 'SERVICE_UNAVAILABLE',
    504: 'SERVICE_UNAVAILABLE',
  };
  return byStatus[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
}

export interface ApiErrorInit {
  status: number;
  code: ApiErrorCode;
  message: string;
  details?: Record<string, unknown>;
  requestId?: string;
  retryAfter?: number;
}

/** Any answer of the API that is not 2xx. Switch on `code`; `message` is for people. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details?: Record<string, unknown>;
  /** The server's request id (also the x-request-id header): quote it in bug reports. */
  readonly requestId?: string;
  /** Seconds to wait before trying again (from Retry-After, on 429 and some 503). */
  readonly retryAfter?: number;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    if (init.details !== undefined) this.details = init.details;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
  }

  /** Reads an error response: API.md's body when there is one, else what the status says. */
  static async fromResponse(res: Response): Promise<ApiError> {
    const text = await res.text().catch(() => '');
    let body: Partial<components['schemas']['ErrorResponseView']> | undefined;
    try {
      body = text ? (JSON.parse(text) as typeof body) : undefined;
    } catch {
      body = undefined;
    }
    const error = body?.error;
    const known = error && (API_ERROR_CODES as readonly string[]).includes(error.code);
    return new ApiError({
      status: res.status,
      code: known ? error.code : codeForStatus(res.status),
      message: error?.message ?? (res.statusText || `HTTP ${res.status}`),
      details: error?.details,
      requestId: body?.requestId ?? res.headers.get('x-request-id') ?? undefined,
      retryAfter: parseRetryAfter(res.headers.get('retry-after')),
    });
  }
}

export const isApiError = (error: unknown, code?: ApiErrorCode): error is ApiError =>
  error instanceof ApiError && (code === undefined || error.code === code);

/** Retry-After in seconds: a number of seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * A direct upload that stopped part-way (a storage request failed or was aborted). The bytes
 * stored so far are kept: `client.media.resume(error.uploadId, file)` sends only what is missing.
 */
export class UploadInterruptedError extends Error {
  override readonly name = 'UploadInterruptedError';

  constructor(
    readonly uploadId: string,
    override readonly cause: unknown,
  ) {
    super(`Upload ${uploadId} was interrupted: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
