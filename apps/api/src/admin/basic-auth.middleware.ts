import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { toApiError } from '../common/all-exceptions.filter';
import { sendError } from '../common/error-response';

export interface BasicCredentials {
  user: string;
  password: string;
}

// Hashing first gives equal-length buffers, so timingSafeEqual neither throws
// nor reveals the length of the configured secret.
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** The user and password of an `Authorization: Basic …` header, or null when there is none or it is malformed. */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | null {
  if (!header) return null;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== 'basic') return null;
  const encoded = header.slice(space + 1).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  // RFC 7617: the user id cannot contain ':', the password can.
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Counts failed attempts per client address; `check` throws RATE_LIMITED once they are used up. */
export interface FailedAttempts {
  check(ip: string): Promise<void>;
  record(ip: string): Promise<void>;
}

/**
 * HTTP Basic auth for routes Nest guards cannot reach (sub-apps mounted with
 * `app.use`). Only digests of the expected credentials are kept, and nothing
 * here logs; pino already redacts the authorization header. With `failures`, an
 * address that has failed too often gets 429 without its credentials being tried.
 */
export function basicAuth(expected: BasicCredentials, realm: string, failures?: FailedAttempts) {
  const expectedUser = digest(expected.user);
  const expectedPassword = digest(expected.password);
  const challenge = `Basic realm="${realm}", charset="UTF-8"`;
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const given = parseBasicAuthorization(req.headers.authorization);
    if (given) {
      const ip = req.ip ?? '';
      await failures?.check(ip);
      // Both comparisons always run, so the timing does not tell which half was wrong.
      const userOk = timingSafeEqual(digest(given.user), expectedUser);
      const passwordOk = timingSafeEqual(digest(given.password), expectedPassword);
      if (userOk && passwordOk) return next();
      await failures?.record(ip);
    }
    res.setHeader('WWW-Authenticate', challenge);
    sendError(req, res, { code: ErrorCode.UNAUTHENTICATED, message: 'Valid admin credentials are required.' });
  };
  return (req: Request, res: Response, next: NextFunction) => {
    authenticate(req, res, next).catch((error: unknown) => {
      // A refusal (429) answers like any other route's; anything else goes to Express.
      if (error instanceof DomainError) sendError(req, res, toApiError(error));
      else next(error);
    });
  };
}
