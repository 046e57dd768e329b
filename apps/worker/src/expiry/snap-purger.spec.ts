import type { PurgeClaim, PurgedSnap, SnapRow, SnapsRepository } from '@app/database';
import type { RealtimePublisher } from '@app/realtime';
import type { S3Storage } from '@app/storage';
import { MAX_SNAPS_PER_CALL, PURGE_BATCH, PURGE_LANES, SnapPurger } from './snap-purger';

const purgedSnap = (id: string, notify: string[] = []): PurgedSnap => ({
  id,
  senderId: `sender-of-${id}`,
  notify,
  objects: 1,
  lagMs: 5,
});

const batchOf = (n: number, prefix: string): PurgedSnap[] =>
  Array.from({ length: n }, (_, i) => purgedSnap(`${prefix}-${i}`));

/**
 * A purger over a fake table of due snaps: claims take up to their limit of the snaps no other
 * claim holds (as SKIP LOCKED does), and a batch leaves the table only when its objects are gone.
 * `heldElsewhere` are due snaps another purger holds: only a claim that waits for them by id gets them.
 */
function setUp(
  snap: Partial<SnapRow> | undefined,
  due: PurgedSnap[],
  { failedKeys = [], heldElsewhere = [] }: { failedKeys?: string[]; heldElsewhere?: PurgedSnap[] } = {},
) {
  const claims: PurgeClaim[] = [];
  const pending = [...due];
  const held = new Set<PurgedSnap>();
  const snaps = {
    find: jest.fn(async () =>
      snap ? ({ purgedAt: null, purgeAfter: new Date(Date.now() - 1000), ...snap } as SnapRow) : undefined,
    ),
    countDue: jest.fn(async (_graceSeconds: number, cap: number) =>
      Math.min(cap, pending.length + heldElsewhere.length),
    ),
    purgeDue: jest.fn(async (claim: PurgeClaim, deleteObjects: (keys: string[]) => Promise<readonly string[]>) => {
      claims.push(claim);
      const batch = claim.ids
        ? [...pending, ...heldElsewhere].filter((s) => claim.ids!.includes(s.id) && !held.has(s))
        : pending.filter((s) => !held.has(s)).slice(0, claim.limit);
      for (const s of batch) held.add(s);
      let kept: readonly string[] = [];
      try {
        if (batch.length > 0) kept = await deleteObjects(batch.map((s) => `media/${s.id}`));
      } finally {
        for (const s of batch) held.delete(s);
      }
      // Snaps whose objects storage kept stay due; the rest leave the table.
      const done = batch.filter((s) => !kept.includes(`media/${s.id}`));
      for (const s of done) pending.splice(pending.indexOf(s), 1);
      return done;
    }),
  };
  // A fake DeleteObjects that refuses `failedKeys` one by one.
  const storage = {
    deleteMany: jest.fn(async (keys: string[]) => {
      const failed = keys.filter((key) => failedKeys.includes(key));
      return { deleted: keys.length - failed.length, failed: failed.map((key) => ({ key, reason: 'AccessDenied' })) };
    }),
  };
  const realtime = { toUsers: jest.fn() };
  const purger = new SnapPurger(
    snaps as unknown as SnapsRepository,
    storage as unknown as S3Storage,
    realtime as unknown as RealtimePublisher,
  );
  return { purger, snaps, storage, realtime, claims, pending };
}

/** Holds the storage deletes until the returned function is called. */
function holdStorage(storage: ReturnType<typeof setUp>['storage']): () => void {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const deleteMany = storage.deleteMany.getMockImplementation()!;
  storage.deleteMany.mockImplementation(async (keys: string[]) => {
    await gate;
    return deleteMany(keys);
  });
  return release;
}

