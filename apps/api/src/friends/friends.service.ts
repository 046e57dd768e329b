import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/contracts';
import { FriendRequestView, FriendView, RealtimePublisher, UserSummary } from '@app/realtime';
import { RateLimiter } from '../common/rate-limiter';
import { CursorKey, decodeCursor, Page, toPage } from '../common/pagination';
import { normalizeUsername } from '../auth/username';
import { UserRecord, UsersRepository } from '../users/users.repository';
import { FriendsRepository, PersonRow, RequestRow } from './friends.repository';

export type SendRequestResult =
  { kind: 'requested'; request: FriendRequestView } | { kind: 'friends'; friend: FriendView };

export interface BlockView extends UserSummary {
  blockedAt: string;
}

const summary = (user: UserRecord | UserSummary): UserSummary => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
});
const friendView = (user: UserSummary, since: Date): FriendView => ({ ...summary(user), since: since.toISOString() });
const notFound = (what = 'No such user.') => new DomainError(ErrorCode.NOT_FOUND, what);

/**
 * The friend graph. Every change between two people runs under a lock on the
 * pair, and blocks hide each side from the other: to the blocked user the
 * blocker looks exactly like a name that does not exist.
 */
@Injectable()
export class FriendsService {
  constructor(
    private readonly friends: FriendsRepository,
    private readonly users: UsersRepository,
    private readonly limiter: RateLimiter,
    private readonly realtime: RealtimePublisher,
  ) {}

  /**
   * The user a caller names, unless the name is unknown or a block hides it. With
   * `blockedByCaller`, a user the caller blocked stays visible (to block again: a no-op).
   */
  async visibleUser(callerId: string, rawUsername: string, { blockedByCaller = false } = {}): Promise<UserRecord> {
    const target = await this.users.findByUsername(normalizeUsername(rawUsername));
    if (!target) throw notFound();
    if (target.id === callerId) return target;
    const blockers = await this.users.blockersBetween(callerId, target.id);
    if (blockers.has(target.id) || (blockers.has(callerId) && !blockedByCaller)) throw notFound();
    return target;
  }

