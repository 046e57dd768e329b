import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DatabaseService, KeysetPosition, keysetBefore } from '@app/database';

export interface SessionRow {
  id: string;
  userId: string;
  deviceName: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

export type RotateOutcome =
  | { kind: 'rotated'; session: SessionRow }
  | { kind: 'reused'; sessionId: string }
  | { kind: 'revoked' | 'expired' | 'unknown' };

/** Sessions are token families: one per login, each with a chain of single-use refresh tokens. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly database: DatabaseService) {}

  private get db() {
    return this.database.db;
  }

  async create(userId: string, deviceName: string | null, expiresAt: Date, tokenHash: Buffer): Promise<SessionRow> {
    return this.db.transaction().execute(async (trx) => {
      const session = await trx
        .insertInto('sessions')
        .values({ user_id: userId, device_name: deviceName, expires_at: expiresAt })
        .returning(['id', 'user_id', 'device_name', 'created_at', 'last_used_at', 'expires_at'])
        .executeTakeFirstOrThrow();
      await trx.insertInto('refresh_tokens').values({ token_hash: tokenHash, session_id: session.id }).execute();
      return toSession(session);
    });
  }

  /**
   * Spends a refresh token and records its successor, atomically: the
   * conditional update lets exactly one of two concurrent presentations win,
   * and the loser (or any later presentation) is reported as reuse while the
   * session lives. A session that has ended answers why it ended, however often
   * one of its tokens comes back: a client retrying after that answer is not a
   * thief, and there is no live session left to protect.
   */
  async rotate(oldHash: Buffer, newHash: Buffer, newExpiresAt: Date): Promise<RotateOutcome> {
    return this.db.transaction().execute(async (trx) => {
      const spent = await trx
        .updateTable('refresh_tokens')
        .set({ used_at: sql`now()` })
        .where('token_hash', '=', oldHash)
        .where('used_at', 'is', null)
        .returning('session_id')
        .executeTakeFirst();
      if (!spent) {
        const known = await trx
          .selectFrom('refresh_tokens')
          .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
          .select(['refresh_tokens.session_id', 'sessions.revoked_at', 'sessions.expires_at'])
          .where('refresh_tokens.token_hash', '=', oldHash)
          .executeTakeFirst();
        if (!known) return { kind: 'unknown' };
        if (known.revoked_at) return { kind: 'revoked' };
        if (known.expires_at.getTime() <= Date.now()) return { kind: 'expired' };
        return { kind: 'reused', sessionId: known.session_id };
      }
      const session = await trx
        .selectFrom('sessions')
        .select(['id', 'user_id', 'device_name', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
        .where('id', '=', spent.session_id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (session.revoked_at) return { kind: 'revoked' };
      if (session.expires_at.getTime() <= Date.now()) return { kind: 'expired' };
      await trx.insertInto('refresh_tokens').values({ token_hash: newHash, session_id: session.id }).execute();
      const updated = await trx
        .updateTable('sessions')
        .set({ last_used_at: sql`now()`, expires_at: newExpiresAt })
        .where('id', '=', session.id)
        .returning(['id', 'user_id', 'device_name', 'created_at', 'last_used_at', 'expires_at'])
        .executeTakeFirstOrThrow();
      return { kind: 'rotated', session: toSession(updated) };
    });
  }

  async findSessionIdByToken(tokenHash: Buffer): Promise<{ sessionId: string; userId: string } | undefined> {
    const row = await this.db
      .selectFrom('refresh_tokens')
      .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
      .select(['sessions.id as sessionId', 'sessions.user_id as userId'])
      .where('refresh_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row;
  }

  /** Revokes a session; returns false when it was not the user's or already revoked. */
  async revoke(sessionId: string, reason: string, userId?: string): Promise<boolean> {
    let query = this.db
      .updateTable('sessions')
      .set({ revoked_at: sql`now()`, revoked_reason: reason })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null);
    if (userId) query = query.where('user_id', '=', userId);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** True while the session may be used: not revoked and not expired. */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('sessions')
      .select('id')
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** A page of the live sessions, newest sign-in first: `limit + 1` rows after `after`. */
  async listActive(userId: string, limit: number, after?: KeysetPosition): Promise<SessionRow[]> {
    let query = this.db
      .selectFrom('sessions')
      .select(['id', 'user_id', 'device_name', 'created_at', 'last_used_at', 'expires_at'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`);
    if (after) query = query.where(keysetBefore('created_at', 'id', after));
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    return rows.map(toSession);
  }
}

function toSession(row: {
  id: string;
  user_id: string;
  device_name: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
}): SessionRow {
  return {
    id: row.id,
    userId: row.user_id,
    deviceName: row.device_name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
  };
}
