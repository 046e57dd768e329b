import { Injectable } from '@nestjs/common';
import { sql, Transaction } from 'kysely';
import { DatabaseService } from '../database.service';
import { Database, MediaKind, RecipientState } from '../database.types';
import { KeysetPosition, keysetBefore } from '../keyset';

export interface SnapRow {
  id: string;
  senderId: string;
  mediaId: string | null;
  kind: MediaKind;
  viewSeconds: number;
  caption: string | null;
  sentAt: Date;
  expiresAt: Date;
  /** When the snap is purged: expiresAt, or earlier once every recipient's view window closed. */
  purgeAfter: Date;
  withdrawnAt: Date | null;
  purgedAt: Date | null;
}

/** Which due snaps one purge claims. */
export interface PurgeClaim {
  /** At most this many snaps. */
  limit: number;
  /** Only snaps past their deadline by this much (default 0: every due snap). */
  graceSeconds?: number;
  /** Only these snaps. */
  ids?: string[];
  /** Wait for snaps another purge holds instead of skipping them. */
  wait?: boolean;
}

export interface PurgedSnap {
  id: string;
  senderId: string;
  /** Recipients who had not opened it (now `expired`). */
  notify: string[];
  /** Storage objects deleted with it. */
  objects: number;
  /** purged_at − purge_after. */
  lagMs: number;
}

export interface RecipientRow {
  snapId: string;
  recipientId: string;
  username: string;
  state: RecipientState;
  deliveredAt: Date | null;
  openedAt: Date | null;
  screenshotAt: Date | null;
}

export interface InboxRow {
  id: string;
  senderId: string;
  senderUsername: string;
  kind: MediaKind;
  viewSeconds: number;
  sentAt: Date;
  expiresAt: Date;
  state: RecipientState;
}

export type SendOutcome =
  | {
      kind: 'sent';
      snap: SnapRow & { senderUsername: string };
      recipients: { userId: string; state: RecipientState }[];
    }
  | { kind: 'media-missing' }
  | { kind: 'media-expired' }
  | { kind: 'media-not-ready'; reason: 'uploading' | 'failed' | 'used' }
  | { kind: 'not-friends'; userIds: string[] };

/**
 * A snap's view window in seconds: what the sender asked for, or the video's own length
 * when that is longer. Stored in `view_seconds` as soon as the media's duration is known
 * (at send, or when a media that was still processing becomes ready), so every list,
 * event and open reports the same window.
 */
export function viewWindowSeconds(viewSeconds: number, durationMs: number | null): number {
  return durationMs === null ? viewSeconds : Math.max(viewSeconds, Math.ceil(durationMs / 1000));
}

const SNAP_COLUMNS = [
  'snaps.id',
  'snaps.sender_id',
  'snaps.media_id',
  'snaps.kind',
  'snaps.view_seconds',
  'snaps.caption',
  'snaps.sent_at',
  'snaps.expires_at',
  'snaps.purge_after',
  'snaps.withdrawn_at',
  'snaps.purged_at',
] as const;

function toSnap(row: {
  id: string;
  sender_id: string;
  media_id: string | null;
  kind: MediaKind;
  view_seconds: number;
  caption: string | null;
  sent_at: Date;
  expires_at: Date;
  purge_after: Date;
  withdrawn_at: Date | null;
  purged_at: Date | null;
}): SnapRow {
  return {
    id: row.id,
    senderId: row.sender_id,
    mediaId: row.media_id,
    kind: row.kind,
    viewSeconds: row.view_seconds,
    caption: row.caption,
    sentAt: row.sent_at,
    expiresAt: row.expires_at,
    purgeAfter: row.purge_after,
    withdrawnAt: row.withdrawn_at,
    purgedAt: row.purged_at,
  };
}

/** Snaps and their per-recipient delivery state. Every state change is one conditional update. */
@Injectable()
export class SnapsRepository {
  constructor(private readonly database: DatabaseService) {}

  private get db() {
    return this.database.db;
  }

