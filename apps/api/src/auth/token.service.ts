import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

interface JwtPayload {
  sub: string;
  sid: string;
  exp: number;
}

/**
 * Access tokens are short-lived HS256 JWTs naming the user and the session
 * (login) they belong to; verification pins the algorithm, so `alg: none` and
 * algorithm-swap tokens fail. Refresh tokens are opaque random strings stored
 * only as SHA-256 digests.
 */
@Injectable()
export class TokenService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
  ) {}

  get accessTtlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  signAccess(userId: string, sessionId: string): string {
    // HS256, the secret and the lifetime come from the module's options (auth.module.ts).
    return this.jwt.sign({ sid: sessionId }, { subject: userId });
  }

  verifyAccess(token: string): AccessClaims {
    try {
      const payload = this.jwt.verify<JwtPayload>(token, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new Error('claims missing');
      return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp };
    } catch (error) {
      if (error instanceof TokenExpiredError) {
        throw new DomainError(ErrorCode.TOKEN_EXPIRED, 'The access token has expired; refresh it.');
      }
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The access token is not valid.');
    }
  }

  newRefreshToken(): { token: string; hash: Buffer } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: this.hashRefresh(token) };
  }

  hashRefresh(token: string): Buffer {
    return createHash('sha256').update(token).digest();
  }
}
