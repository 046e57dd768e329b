import { ErrorCode } from './error-codes';

/**
 * The one error type that domain code throws. It carries an API.md code and
 * never an HTTP status: the API's global filter maps codes to statuses, and the
 * worker records the code on the failed job.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The JSON body of every error response (API.md "Conventions"). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
  requestId: string;
}