  /**
   * Sends a snap in one transaction: the media row is locked and taken (one media, one
   * snap), every recipient must be a current friend, and one delivery row is written per
   * recipient — `delivered` when the media is ready, `pending` while it is processing.
   */
  async send(input: {
    senderId: string;
    mediaId: string;
    recipientIds: string[];
    viewSeconds: number;
    caption: string | null;
    ttlSeconds: number;
  }): Promise<SendOutcome> {
    return this.db.transaction().execute(async (trx): Promise<SendOutcome> => {
      const media = await trx
        .selectFrom('media')
        .select(['id', 'status', 'kind', 'attached_at', 'duration_ms'])
        // Read at the lock, not at the transaction's start: past this moment the upload may be expiring.
        .select(sql<boolean>`upload_expires_at <= clock_timestamp()`.as('expired'))
        // The sender's name rides along for snap:received; a scalar subquery is not locked by FOR UPDATE.
        .select((eb) =>
          eb.selectFrom('users').select('username').whereRef('users.id', '=', 'media.owner_id').as('owner_username'),
        )
        .where('id', '=', input.mediaId)
        .where('owner_id', '=', input.senderId)
        .forUpdate()
        .executeTakeFirst();
      if (!media) return { kind: 'media-missing' };
      if (media.attached_at) return { kind: 'media-not-ready', reason: 'used' };
      // Its deadline passed: the upload expirer may already be deleting its objects.
      if (media.expired) return { kind: 'media-expired' };
      if (media.status === 'uploading' || !media.kind) return { kind: 'media-not-ready', reason: 'uploading' };
      if (media.status === 'failed') return { kind: 'media-not-ready', reason: 'failed' };

      const friends = await trx
        .selectFrom('friendships')
        .select(sql<string>`case when user_a = ${input.senderId} then user_b else user_a end`.as('friend_id'))
        .where((eb) =>
          eb.or([
            eb.and([eb('user_a', '=', input.senderId), eb('user_b', 'in', input.recipientIds)]),
            eb.and([eb('user_b', '=', input.senderId), eb('user_a', 'in', input.recipientIds)]),
          ]),
        )
        .execute();
      const friendIds = new Set(friends.map((f) => f.friend_id));
      const notFriends = input.recipientIds.filter((id) => !friendIds.has(id));
      if (notFriends.length > 0) return { kind: 'not-friends', userIds: notFriends };

      await trx
        .updateTable('media')
        .set({ attached_at: sql`now()` })
        .where('id', '=', media.id)
        .execute();
      // From the moment sent_at holds (milliseconds, rounded), so expiresAt − sentAt is the TTL exactly.
      const deadline = sql<Date>`now()::timestamptz(3) + make_interval(secs => ${input.ttlSeconds})`;
      const snap = await trx
        .insertInto('snaps')
        .values({
          sender_id: input.senderId,
          media_id: media.id,
          kind: media.kind,
          view_seconds: viewWindowSeconds(input.viewSeconds, media.duration_ms),
          caption: input.caption,
          expires_at: deadline,
          purge_after: deadline,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const state: RecipientState = media.status === 'ready' ? 'delivered' : 'pending';
      await trx
        .insertInto('snap_recipients')
        .values(
          input.recipientIds.map((recipientId) => ({
            snap_id: snap.id,
            recipient_id: recipientId,
            state,
            delivered_at: state === 'delivered' ? snap.sent_at : null,
          })),
        )
        .execute();
      return {
        kind: 'sent',
        snap: { ...toSnap(snap), senderUsername: media.owner_username ?? '' },
        recipients: input.recipientIds.map((userId) => ({ userId, state })),
      };
    });
  }

  async findByMedia(mediaId: string): Promise<(SnapRow & { senderUsername: string }) | undefined> {
    const row = await this.db
      .selectFrom('snaps')
      .innerJoin('users', 'users.id', 'snaps.sender_id')
      .select([...SNAP_COLUMNS, 'users.username'])
      .where('snaps.media_id', '=', mediaId)
      .executeTakeFirst();
    return row && { ...toSnap(row), senderUsername: row.username };
  }

  /** Widens a snap's view window to `seconds` (never narrows it). */
  async widenViewWindow(snapId: string, seconds: number): Promise<void> {
    await this.db
      .updateTable('snaps')
      .set({ view_seconds: sql<number>`greatest(view_seconds, ${seconds}::int)` })
      .where('id', '=', snapId)
      .execute();
  }

  /**
   * pending → delivered, once the media is ready; returns who changed. A snap withdrawn or
   * past its purge deadline meanwhile is never delivered.
   */
  async deliverPending(snapId: string): Promise<string[]> {
    const rows = await this.db
      .updateTable('snap_recipients')
      .set({ state: 'delivered', delivered_at: sql`now()` })
      .where('snap_id', '=', snapId)
      .where('state', '=', 'pending')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('snaps')
            .select('id')
            .where('id', '=', snapId)
            .where('withdrawn_at', 'is', null)
            .where('purged_at', 'is', null)
            .where('purge_after', '>', sql<Date>`now()`),
        ),
      )
      .returning('recipient_id')
      .execute();
    return rows.map((r) => r.recipient_id);
  }

