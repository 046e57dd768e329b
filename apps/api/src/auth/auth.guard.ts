import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@app/contracts';
import { IS_PUBLIC } from '../common/public.decorator';
import { AuthContext, AuthedRequest } from './auth.types';
import { SessionsRepository } from './sessions.repository';
import { TokenService } from './token.service';

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header ?? '');
  return match?.[1];
}

/**
 * Every route needs a valid access token unless marked @Public(). The token's
 * session is checked in PostgreSQL on each request, so revoking a login (logout,
 * DELETE /v1/me/sessions/:id, refresh-token reuse) takes effect at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly sessions: SessionsRepository,
  ) {}

  async authenticate(token: string | undefined): Promise<AuthContext> {
    if (!token) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'An access token is required.');
    const claims = this.tokens.verifyAccess(token);
    const auth = {
      userId: claims.userId,
      sessionId: claims.sessionId,
      accessExpiresAt: new Date(claims.expiresAt * 1000),
    };
    if (!(await this.stillActive(auth))) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This session has ended; sign in again.');
    }
    return auth;
  }

  /** Whether the session behind `auth` is still signed in (not revoked, not expired). */
  stillActive(auth: AuthContext): Promise<boolean> {
    return this.sessions.isActive(auth.sessionId, auth.userId);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic || context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    req.auth = await this.authenticate(bearerToken(req.headers.authorization));
    return true;
  }
}
