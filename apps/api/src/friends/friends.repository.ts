import { Injectable } from '@nestjs/common';
import { Kysely, sql, Transaction } from 'kysely';
import { Database, DatabaseService, keysetBefore } from '@app/database';
import { CursorKey } from '../common/pagination';

export interface RequestRow {
  id: string;
  fromUserId: string;
  toUserId: string;
  createdAt: Date;
}

export interface PersonRow {
  id: string;
  username: string;
  displayName: string | null;
  at: Date;
}

type Db = Kysely<Database> | Transaction<Database>;

export const orderedPair = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

/** Friend requests, friendships and blocks. */
@Injectable()
export class FriendsRepository {
  constructor(private readonly database: DatabaseService) {}

  get db(): Kysely<Database> {
    return this.database.db;
  }

  /**
   * Runs `work` in a transaction that holds a lock on the pair of users, so that
   * concurrent requests, accepts and blocks between the same two people are
   * serialised: two users asking each other at the same moment become friends once.
   */
  withPairLock<T>(a: string, b: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const [low, high] = orderedPair(a, b);
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`${low}:${high}`}, 0))`.execute(trx);
      return work(trx);
    });
  }

  async areFriends(db: Db, a: string, b: string): Promise<boolean> {
    const [low, high] = orderedPair(a, b);
    const row = await db
      .selectFrom('friendships')
      .select('user_a')
      .where('user_a', '=', low)
      .where('user_b', '=', high)
      .executeTakeFirst();
    return row !== undefined;
  }

  async addFriendship(db: Db, a: string, b: string): Promise<Date> {
    const [low, high] = orderedPair(a, b);
    await db
      .insertInto('friendships')
      .values({ user_a: low, user_b: high })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const row = await db
      .selectFrom('friendships')
      .select('created_at')
      .where('user_a', '=', low)
      .where('user_b', '=', high)
      .executeTakeFirstOrThrow();
    return row.created_at;
  }

  async removeFriendship(db: Db, a: string, b: string): Promise<boolean> {
    const [low, high] = orderedPair(a, b);
    const result = await db
      .deleteFrom('friendships')
      .where('user_a', '=', low)
      .where('user_b', '=', high)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async findRequest(db: Db, fromUserId: string, toUserId: string): Promise<RequestRow | undefined> {
    const row = await db
      .selectFrom('friend_requests')
      .select(['id', 'from_user_id', 'to_user_id', 'created_at'])
      .where('from_user_id', '=', fromUserId)
      .where('to_user_id', '=', toUserId)
      .executeTakeFirst();
    return row && toRequest(row);
  }

  async findRequestById(id: string): Promise<RequestRow | undefined> {
    const row = await this.db
      .selectFrom('friend_requests')
      .select(['id', 'from_user_id', 'to_user_id', 'created_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRequest(row);
  }

  async createRequest(db: Db, fromUserId: string, toUserId: string): Promise<RequestRow> {
    const row = await db
      .insertInto('friend_requests')
      .values({ from_user_id: fromUserId, to_user_id: toUserId })
      .returning(['id', 'from_user_id', 'to_user_id', 'created_at'])
      .executeTakeFirstOrThrow();
    return toRequest(row);
  }

  async deleteRequest(db: Db, id: string): Promise<boolean> {
    const result = await db.deleteFrom('friend_requests').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async deleteRequestsBetween(db: Db, a: string, b: string): Promise<void> {
    await db
      .deleteFrom('friend_requests')
      .where((eb) =>
        eb.or([
          eb.and([eb('from_user_id', '=', a), eb('to_user_id', '=', b)]),
          eb.and([eb('from_user_id', '=', b), eb('to_user_id', '=', a)]),
        ]),
      )
      .execute();
  }

  async listRequests(
    userId: string,
    direction: 'incoming' | 'outgoing',
    limit: number,
    after?: CursorKey,
  ): Promise<RequestRow[]> {
    let query = this.db
      .selectFrom('friend_requests')
      .select(['id', 'from_user_id', 'to_user_id', 'created_at'])
      .where(direction === 'incoming' ? 'to_user_id' : 'from_user_id', '=', userId);
    if (after) query = query.where(keysetBefore('created_at', 'id', after));
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    return rows.map(toRequest);
  }

  async listFriends(userId: string, limit: number, after?: CursorKey): Promise<PersonRow[]> {
    let query = this.db
      .selectFrom('friendships')
      .innerJoin('users', (join) =>
        join.on((eb) =>
          eb.or([
            eb.and([eb('friendships.user_a', '=', userId), eb('users.id', '=', eb.ref('friendships.user_b'))]),
            eb.and([eb('friendships.user_b', '=', userId), eb('users.id', '=', eb.ref('friendships.user_a'))]),
          ]),
        ),
      )
      .select(['users.id', 'users.username', 'users.display_name', 'friendships.created_at as at']);
    if (after) query = query.where(keysetBefore('friendships.created_at', 'users.id', after));
    const rows = await query
      .orderBy('friendships.created_at', 'desc')
      .orderBy('users.id', 'desc')
      .limit(limit + 1)
      .execute();
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, at: r.at }));
  }

  async isBlocked(db: Db, blockerId: string, blockedId: string): Promise<boolean> {
    const row = await db
      .selectFrom('blocks')
      .select('blocker_id')
      .where('blocker_id', '=', blockerId)
      .where('blocked_id', '=', blockedId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async addBlock(db: Db, blockerId: string, blockedId: string): Promise<void> {
    await db
      .insertInto('blocks')
      .values({ blocker_id: blockerId, blocked_id: blockedId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async removeBlock(blockerId: string, blockedId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('blocks')
      .where('blocker_id', '=', blockerId)
      .where('blocked_id', '=', blockedId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listBlocks(blockerId: string, limit: number, after?: CursorKey): Promise<PersonRow[]> {
    let query = this.db
      .selectFrom('blocks')
      .innerJoin('users', 'users.id', 'blocks.blocked_id')
      .select(['users.id', 'users.username', 'users.display_name', 'blocks.created_at as at'])
      .where('blocks.blocker_id', '=', blockerId);
    if (after) query = query.where(keysetBefore('blocks.created_at', 'users.id', after));
    const rows = await query
      .orderBy('blocks.created_at', 'desc')
      .orderBy('users.id', 'desc')
      .limit(limit + 1)
      .execute();
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, at: r.at }));
  }
}

function toRequest(row: { id: string; from_user_id: string; to_user_id: string; created_at: Date }): RequestRow {
  return { id: row.id, fromUserId: row.from_user_id, toUserId: row.to_user_id, createdAt: row.created_at };
}