  /**
   * The open: one conditional update per recipient. Of any number of concurrent opens
   * (devices, API nodes) exactly one changes the row; the rest see why not. When
   * that was the last open, the snap's purge deadline moves to the end of the last view
   * window (closeViewWindowIfLast), in the same transaction: a crash between the two cannot
   * leave a fully viewed snap waiting for its expiresAt. The snap's row is locked first, so
   * opens of one snap run one after another and the last of them sees every other open.
   */
  async open(
    snapId: string,
    recipientId: string,
    graceSeconds: number,
  ): Promise<{ snap: SnapRow; openedAt: Date; lastAccessEnd?: Date } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      // A snap past its purge deadline cannot be opened (expired, withdrawn, viewed by all, or
      // its media refused), so it is not waited for: a purge may hold it while storage deletes.
      const snap = await trx
        .selectFrom('snaps')
        .select(SNAP_COLUMNS)
        .where('id', '=', snapId)
        .where('purge_after', '>', sql<Date>`now()`)
        .where('expires_at', '>', sql<Date>`now()`)
        .where('withdrawn_at', 'is', null)
        .where('purged_at', 'is', null)
        .where('media_id', 'is not', null)
        .forUpdate()
        .executeTakeFirst();
      if (!snap) return undefined;
      // The snap is held: only the recipient's own row decides.
      const row = await trx
        .updateTable('snap_recipients')
        .set({ state: 'opened', opened_at: sql`now()` })
        .where('snap_id', '=', snapId)
        .where('recipient_id', '=', recipientId)
        .where('state', '=', 'delivered')
        .returning('opened_at')
        .executeTakeFirst();
      if (!row) return undefined;
      const lastAccessEnd = await this.closeViewWindowIfLast(snapId, graceSeconds, trx);
      return { snap: toSnap(snap), openedAt: row.opened_at!, lastAccessEnd };
    });
  }

  async recipientView(
    snapId: string,
    recipientId: string,
  ): Promise<{ snap: SnapRow; state: RecipientState; openedAt: Date | null; screenshotAt: Date | null } | undefined> {
    const row = await this.db
      .selectFrom('snap_recipients')
      .innerJoin('snaps', 'snaps.id', 'snap_recipients.snap_id')
      .select([...SNAP_COLUMNS, 'snap_recipients.state', 'snap_recipients.opened_at', 'snap_recipients.screenshot_at'])
      .where('snap_recipients.snap_id', '=', snapId)
      .where('snap_recipients.recipient_id', '=', recipientId)
      .executeTakeFirst();
    return row && { snap: toSnap(row), state: row.state, openedAt: row.opened_at, screenshotAt: row.screenshot_at };
  }

  /** Records the first screenshot of an opened snap; false when already recorded. */
  async recordScreenshot(snapId: string, recipientId: string): Promise<Date | undefined> {
    const row = await this.db
      .updateTable('snap_recipients')
      .set({ screenshot_at: sql`now()` })
      .where('snap_id', '=', snapId)
      .where('recipient_id', '=', recipientId)
      .where('opened_at', 'is not', null)
      .where('screenshot_at', 'is', null)
      .returning('screenshot_at')
      .executeTakeFirst();
    return row?.screenshot_at ?? undefined;
  }

  async inbox(recipientId: string, limit: number, after?: KeysetPosition): Promise<InboxRow[]> {
    let query = this.db
      .selectFrom('snap_recipients')
      .innerJoin('snaps', 'snaps.id', 'snap_recipients.snap_id')
      .innerJoin('users', 'users.id', 'snaps.sender_id')
      .select([
        'snaps.id',
        'snaps.sender_id',
        'users.username',
        'snaps.kind',
        'snaps.view_seconds',
        'snaps.sent_at',
        'snaps.expires_at',
        'snap_recipients.state',
      ])
      .where('snap_recipients.recipient_id', '=', recipientId)
      .where('snap_recipients.state', '=', 'delivered')
      .where('snaps.expires_at', '>', sql<Date>`now()`)
      .where('snaps.withdrawn_at', 'is', null)
      .where('snaps.purged_at', 'is', null);
    if (after) query = query.where(keysetBefore('snaps.sent_at', 'snaps.id', after));
    const rows = await query
      .orderBy('snaps.sent_at', 'desc')
      .orderBy('snaps.id', 'desc')
      .limit(limit + 1)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      senderId: r.sender_id,
      senderUsername: r.username,
      kind: r.kind,
      viewSeconds: r.view_seconds,
      sentAt: r.sent_at,
      expiresAt: r.expires_at,
      state: r.state,
    }));
  }

  async sent(senderId: string, limit: number, after?: KeysetPosition): Promise<SnapRow[]> {
    let query = this.db.selectFrom('snaps').select(SNAP_COLUMNS).where('snaps.sender_id', '=', senderId);
    if (after) query = query.where(keysetBefore('snaps.sent_at', 'snaps.id', after));
    const rows = await query
      .orderBy('snaps.sent_at', 'desc')
      .orderBy('snaps.id', 'desc')
      .limit(limit + 1)
      .execute();
    return rows.map(toSnap);
  }

  async recipientsOf(snapIds: string[]): Promise<RecipientRow[]> {
    if (snapIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('snap_recipients')
      .innerJoin('users', 'users.id', 'snap_recipients.recipient_id')
      .select([
        'snap_recipients.snap_id',
        'snap_recipients.recipient_id',
        'users.username',
        'snap_recipients.state',
        'snap_recipients.delivered_at',
        'snap_recipients.opened_at',
        'snap_recipients.screenshot_at',
      ])
      .where('snap_recipients.snap_id', 'in', snapIds)
      .orderBy('users.username')
      .execute();
    return rows.map((r) => ({
      snapId: r.snap_id,
      recipientId: r.recipient_id,
      username: r.username,
      state: r.state,
      deliveredAt: r.delivered_at,
      openedAt: r.opened_at,
      screenshotAt: r.screenshot_at,
    }));
  }

  /**
   * When the open that just happened was the last one, the snap's purge deadline moves
   * to the moment the last recipient's view window closes (if that is before expiresAt).
   * The view window is view_seconds (a video's own length when longer) plus the grace.
   */
  private async closeViewWindowIfLast(
    snapId: string,
    graceSeconds: number,
    trx: Transaction<Database>,
  ): Promise<Date | undefined> {
    const row = await trx
      .updateTable('snaps')
      .set({
        purge_after: sql<Date>`least(snaps.expires_at, (
          select max(r.opened_at) from snap_recipients r where r.snap_id = snaps.id
        ) + make_interval(secs => snaps.view_seconds + ${graceSeconds}))`,
      })
      .where('id', '=', snapId)
      .where('purged_at', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('snap_recipients')
              .select('snap_id')
              .where('snap_id', '=', snapId)
              .where('state', 'in', ['pending', 'delivered']),
          ),
        ),
      )
      .returning('purge_after')
      .executeTakeFirst();
    return row?.purge_after;
  }

  /**
   * A snap whose media was refused: its recipients, all still pending, fail, and the snap is
   * due for purging now (nobody can ever see it), in one statement. Only a snap that had
   * recipients waiting moves: one already delivered keeps its deadline.
   */
  async failPending(snapId: string): Promise<void> {
    await sql`
      with failed as (
        update snap_recipients set state = 'failed'
        where snap_id = ${snapId} and state = 'pending'
        returning recipient_id
      )
      update snaps set purge_after = least(purge_after, now())
      where id = ${snapId} and purged_at is null and exists (select 1 from failed)`.execute(this.db);
  }

  /** The sender withdraws: unopenable at once, purge due now. False when not the sender's. */
  async markWithdrawn(snapId: string, senderId: string): Promise<boolean> {
    // A snap already past its purge deadline is not updated (nor waited for while a purge
    // holds it and storage deletes): it is going anyway, and its withdrawal is answered as done.
    const result = await this.db
      .updateTable('snaps')
      .set({ withdrawn_at: sql`coalesce(withdrawn_at, now())`, purge_after: sql`least(purge_after, now())` })
      .where('id', '=', snapId)
      .where('sender_id', '=', senderId)
      .where('purge_after', '>', sql<Date>`now()`)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) return true;
    const due = await this.db
      .selectFrom('snaps')
      .select('id')
      .where('id', '=', snapId)
      .where('sender_id', '=', senderId)
      .executeTakeFirst();
    return due !== undefined;
  }

  async find(snapId: string): Promise<SnapRow | undefined> {
    const row = await this.db
      .selectFrom('snaps')
      .select(SNAP_COLUMNS)
      .where('snaps.id', '=', snapId)
      .executeTakeFirst();
    return row && toSnap(row);
  }

  /**
   * Purge figures from the source of truth: lag quantiles (purged_at − purge_after) and
   * count of the purges in the last `windowSeconds`, and how many snaps are overdue now.
   */
  async purgeStats(
    windowSeconds: number,
  ): Promise<{ lag: [number, number, number] | null; count: number; overdue: number }> {
    const recent = await sql<{ q: number[] | null; count: string }>`
      select percentile_cont(array[0.5, 0.99, 1]) within group (order by extract(epoch from purged_at - purge_after)) as q,
             count(*) as count
      from snaps where purged_at > now() - make_interval(secs => ${windowSeconds})`.execute(this.db);
    const overdue = await this.db
      .selectFrom('snaps')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('purged_at', 'is', null)
      .where('purge_after', '<=', sql<Date>`now()`)
      .executeTakeFirstOrThrow();
    const row = recent.rows[0];
    const q = row?.q;
    return {
      lag: q ? [Number(q[0]), Number(q[1]), Number(q[2])] : null,
      count: Number(row?.count ?? 0),
      overdue: Number(overdue.n),
    };
  }

  /** Content-free receipts (purged snaps and their delivery rows) older than the retention go. */
  async deleteOldReceipts(retentionDays: number, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('snaps')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('snaps')
          .select('id')
          .where('purged_at', '<', sql<Date>`now() - make_interval(days => ${retentionDays})`)
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * How many unpurged snaps are past their deadline by more than `graceSeconds`, counted up to
   * `cap` (on the unpurged-deadline index); a purge sizes its batches from it.
   */
  async countDue(graceSeconds: number, cap: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from (
        select 1 from snaps
        where purged_at is null and purge_after <= now() - make_interval(secs => ${graceSeconds})
        limit ${cap}
      ) due`.execute(this.db);
    return rows[0].n;
  }

  /**
   * Purges a batch of snaps past their deadline, in one transaction: the due,
   * unpurged snaps are claimed with row locks (`SKIP LOCKED`, so concurrent purgers
   * take disjoint batches; with `wait`, a snap another purger holds is waited for
   * and then re-checked), `deleteObjects` is given every storage key they still
   * have, and only when it returns are the media rows and captions deleted,
   * recipients who had not opened marked `expired` and the snaps marked purged.
   * `deleteObjects` answers the keys storage kept (refused one by one): their snaps
   * are left as they were, still due, and the rest of the batch is purged. When
   * `deleteObjects` throws, nothing changes and every snap of the batch stays due.
   */
  async purgeDue(
    claim: PurgeClaim,
    deleteObjects: (keys: string[]) => Promise<readonly string[]>,
  ): Promise<PurgedSnap[]> {
    return this.db.transaction().execute(async (trx) => {
      // The claim locks snaps alone, and the keys are then read by the claimed ids: neither plan
      // depends on what the table statistics say. Joined to media in the claim instead, a burst of
      // fresh rows the statistics did not know yet could get a nested loop over a full scan of
      // media per snap. No timestamps come back: parsing them is a measurable part of a batch.
      let query = trx
        .selectFrom('snaps')
        .select(['id', 'sender_id', 'media_id'])
        .where('purged_at', 'is', null)
        .where('purge_after', '<=', sql<Date>`now() - make_interval(secs => ${claim.graceSeconds ?? 0})`)
        .orderBy('purge_after')
        .limit(claim.limit)
        .forUpdate();
      if (claim.ids) query = query.where('id', 'in', claim.ids);
      if (!claim.wait) query = query.skipLocked();
      const due = await query.execute();
      if (due.length === 0) return [];

      const mediaIds = due.map((s) => s.media_id).filter((id): id is string => id !== null);
      const readKeys = (ids: string[], lock: boolean) => {
        const query = trx
          .selectFrom('media')
          .select([
            'id',
            'status',
            // The original may still be in storage: processing deletes it and records that, but a
            // presigned PUT URL stays valid until the upload's deadline, and whoever holds it could
            // put the bytes back until then; so a direct PUT's original is named until that
            // deadline. (Multipart cannot: completing the upload ends what its part URLs sign for.)
            sql<string | null>`case when upload_deleted_at is null
              or (upload_method = 'put' and upload_expires_at > now())
              then upload_key end`.as('original_key'),
            'media_key',
            'poster_key',
          ])
          .where('id', '=', sql<string>`any(${ids}::uuid[])`);
        return (lock ? query.forUpdate() : query).execute();
      };
      const read = mediaIds.length === 0 ? [] : await readKeys(mediaIds, false);
      // Media still being processed gets its keys when the worker marks it ready: read those rows
      // again under a lock, so that a mark committed meanwhile is seen, and one still to come waits
      // for this purge, finds its row deleted and drops its copies. Ready media (a burst's) needs
      // no lock: its keys no longer change.
      const unsettled = new Set(read.filter((m) => m.status !== 'ready' && m.status !== 'failed').map((m) => m.id));
      const media =
        unsettled.size === 0
          ? read
          : [...read.filter((m) => !unsettled.has(m.id)), ...(await readKeys([...unsettled], true))];
      const keysOfMedia = new Map(
        media.map((m) => [m.id, [m.original_key, m.media_key, m.poster_key].filter((k): k is string => !!k)]),
      );
      const keysOf = new Map(due.map((s) => [s.id, (s.media_id && keysOfMedia.get(s.media_id)) || []]));
      const keys = [...keysOf.values()].flat();
      const kept = new Set(keys.length > 0 ? await deleteObjects(keys) : []);
      // A snap any of whose objects storage kept is not purged now; one refused key does not hold back the batch.
      const done = kept.size === 0 ? due : due.filter((s) => !keysOf.get(s.id)!.some((key) => kept.has(key)));
      if (done.length === 0) return [];
      const doneMediaIds =
        done.length === due.length ? mediaIds : done.flatMap((s) => (s.media_id ? [s.media_id] : []));

      // One statement: captions and media references cleared and the snaps marked purged
      // (clock_timestamp(): the moment of the purge, not the transaction's start), their
      // media rows deleted, and the recipients who had not opened them expired; back come
      // each snap's lag and those recipients, comma-separated. Every part names its rows by
      // the id array (the batch is locked, so all of them are purged here): the plan then
      // stays an array match whatever the table statistics say. Joined to the `purged` CTE
      // instead, a burst of fresh rows, which the statistics do not know yet, got a nested
      // loop over the recipients for each snap of the batch, 10× the statement's time.
      const snapIds = done.map((s) => s.id);
      const { rows } = await sql<{ id: string; lag_ms: number; notify: string | null }>`
        with purged as (
          update snaps set purged_at = clock_timestamp(), caption = null, media_id = null
          where id = any(${snapIds}::uuid[])
          returning id, (extract(epoch from purged_at - purge_after) * 1000)::float8 as lag_ms
        ), gone as (
          delete from media where id = any(${doneMediaIds}::uuid[])
        ), expired as (
          update snap_recipients set state = 'expired'
          where snap_id = any(${snapIds}::uuid[]) and state in ('pending', 'delivered')
          returning snap_id, recipient_id
        )
        select p.id, p.lag_ms, string_agg(e.recipient_id::text, ',') as notify
        from purged p left join expired e on e.snap_id = p.id
        group by p.id, p.lag_ms`.execute(trx);
      const marked = new Map(rows.map((r) => [r.id, r]));
      return done.map((s) => {
        const { lag_ms, notify } = marked.get(s.id)!;
        return {
          id: s.id,
          senderId: s.sender_id,
          notify: notify ? notify.split(',') : [],
          objects: keysOf.get(s.id)!.length,
          lagMs: lag_ms,
        };
      });
    });
  }
}