  async sendRequest(callerId: string, username: string): Promise<SendRequestResult> {
    await this.limiter.consume('friend-request:user', callerId);
    const target = await this.visibleUser(callerId, username);
    if (target.id === callerId) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'You cannot send a friend request to yourself.', {
        fields: [{ field: 'username', problems: ['is your own username'] }],
      });
    }
    const caller = await this.users.findById(callerId);
    if (!caller) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This account no longer exists.');

    const result = await this.friends.withPairLock(callerId, target.id, async (trx) => {
      // Re-checked under the lock: a block may have landed since the lookup.
      if (
        (await this.friends.isBlocked(trx, callerId, target.id)) ||
        (await this.friends.isBlocked(trx, target.id, callerId))
      ) {
        throw notFound();
      }
      if (await this.friends.areFriends(trx, callerId, target.id)) {
        throw new DomainError(ErrorCode.ALREADY_FRIENDS, 'You are already friends.');
      }
      const theirs = await this.friends.findRequest(trx, target.id, callerId);
      if (theirs) {
        await this.friends.deleteRequest(trx, theirs.id);
        const since = await this.friends.addFriendship(trx, callerId, target.id);
        return { kind: 'friends' as const, since };
      }
      if (await this.friends.findRequest(trx, callerId, target.id)) {
        throw new DomainError(ErrorCode.REQUEST_EXISTS, 'You already sent this user a request.');
      }
      return { kind: 'requested' as const, row: await this.friends.createRequest(trx, callerId, target.id) };
    });

    if (result.kind === 'friends') {
      this.realtime.toUser(target.id, 'friend:accepted', { friend: friendView(caller, result.since) });
      return { kind: 'friends', friend: friendView(target, result.since) };
    }
    const request = this.requestView(result.row, new Map([caller, target].map((u) => [u.id, u])));
    this.realtime.toUser(target.id, 'friend:request', { request });
    return { kind: 'requested', request };
  }

  async listRequests(
    callerId: string,
    direction: 'incoming' | 'outgoing',
    limit: number,
    cursor?: string,
  ): Promise<Page<FriendRequestView>> {
    const rows = await this.friends.listRequests(callerId, direction, limit, decodeCursor(cursor));
    const people = await this.users.findManyByIds(rows.flatMap((r) => [r.fromUserId, r.toUserId]));
    return toPage(
      rows,
      limit,
      (r) => ({ at: r.createdAt, id: r.id }),
      (r) => this.requestView(r, people),
    );
  }

  async accept(callerId: string, requestId: string): Promise<FriendView> {
    const request = await this.friends.findRequestById(requestId);
    if (!request || request.toUserId !== callerId) throw notFound('No such friend request.');
    const since = await this.friends.withPairLock(request.fromUserId, callerId, async (trx) => {
      if (!(await this.friends.deleteRequest(trx, request.id))) throw notFound('No such friend request.');
      return this.friends.addFriendship(trx, request.fromUserId, callerId);
    });
    const people = await this.users.findManyByIds([request.fromUserId, callerId]);
    const requester = people.get(request.fromUserId);
    const me = people.get(callerId);
    if (!requester || !me) throw notFound();
    this.realtime.toUser(requester.id, 'friend:accepted', { friend: friendView(me, since) });
    return friendView(requester, since);
  }

  async decline(callerId: string, requestId: string): Promise<void> {
    await this.removeRequest(requestId, (r) => r.toUserId === callerId);
  }

  async cancel(callerId: string, requestId: string): Promise<void> {
    await this.removeRequest(requestId, (r) => r.fromUserId === callerId);
  }

  async listFriends(callerId: string, limit: number, cursor?: string): Promise<Page<FriendView>> {
    const rows = await this.friends.listFriends(callerId, limit, decodeCursor(cursor));
    return toPage(rows, limit, keyOf, (r) => friendView(r, r.at));
  }

  async removeFriend(callerId: string, friendId: string): Promise<void> {
    const removed = await this.friends.withPairLock(callerId, friendId, (trx) =>
      this.friends.removeFriendship(trx, callerId, friendId),
    );
    if (!removed) throw notFound('No such friend.');
  }

  /** Blocking ends the friendship and pending requests both ways, and hides each from the other. */
  async block(callerId: string, username: string): Promise<void> {
    const target = await this.visibleUser(callerId, username, { blockedByCaller: true });
    if (target.id === callerId) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'You cannot block yourself.', {
        fields: [{ field: 'username', problems: ['is your own username'] }],
      });
    }
    await this.friends.withPairLock(callerId, target.id, async (trx) => {
      await this.friends.addBlock(trx, callerId, target.id);
      await this.friends.removeFriendship(trx, callerId, target.id);
      await this.friends.deleteRequestsBetween(trx, callerId, target.id);
    });
  }

  async listBlocks(callerId: string, limit: number, cursor?: string): Promise<Page<BlockView>> {
    const rows = await this.friends.listBlocks(callerId, limit, decodeCursor(cursor));
    return toPage(rows, limit, keyOf, (r) => ({ ...summary(r), blockedAt: r.at.toISOString() }));
  }

  async unblock(callerId: string, userId: string): Promise<void> {
    if (!(await this.friends.removeBlock(callerId, userId))) throw notFound('You have not blocked this user.');
  }

  private async removeRequest(requestId: string, mayRemove: (request: RequestRow) => boolean): Promise<void> {
    const request = await this.friends.findRequestById(requestId);
    if (!request || !mayRemove(request) || !(await this.friends.deleteRequest(this.friends.db, request.id))) {
      throw notFound('No such friend request.');
    }
  }

  private requestView(row: RequestRow, people: Map<string, UserSummary>): FriendRequestView {
    const from = people.get(row.fromUserId);
    const to = people.get(row.toUserId);
    if (!from || !to) throw notFound('No such friend request.');
    return { id: row.id, from: summary(from), to: summary(to), createdAt: row.createdAt.toISOString() };
  }
}

const keyOf = (row: PersonRow): CursorKey => ({ at: row.at, id: row.id });
