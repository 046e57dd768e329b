import { Injectable } from '@nestjs/common';
import { DatabaseService, PG_UNIQUE_VIOLATION, pgErrorCode } from '@app/database';
import { UserSummary } from '@app/realtime';
import { isValidUsername } from '../auth/username';

export interface UserRecord extends UserSummary {
  createdAt: Date;
}

const USER_COLUMNS = ['id', 'username', 'display_name', 'created_at'] as const;

function toUser(row: { id: string; username: string; display_name: string | null; created_at: Date }): UserRecord {
  return { id: row.id, username: row.username, displayName: row.display_name, createdAt: row.created_at };
}

export class UsernameTakenError extends Error {}

@Injectable()
export class UsersRepository {
  constructor(private readonly database: DatabaseService) {}

  private get db() {
    return this.database.db;
  }

  async create(username: string, displayName: string | null, passwordHash: string): Promise<UserRecord> {
    try {
      const row = await this.db
        .insertInto('users')
        .values({ username, display_name: displayName, password_hash: passwordHash })
        .returning(USER_COLUMNS)
        .executeTakeFirstOrThrow();
      return toUser(row);
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw new UsernameTakenError(username);
      throw error;
    }
  }

  /**
   * Lookups by name answer a name no account can have (control characters, say) as unknown,
   * without a query: PostgreSQL refuses some of those characters outright.
   */
  async findCredentials(username: string): Promise<{ id: string; passwordHash: string } | undefined> {
    if (!isValidUsername(username)) return undefined;
    const row = await this.db
      .selectFrom('users')
      .select(['id', 'password_hash'])
      .where('username', '=', username)
      .executeTakeFirst();
    return row && { id: row.id, passwordHash: row.password_hash };
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async findManyByIds(ids: readonly string[]): Promise<Map<string, UserRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((row) => [row.id, toUser(row)]));
  }

  /** Unknown for a name no account can have, as findCredentials. */
  async findByUsername(username: string): Promise<UserRecord | undefined> {
    if (!isValidUsername(username)) return undefined;
    const row = await this.db
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('username', '=', username)
      .executeTakeFirst();
    return row && toUser(row);
  }

  /** True when either user blocked the other. */
  /** Which of the two has blocked the other: none, one or both of their ids. */
  async blockersBetween(a: string, b: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('blocks')
      .select('blocker_id')
      .where((eb) =>
        eb.or([
          eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]),
          eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)]),
        ]),
      )
      .execute();
    return new Set(rows.map((r) => r.blocker_id));
  }
}
