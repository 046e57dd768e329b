import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { ApiError, sendError } from './error-response';
import { isDependencyUnavailable } from './unavailable';

/** What a client is told to wait before retrying a request that met an unavailable dependency. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.VALIDATION_FAILED,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.UNAUTHENTICATED,
  [HttpStatus.FORBIDDEN]: ErrorCode.FORBIDDEN,
  [HttpStatus.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [HttpStatus.METHOD_NOT_ALLOWED]: ErrorCode.METHOD_NOT_ALLOWED,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PAYLOAD_TOO_LARGE,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RATE_LIMITED,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.SERVICE_UNAVAILABLE,
};

/** Maps anything thrown into API.md's error shape. */
export function toApiError(exception: unknown): ApiError {
  if (exception instanceof DomainError) {
    const retryAfter = exception.details?.retryAfterSeconds;
    return {
      code: exception.code,
      message: exception.message,
      details: exception.details,
      retryAfter: typeof retryAfter === 'number' ? retryAfter : undefined,
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.VALIDATION_FAILED);
    const response = exception.getResponse();
    const message =
      status === HttpStatus.NOT_FOUND
        ? 'No such resource.'
        : typeof response === 'string'
          ? response
          : exception.message;
    // API.md: VALIDATION_FAILED's details list the fields; one the framework refused names none.
    if (code === ErrorCode.VALIDATION_FAILED) {
      return { code, message, details: { fields: [{ field: 'request', problems: [message] }] } };
    }
    return { code, message };
  }
  if (isDependencyUnavailable(exception)) {
    return {
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: 'A service this request needs is unavailable; try again shortly.',
      retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS,
    };
  }
  return { code: ErrorCode.INTERNAL, message: 'Something went wrong on our side.' };
}

/** The one global filter: domain codes to statuses, never a stack trace in a response. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const error = toApiError(exception);
    if (error.code === ErrorCode.INTERNAL) {
      this.logger.error({ err: exception, url: req.url, method: req.method }, 'unhandled error');
    } else if (error.code === ErrorCode.SERVICE_UNAVAILABLE && !(exception instanceof DomainError)) {
      this.logger.warn({ err: exception, url: req.url, method: req.method }, 'a dependency is unavailable');
    }
    if (res.headersSent) return;
    sendError(req, res, error);
  }
}
