import type { PurgeClaim, PurgedSnap, SnapRow, SnapsRepository } from '@app/database';
import type { RealtimePublisher } from '@app/realtime';
import { S3Storage } from '@app/storage';
import { PURGE_BATCH, PURGE_LANES, SnapPurger } from './snap-purger';

const purgedSnap = (id: string, notify: string[] = []): PurgedSnap => ({
  id,
  senderId: `sender-of-${id}`,
  notify,
  objects: 1,
  lagMs: 5,
});

const batchOf = (n: number, prefix: string): PurgedSnap[] =>
  Array.from({ length: n }, (_, i) => purgedSnap(`${prefix}-${i}`));

function setUp(snap: Partial<SnapRow> | undefined, batches: PurgedSnap[][], failedKeys: string[] = []) {
  const claims: PurgeClaim[] = [];
  const snaps = {
    find: jest.fn(async () =>
      snap ? ({ purgedAt: null, purgeAfter: new Date(Date.now() - 1000), ...snap } as SnapRow) : undefined,
    ),
    purgeDue: jest.fn(async (claim: PurgeClaim, deleteObjects: (keys: string[]) => Promise<void>) => {
      claims.push(claim);
      const batch = batches.shift() ?? [];
      if (batch.length > 0) await deleteObjects(batch.map((s) => `media/${s.id}`));
      return batch;
    }),
  };
  // The real all-or-nothing check over a fake DeleteObjects.
  const storage = {
    deleteMany: jest.fn(async (keys: string[]) => ({
      deleted: keys.length - failedKeys.length,
      failed: failedKeys.map((key) => ({ key, reason: 'InternalError' })),
    })),
    deleteAll: S3Storage.prototype.deleteAll,
  };
  const realtime = { toUsers: jest.fn() };
  const purger = new SnapPurger(
    snaps as unknown as SnapsRepository,
    storage as unknown as S3Storage,
    realtime as unknown as RealtimePublisher,
  );
  return { purger, snaps, storage, realtime, claims };
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
    expect(await setUp(undefined, []).purger.purge('a')).toBe('unknown');
    const purged = setUp({ purgedAt: new Date() }, []);
    expect(await purged.purger.purge('a')).toBe('already-purged');
    const early = setUp({ purgeAfter: new Date(Date.now() + 60000) }, []);
    expect(await early.purger.purge('a')).toBe('not-due');
    expect(purged.snaps.purgeDue).not.toHaveBeenCalled();
    expect(early.snaps.purgeDue).not.toHaveBeenCalled();
  });

  it('works off every due snap in batches until one comes back short', async () => {
    const own = purgedSnap('own', ['bob', 'carol']);
    const { purger, claims, storage, realtime } = setUp({}, [
      batchOf(PURGE_BATCH, 'a'),
      [...batchOf(PURGE_BATCH - 1, 'b'), own],
      batchOf(3, 'c'),
    ]);
    expect(await purger.purge('own')).toBe('purged');
    // The lanes claim until each has had a batch come back short: the two full ones, and one more per lane.
    expect(claims).toEqual(Array.from({ length: 2 + PURGE_LANES }, () => ({ limit: PURGE_BATCH, graceSeconds: 0 })));
    expect(storage.deleteMany).toHaveBeenCalledTimes(3);
    // One event per snap, to its sender and the recipients who had not opened it.
    expect(realtime.toUsers).toHaveBeenCalledTimes(2 * PURGE_BATCH + 3);
    expect(realtime.toUsers).toHaveBeenCalledWith(['sender-of-own', 'bob', 'carol'], 'snap:expired', { id: 'own' });
  });

  it('waits for its own snap when another purger holds it', async () => {
    const lanes = [batchOf(2, 'other'), ...Array.from({ length: PURGE_LANES - 1 }, () => [])];
    const { purger, claims } = setUp({}, [...lanes, [purgedSnap('own')]]);
    expect(await purger.purge('own')).toBe('purged');
    expect(claims[PURGE_LANES]).toEqual({ ids: ['own'], limit: 1, wait: true });
  });

  it('reports already-purged when the purger that held its snap finished it', async () => {
    const { purger, claims } = setUp({}, []);
    expect(await purger.purge('own')).toBe('already-purged');
    // One empty claim per lane, then its own, which finds it purged.
    expect(claims).toHaveLength(PURGE_LANES + 1);
  });

  it('lets the jobs of a burst share one run, and answers later jobs for its snaps without a lookup', async () => {
    const { purger, snaps, storage, claims } = setUp({}, [batchOf(PURGE_BATCH, 'a'), batchOf(3, 'b')]);
    const release = holdStorage(storage);
    const first = purger.purge('a-0');
    await new Promise(setImmediate); // its batches are waiting on storage
    const later = ['a-1', 'b-2', 'x'].map((id) => purger.purge(id));
    release();
    expect(await Promise.all([first, ...later])).toEqual([
      'purged',
      'already-purged',
      'already-purged',
      'already-purged',
    ]);
    // Jobs that arrived during the run waited for it: no claims of their own for a-1 and b-2;
    // x, which the run did not purge, looked itself up and went on to claim its own.
    expect(claims.filter((c) => c.ids)).toEqual([{ ids: ['x'], limit: 1, wait: true }]);
    expect(snaps.find).toHaveBeenCalledTimes(2); // a-0, and x, which the run did not purge
    expect(await purger.purge('a-999')).toBe('already-purged');
    expect(snaps.find).toHaveBeenCalledTimes(2);
  });

  it('starts a sweep only after the run in progress, so it counts what the jobs left', async () => {
    // The jobs' run: a full batch, then an empty claim per lane. Then the sweep's.
    const jobsRun = [batchOf(PURGE_BATCH, 'a'), ...Array.from({ length: PURGE_LANES }, () => [])];
    const { purger, storage, claims } = setUp({}, [...jobsRun, batchOf(2, 'left')]);
    const release = holdStorage(storage);
    const job = purger.purge('a-0');
    await new Promise(setImmediate); // the jobs' run is waiting on storage
    const sweep = purger.purgeDue(1);
    await new Promise(setImmediate);
    expect(claims.filter((c) => c.graceSeconds === 1)).toEqual([]);
    release();
    expect(await job).toBe('purged');
    expect([...(await sweep)]).toEqual(['left-0', 'left-1']);
  });

  it('fails the batch, so it stays due, when storage keeps any object', async () => {
    const { purger, realtime } = setUp({}, [batchOf(2, 'a')], ['media/a-1']);
    await expect(purger.purge('a-0')).rejects.toThrow('storage kept 1 of 2 object(s)');
    expect(realtime.toUsers).not.toHaveBeenCalled();
  });

  it('sweeps with its grace and answers what it purged', async () => {
    const { purger, claims } = setUp(undefined, [batchOf(4, 'late')]);
    const purged = await purger.purgeDue(1);
    expect([...purged]).toEqual(['late-0', 'late-1', 'late-2', 'late-3']);
    expect(claims).toEqual(Array.from({ length: PURGE_LANES }, () => ({ limit: PURGE_BATCH, graceSeconds: 1 })));
  });
});
