import { Injectable, Logger } from '@nestjs/common';
import { PurgeClaim, PurgedSnap, SnapsRepository } from '@app/database';
import { RealtimePublisher } from '@app/realtime';
import { S3Storage } from '@app/storage';

export type PurgeOutcome = 'purged' | 'already-purged' | 'not-due' | 'unknown';
/** What a purge job found; a snap not due yet comes with the deadline PostgreSQL holds for it. */
export type PurgeResult = { outcome: Exclude<PurgeOutcome, 'not-due'> } | { outcome: 'not-due'; purgeAfter: Date };

/** Snaps per claim at most: one DeleteObjects call's worth when each has one object. */
export const PURGE_BATCH = 1000;
/** Snaps one call works off at most before it yields, so a huge backlog is shared between purgers. */
export const MAX_SNAPS_PER_CALL = 20 * PURGE_BATCH;
/**
 * Batches one call runs at once, so storage always has deletes to work on while a batch is
 * claimed or marked. Measured in bench/expiry's burst against MinIO (10,000 snaps): four lanes
 * of even batches kept 3.0–3.4 deletes in flight on average where three lanes of 1000 kept 2.2–2.4.
 */
export const PURGE_LANES = 4;
/** Fewer due snaps than this per lane are not worth a lane (a transaction) of their own. */
const MIN_LANE_SNAPS = 100;
/** Snap ids this process remembers having purged: their later jobs finish without a lookup. */
export const RECENT_PURGES = 100_000;

/**
 * Purges snaps past their deadline, in batches: storage objects first (a failure
 * leaves the batch unpurged, so it is retried), then the database (media rows,
 * captions, recipients expired, purged_at) in the transaction that holds the
 * batch, then the events. Running it twice, or after a partial failure, ends in
 * the same state. A burst of deadlines costs one DeleteObjects call and a few
 * statements per thousand snaps instead of per snap.
 */
@Injectable()
export class SnapPurger {
  private readonly logger = new Logger(SnapPurger.name);
  /** Ids purged here lately, oldest first (a Set keeps insertion order). A purge is final, so this never goes stale. */
  private readonly recent = new Set<string>();
  /**
   * The run of batches this process has going: one at a time. Jobs join it instead of
   * starting their own; the sweep waits for it to end.
   */
  private running?: Promise<Set<string>>;

  constructor(
    private readonly snaps: SnapsRepository,
    private readonly storage: S3Storage,
    private readonly realtime: RealtimePublisher,
  ) {}

  /**
   * One snap's purge job. When its snap is due and not purged yet, it purges every
   * snap that is due (its own among them, helping with whatever else is due at the
   * same moment), then makes sure of its own, waiting for a purger that holds it.
   * The deadline in PostgreSQL is the truth; a job that fires early leaves its snap
   * to a later run. In a burst, the jobs of one process share one run of batches:
   * a job arriving while it runs waits for it (holding its slot, so the queue's
   * bookkeeping does not compete with the batches), and a job whose snap this
   * process purged costs no lookup at all.
   */
  async purge(snapId: string): Promise<PurgeResult> {
    if (this.recent.has(snapId)) return { outcome: 'already-purged' };
    if (this.running) {
      await this.running.catch(() => undefined);
      if (this.recent.has(snapId)) return { outcome: 'already-purged' };
    }
    const snap = await this.snaps.find(snapId);
    if (!snap) return { outcome: 'unknown' };
    if (snap.purgedAt) return { outcome: 'already-purged' };
    if (snap.purgeAfter.getTime() > Date.now()) return { outcome: 'not-due', purgeAfter: snap.purgeAfter };
    if ((await (this.running ?? this.run(0))).has(snapId)) return { outcome: 'purged' };
    if (this.recent.has(snapId)) return { outcome: 'already-purged' };
    if ((await this.purgeBatch({ ids: [snapId], limit: 1, wait: true })).length > 0) return { outcome: 'purged' };
    // Its own claim purged nothing: another purger finished it, or it is not due yet by the
    // database's clock, or storage kept its objects; in the last two cases the job is retried.
    const now = await this.snaps.find(snapId);
    if (!now) return { outcome: 'unknown' };
    if (now.purgedAt) return { outcome: 'already-purged' };
    if (now.purgeAfter.getTime() > Date.now()) return { outcome: 'not-due', purgeAfter: now.purgeAfter };
    throw new Error(`snap ${snapId} is past its deadline but was not purged; retrying`);
  }