describe('SnapPurger', () => {
  it('claims nothing for an unknown, purged or not yet due snap', async () => {
    expect(await setUp(undefined, []).purger.purge('a')).toEqual({ outcome: 'unknown' });
    const purged = setUp({ purgedAt: new Date() }, []);
    expect(await purged.purger.purge('a')).toEqual({ outcome: 'already-purged' });
    const deadline = new Date(Date.now() + 60000);
    const early = setUp({ purgeAfter: deadline }, []);
    // The deadline comes back with it, for the job to be delayed to.
    expect(await early.purger.purge('a')).toEqual({ outcome: 'not-due', purgeAfter: deadline });
    expect(purged.snaps.purgeDue).not.toHaveBeenCalled();
    expect(early.snaps.purgeDue).not.toHaveBeenCalled();
  });

  it('purges a burst in even batches, whole rounds of the lanes, each snap announced once', async () => {
    const own = purgedSnap('own', ['bob', 'carol']);
    const { purger, claims, storage, realtime, pending } = setUp({}, [own, ...batchOf(9999, 'a')]);
    expect(await purger.purge('own')).toEqual({ outcome: 'purged' });
    expect(pending).toEqual([]);
    // 10,000 due: three rounds of the four lanes, 834 snaps a batch, instead of ten of 1000 with one alone at the end.
    expect(PURGE_LANES).toBe(4);
    expect(claims).toEqual(Array.from({ length: 12 }, () => ({ limit: 834, graceSeconds: 0 })));
    expect(storage.deleteMany).toHaveBeenCalledTimes(12);
    // One event per snap, to its sender and the recipients who had not opened it.
    expect(realtime.toUsers).toHaveBeenCalledTimes(10000);
    expect(realtime.toUsers).toHaveBeenCalledWith(['sender-of-own', 'bob', 'carol'], 'snap:expired', { id: 'own' });
  });

  it('takes a few due snaps in one claim, and never more than a batch', async () => {
    const few = setUp({}, batchOf(3, 'a'));
    expect(await few.purger.purge('a-0')).toEqual({ outcome: 'purged' });
    expect(few.claims).toEqual([{ limit: 3, graceSeconds: 0 }]);
    const many = setUp({}, batchOf(2 * MAX_SNAPS_PER_CALL, 'b'));
    expect(await many.purger.purge('b-0')).toEqual({ outcome: 'purged' });
    expect(many.claims.every((c) => c.limit === PURGE_BATCH)).toBe(true);
    // One call works off its share and yields; the rest is left to later calls.
    expect(many.pending).toHaveLength(MAX_SNAPS_PER_CALL);
  });

  it('stops a lane whose batch comes back short: another purger holds the rest', async () => {
    const elsewhere = batchOf(5500, 'other');
    const { purger, claims } = setUp({}, batchOf(2500, 'a'), { heldElsewhere: elsewhere });
    expect(await purger.purge('a-0')).toEqual({ outcome: 'purged' });
    // 8000 counted: two rounds of 1000 planned. The first round finds 1000, 1000, 500 and none;
    // only the two lanes that came back full claim again, and find nothing.
    expect(claims.map((c) => c.limit)).toEqual(Array.from({ length: 6 }, () => PURGE_BATCH));
  });

  it('waits for its own snap when another purger holds it', async () => {
    const { purger, claims } = setUp({}, batchOf(2, 'other'), { heldElsewhere: [purgedSnap('own')] });
    expect(await purger.purge('own')).toEqual({ outcome: 'purged' });
    expect(claims).toEqual([
      { limit: 3, graceSeconds: 0 },
      { ids: ['own'], limit: 1, wait: true },
    ]);
  });

  it('reports already-purged when the purger that held its snap finished it', async () => {
    const { purger, snaps, claims } = setUp({}, []);
    const due = { purgedAt: null, purgeAfter: new Date(Date.now() - 1000) } as SnapRow;
    snaps.find.mockResolvedValueOnce(due).mockResolvedValueOnce({ ...due, purgedAt: new Date() });
    expect(await purger.purge('own')).toEqual({ outcome: 'already-purged' });
    // Nothing counted as due, so no batch: only its own claim, which finds it purged.
    expect(claims).toEqual([{ ids: ['own'], limit: 1, wait: true }]);
  });

  it('lets the jobs of a burst share one run, and answers later jobs for its snaps without a lookup', async () => {
    const { purger, snaps, storage, claims } = setUp({}, [...batchOf(PURGE_BATCH, 'a'), ...batchOf(3, 'b')]);
    // x is due when first looked up, and purged by another purger when its own claim finds nothing.
    const due = { purgedAt: null, purgeAfter: new Date(Date.now() - 1000) } as SnapRow;
    snaps.find
      .mockResolvedValueOnce(due)
      .mockResolvedValueOnce(due)
      .mockResolvedValueOnce({ ...due, purgedAt: new Date() });
    const release = holdStorage(storage);
    const first = purger.purge('a-0');
    await new Promise(setImmediate); // its batches are waiting on storage
    const later = ['a-1', 'b-2', 'x'].map((id) => purger.purge(id));
    release();
    expect((await Promise.all([first, ...later])).map((r) => r.outcome)).toEqual([
      'purged',
      'already-purged',
      'already-purged',
      'already-purged',
    ]);
    // Jobs that arrived during the run waited for it: no claims of their own for a-1 and b-2;
    // x, which the run did not purge, looked itself up and went on to claim its own.
    expect(claims.filter((c) => c.ids)).toEqual([{ ids: ['x'], limit: 1, wait: true }]);
    expect(snaps.find).toHaveBeenCalledTimes(3); // a-0, and x twice: the run did not purge it, nor did its claim
    expect(await purger.purge('a-999')).toEqual({ outcome: 'already-purged' });
    expect(snaps.find).toHaveBeenCalledTimes(3);
  });

  it('starts a sweep only after the run in progress, so it counts what the jobs left', async () => {
    const { purger, storage, claims, pending } = setUp({}, batchOf(PURGE_BATCH, 'a'));
    const release = holdStorage(storage);
    const job = purger.purge('a-0');
    await new Promise(setImmediate); // the jobs' run has claimed its batches and waits on storage
    const sweep = purger.purgeDue(1);
    await new Promise(setImmediate);
    expect(claims.filter((c) => c.graceSeconds === 1)).toEqual([]);
    pending.push(...batchOf(2, 'left')); // fell due meanwhile: the run leaves them
    release();
    expect(await job).toEqual({ outcome: 'purged' });
    expect([...(await sweep)]).toEqual(['left-0', 'left-1']);
  });

  it('purges the rest of a batch when storage keeps one snap’s object, and retries that snap’s job', async () => {
    const { purger, realtime, pending } = setUp({}, batchOf(3, 'a'), { failedKeys: ['media/a-0'] });
    // The kept snap leads the batch (the oldest deadline), as it would on every later claim.
    expect(await purger.purge('a-1')).toEqual({ outcome: 'purged' });
    expect(pending.map((s) => s.id)).toEqual(['a-0']);
    expect(realtime.toUsers.mock.calls.map(([, , payload]) => payload)).toEqual([{ id: 'a-1' }, { id: 'a-2' }]);
    await expect(purger.purge('a-0')).rejects.toThrow('past its deadline but was not purged');
    expect(pending.map((s) => s.id)).toEqual(['a-0']);
  });

  it('leaves the whole batch due when storage cannot be reached', async () => {
    const { purger, storage, realtime, pending } = setUp({}, batchOf(2, 'a'));
    storage.deleteMany.mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:9000'));
    await expect(purger.purge('a-0')).rejects.toThrow('ECONNREFUSED');
    expect(realtime.toUsers).not.toHaveBeenCalled();
    expect(pending).toHaveLength(2);
  });

  it('sweeps with its grace and answers what it purged', async () => {
    const { purger, claims } = setUp(undefined, batchOf(4, 'late'));
    const purged = await purger.purgeDue(1);
    expect([...purged]).toEqual(['late-0', 'late-1', 'late-2', 'late-3']);
    expect(claims).toEqual([{ limit: 4, graceSeconds: 1 }]);
  });
});
