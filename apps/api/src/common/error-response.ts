import type { Request, Response } from 'express';
import { ERROR_STATUS, ErrorBody, ErrorCode } from '@app/contracts';
import { REQUEST_ID_HEADER } from '@app/observability';

export interface ApiError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  /** Seconds, sent as Retry-After (rate limits, unavailable dependencies). */
  retryAfter?: number;
}

export function requestIdOf(req: Request, res: Response): string {
  const fromResponse = res.getHeader(REQUEST_ID_HEADER);
  if (typeof fromResponse === 'string') return fromResponse;
  return String((req as Request & { id?: unknown }).id ?? '');
}

/** Writes API.md's error shape; the only place an error body is built. */
export function sendError(req: Request, res: Response, error: ApiError): void {
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
    requestId: requestIdOf(req, res),
  };
  if (error.retryAfter !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfter))));
  res.status(ERROR_STATUS[error.code]).json(body);
}