  /**
   * The sweep's purge of snaps past their deadline by more than `graceSeconds`; returns
   * the ids it purged. It starts once the run in progress (a burst's jobs) has ended, so
   * it adds no lanes to theirs and what it finds is what the fast path left.
   */
  async purgeDue(graceSeconds: number): Promise<Set<string>> {
    while (this.running) await this.running.catch(() => undefined);
    return this.run(graceSeconds);
  }

  /** Starts this process's run of batches. */
  private run(graceSeconds: number): Promise<Set<string>> {
    // Only called with no run going, so the run that ends is always the one held here.
    this.running = this.purgeBatches(graceSeconds).finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Purges the snaps past their deadline by more than `graceSeconds` (up to
   * MAX_SNAPS_PER_CALL); returns the ids purged here. The batches are sized from a count of
   * the due snaps into whole rounds of the lanes, so every lane works until the end instead
   * of one last batch running alone; a lane stops early when a batch comes back short (other
   * purgers hold the rest). Snaps falling due meanwhile are left to their own jobs.
   */
  private async purgeBatches(graceSeconds: number): Promise<Set<string>> {
    const purged = new Set<string>();
    const due = await this.snaps.countDue(graceSeconds, MAX_SNAPS_PER_CALL);
    if (due === 0) return purged;
    const lanes = Math.min(PURGE_LANES, Math.ceil(due / MIN_LANE_SNAPS));
    const batches = lanes * Math.ceil(due / (lanes * PURGE_BATCH));
    const size = Math.ceil(due / batches);
    let claimed = 0;
    // The lanes claim disjoint batches (SKIP LOCKED) and share the planned number.
    const lane = async () => {
      while (claimed < batches) {
        claimed++;
        const done = await this.purgeBatch({ limit: size, graceSeconds });
        for (const snap of done) purged.add(snap.id);
        if (done.length < size) return;
      }
    };
    const results = await Promise.allSettled(Array.from({ length: lanes }, lane));
    const failed = results.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
    return purged;
  }

  private async purgeBatch(claim: PurgeClaim): Promise<PurgedSnap[]> {
    const started = performance.now();
    let deleting = started;
    let deleted = started;
    const purged = await this.snaps.purgeDue(claim, async (keys) => {
      deleting = performance.now();
      // A throw (storage unreachable) rolls the batch back: it stays due and is retried. Keys
      // storage refuses one by one keep only their own snaps due.
      const { failed } = await this.storage.deleteMany(keys);
      deleted = performance.now();
      if (failed.length > 0) {
        this.logger.warn(
          { kept: failed.length, of: keys.length, reason: failed[0].reason, key: failed[0].key },
          'storage kept objects; their snaps stay due',
        );
      }
      return failed.map((f) => f.key);
    });
    if (purged.length === 0) return purged;
    const marked = performance.now();
    for (const snap of purged) this.remember(snap.id);
    for (const snap of purged) this.realtime.toUsers([snap.senderId, ...snap.notify], 'snap:expired', { id: snap.id });
    this.logger.log(
      {
        snaps: purged.length,
        objects: purged.reduce((n, s) => n + s.objects, 0),
        maxLagMs: Math.max(...purged.map((s) => s.lagMs)),
        // Where the batch's time went: claiming rows, deleting objects, marking them purged, events.
        claimMs: Math.round(deleting - started),
        deleteMs: Math.round(deleted - deleting),
        markMs: Math.round(marked - deleted),
        notifyMs: Math.round(performance.now() - marked),
      },
      'snaps purged',
    );
    return purged;
  }

  private remember(snapId: string): void {
    this.recent.add(snapId);
    if (this.recent.size > RECENT_PURGES) this.recent.delete(this.recent.values().next().value!);
  }
}
