import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { RealtimePublisher } from '@app/realtime';
import { UserRecord, UsernameTakenError, UsersRepository } from '../users/users.repository';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { RateLimiter } from '../common/rate-limiter';
import { AuthView, SessionView, TokensView, UserView } from './dto/auth.dto';
import { PasswordHasher } from './password.hasher';
import { SessionsRepository } from './sessions.repository';
import { TokenService } from './token.service';
import { isReservedUsername } from './username';

export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    createdAt: user.createdAt.toISOString(),
  };
}

/** Registration, login, refresh-token rotation and session revocation. */
@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokenService,
    private readonly passwords: PasswordHasher,
    private readonly limiter: RateLimiter,
    private readonly realtime: RealtimePublisher,
  ) {}

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000);
  }

  private async startSession(user: UserRecord, deviceName: string | undefined): Promise<AuthView> {
    const refresh = this.tokens.newRefreshToken();
    const session = await this.sessions.create(user.id, deviceName ?? null, this.refreshExpiry(), refresh.hash);
    return {
      user: toUserView(user),
      accessToken: this.tokens.signAccess(user.id, session.id),
      refreshToken: refresh.token,
      expiresIn: this.tokens.accessTtlSeconds,
    };
  }

  async register(
    input: { username: string; password: string; displayName?: string; deviceName?: string },
    ip: string,
  ): Promise<AuthView> {
    await this.limiter.consume('register:ip', ip);
    if (isReservedUsername(input.username)) {
      throw new DomainError(ErrorCode.USERNAME_TAKEN, 'That username is not available.');
    }
    const hash = await this.passwords.hash(input.password);
    try {
      const user = await this.users.create(input.username, input.displayName ?? null, hash);
      return await this.startSession(user, input.deviceName);
    } catch (error) {
      if (error instanceof UsernameTakenError) {
        throw new DomainError(ErrorCode.USERNAME_TAKEN, 'That username is not available.');
      }
      throw error;
    }
  }

  async login(input: { username: string; password: string; deviceName?: string }, ip: string): Promise<AuthView> {
    await this.limiter.consume('login:ip', ip);
    await this.limiter.consume('login:username', input.username);
    const credentials = await this.users.findCredentials(input.username);
    // An unknown username costs one argon2 verification too, so timing does not reveal which names exist.
    const ok = await this.passwords.verify(credentials?.passwordHash ?? null, input.password);
    if (!ok || !credentials) throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'Wrong username or password.');
    const user = await this.users.findById(credentials.id);
    if (!user) throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'Wrong username or password.');
    return this.startSession(user, input.deviceName);
  }

  async refresh(refreshToken: string, ip: string): Promise<TokensView> {
    await this.limiter.consume('refresh:ip', ip);
    const next = this.tokens.newRefreshToken();
    const outcome = await this.sessions.rotate(this.tokens.hashRefresh(refreshToken), next.hash, this.refreshExpiry());
    switch (outcome.kind) {
      case 'rotated':
        return {
          accessToken: this.tokens.signAccess(outcome.session.userId, outcome.session.id),
          refreshToken: next.token,
          expiresIn: this.tokens.accessTtlSeconds,
        };
      case 'reused':
        // A spent token came back: someone holds a copy. End the whole login, on every device.
        await this.endSession(outcome.sessionId, 'refresh token reused');
        throw new DomainError(
          ErrorCode.TOKEN_REUSED,
          'This refresh token was already used; the session has been ended for safety.',
        );
      case 'expired':
        throw new DomainError(ErrorCode.TOKEN_EXPIRED, 'The session has expired; sign in again.');
      default:
        throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The refresh token is not valid.');
    }
  }

  /** Logout: ends the login the refresh token belongs to, if it is the caller's. Idempotent. */
  async logout(userId: string, refreshToken: string): Promise<void> {
    const found = await this.sessions.findSessionIdByToken(this.tokens.hashRefresh(refreshToken));
    if (found && found.userId === userId) await this.endSession(found.sessionId, 'logout');
  }

  /** A page of the account's live sessions, newest sign-in first. */
  async listSessions(
    userId: string,
    currentSessionId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<SessionView>> {
    const rows = await this.sessions.listActive(userId, limit, decodeCursor(cursor));
    return toPage(
      rows,
      limit,
      (s) => ({ at: s.createdAt, id: s.id }),
      (s) => ({
        id: s.id,
        deviceName: s.deviceName,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        current: s.id === currentSessionId,
      }),
    );
  }

  async revokeSession(userId: string, sessionId: string): Promise<void> {
    if (!(await this.sessions.revoke(sessionId, 'revoked by user', userId))) {
      throw new DomainError(ErrorCode.NOT_FOUND, 'No such session.');
    }
    this.realtime.disconnectSession(sessionId);
  }

  private async endSession(sessionId: string, reason: string): Promise<void> {
    await this.sessions.revoke(sessionId, reason);
    this.realtime.disconnectSession(sessionId);
  }
}
