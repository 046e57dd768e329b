// Expiry engine: how late snaps are purged, under (a) a steady stream of deadlines and
// (b) a burst of snaps all due at the same second. Purge lag is purged_at − purge_after,
// read from PostgreSQL. The burst's purges/s sit beside raw S3 DeleteObjects throughput
// for as many objects of the same size in the same bucket, measured in the same run.
// Snaps are seeded straight into PostgreSQL and S3 (no API, no media processing) and their
// purge jobs enqueued exactly as the API enqueues them; the built worker(s) do the rest.
// Run with `npm run bench -- expiry` (BENCH_RATE, BENCH_SECONDS, BENCH_BURST, BENCH_BURSTS, BENCH_WORKERS,
// BENCH_PLACEMENT, BENCH_PROFILE).
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DeleteObjectsCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Queue, QueueEvents } from 'bullmq';
import Redis from 'ioredis';
import pg from 'pg';
import {
  cpuAtRest,
  cpuReport,
  cpuSnapshot,
  cpuTiers,
  pin,
  profileArgs,
  serverPids,
  summary,
} from './support/harness.mjs';

const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const BURST = Number(process.env.BENCH_BURST ?? 10000);
// Bursts per placement: storage's pace drifts between minutes by more than one burst can tell apart,
// so the verdict goes by the median ratio of several, each with its own raw baseline.
const BURSTS = Number(process.env.BENCH_BURSTS ?? 3);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
// BENCH_PLACEMENT=shared (or apart) runs the burst in one placement of the processes on the CPUs (see (b)).
const PLACEMENTS = (process.env.BENCH_PLACEMENT ?? 'shared,apart').split(',');
// What the worker runs with (its defaults unless the environment sets them).
const CONCURRENCY = Number(process.env.WORKER_CONCURRENCY ?? 4);
const SWEEP_SECONDS = Number(process.env.SWEEP_INTERVAL_SECONDS ?? 5);
const PREFIX = process.env.QUEUE_PREFIX ?? '{ephemera}';
const BUCKET = process.env.S3_BUCKET;
const OBJECT_BYTES = 512;
const UPLOAD_CONCURRENCY = 32;
const DELETE_BATCH = 1000;
// Raw baseline: as many DeleteObjects calls in flight as the workers run purge jobs at once.
const RAW_IN_FLIGHT = CONCURRENCY * WORKERS;
const TARGET_P99_MS = 1000;
const TARGET_RATIO = 0.8;
// Purge jobs exactly as the API enqueues them (libs/queue job-catalogue: MUST_SUCCEED).
const PURGE_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10000 },
  removeOnFail: { age: 604800, count: 10000 },
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (message) => process.stderr.write(`[bench expiry] ${message}\n`);
const fmt = (s) =>
  s.max === undefined
    ? 'n/a'
    : `min ${s.min.toFixed(1)} ms, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;
const chunk = (items, size) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  log('interrupted: cleaning up (Ctrl-C again to leave everything behind)');
  process.once('SIGINT', () => process.exit(130));
});
const checkInterrupted = () => {
  if (interrupted) throw new Error('interrupted');
};

/** Runs `fn` over `items`, `concurrency` at a time. */
async function pool(items, concurrency, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        checkInterrupted();
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

const runStarted = performance.now();
const s3 = new S3Client({
  endpoint: process.env.S3_ENDPOINT,
  region: process.env.S3_REGION ?? 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: process.env.S3_ACCESS_KEY_ID, secretAccessKey: process.env.S3_SECRET_ACCESS_KEY },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const queue = new Queue('expiry', { connection: redis, prefix: PREFIX });
const body = randomBytes(OBJECT_BYTES);

// Everything this run creates, for the clean-up.
const userIds = [];
const objectKeys = [];
const jobIds = [];
const workers = [];
/** A CPU snapshot with the workers as a group of their own. */
const withWorkers = () => cpuSnapshot({ worker: workers.map((w) => w.pid) });
let queueEvents;
const eventsConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });

/** Job events per purge job id, from the queue's event stream (read live: completed jobs are trimmed). */
const jobs = new Map();
const stampOf = (eventId) => Number(eventId.split('-')[0]);
function watchJobs(lastEventId) {
  queueEvents = new QueueEvents('expiry', {
    connection: eventsConnection,
    prefix: PREFIX,
    lastEventId,
  });
  queueEvents.on('active', ({ jobId }, id) => {
    const job = jobs.get(jobId);
    if (!job) return;
    job.firstActive ??= stampOf(id);
    job.lastActive = stampOf(id);
  });
  queueEvents.on('completed', ({ jobId, returnvalue }, id) => {
    const job = jobs.get(jobId);
    if (!job) return;
    job.completed = stampOf(id);
    job.outcome = returnvalue?.outcome ?? String(returnvalue);
  });
  queueEvents.on('failed', ({ jobId }) => {
    const job = jobs.get(jobId);
    if (job) job.failures++;
  });
  queueEvents.on('error', (error) => log(`queue events: ${error.message}`));
}

/** Worker stdout: JSON log lines at warn and above, tallied by message. */
let workerLog = new Map();
/** The purger's per-batch timings (its info-level 'snaps purged' lines). */
let batches = [];
/**
 * Where the batches' time went, as one line; with `due`, also when the first one started after
 * it and how many storage deletes were in flight on average from the deadline to the last batch.
 */
function takeBatches(due) {
  const taken = batches;
  batches = [];
  if (taken.length === 0) return 'none';
  const stage = (name) => `${name} ${summary(taken.map((b) => b[`${name}Ms`])).p50.toFixed(0)}`;
  const sizes = taken.map((b) => b.snaps);
  const stages = `${taken.length} (${Math.min(...sizes)}–${Math.max(...sizes)} snaps); p50 ms: ${['claim', 'delete', 'mark', 'notify'].map(stage).join(', ')}`;
  if (due === undefined) return stages;
  const firstBegan = Math.min(...taken.map((b) => b.time - b.claimMs - b.deleteMs - b.markMs - b.notifyMs)) - due;
  const deleting = taken.reduce((sum, b) => sum + b.deleteMs, 0);
  const span = Math.max(...taken.map((b) => b.time)) - due;
  // How long storage had n deletes in flight, n = 0, 1, 2, …, from the first delete's start to the last one's end.
  const edges = taken
    .flatMap((b) => {
      const end = b.time - b.notifyMs - b.markMs;
      return [
        [end - b.deleteMs, 1],
        [end, -1],
      ];
    })
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const byDepth = [];
  let depth = 0;
  for (let i = 0; i < edges.length - 1; i++) {
    depth += edges[i][1];
    byDepth[depth] = (byDepth[depth] ?? 0) + edges[i + 1][0] - edges[i][0];
  }
  return (
    `${stages}; first began ${firstBegan} ms after the deadline, ${(deleting / span).toFixed(1)} deletes in flight ` +
    `on average; deletes from ${edges[0][0] - due} to ${edges.at(-1)[0] - due} ms after it, ms with 0, 1, 2… in flight: ` +
    Array.from(byDepth, (ms) => ms ?? 0).join(', ')
  );
}
/** The tally since the last call, as one line. */
function takeWorkerLog() {
  const lines = [...workerLog].map(
    ([msg, w]) => `${w.count}× ${msg}${w.snaps || w.uploads ? ` (${w.snaps} snaps, ${w.uploads} uploads)` : ''}`,
  );
  workerLog = new Map();
  return lines.join('; ') || 'nothing';
}
function startWorker() {
  const child = spawn(process.execPath, [...profileArgs(), 'dist/apps/worker/apps/worker/src/main.js'], {
    env: { ...process.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let rest = '';
  child.stdout.on('data', (data) => {
    const lines = (rest + data).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = { msg: line };
      }
      if (entry.msg === 'snaps purged') {
        batches.push(entry);
        continue;
      }
      if (entry.level !== undefined && entry.level < 40) continue; // info: only the batches are read
      const seen = workerLog.get(entry.msg) ?? { count: 0, snaps: 0, uploads: 0 };
      seen.count++;
      seen.snaps += Number(entry.snaps ?? 0);
      seen.uploads += Number(entry.uploads ?? 0);
      workerLog.set(entry.msg, seen);
    }
  });
  workers.push(child);
  return child;
}

async function stopWorkers() {
  await Promise.all(
    workers.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 15000);
          child.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function putObjects(keys) {
  await pool(keys, UPLOAD_CONCURRENCY, (Key) =>
    s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: body, ContentType: 'image/jpeg' })),
  );
}

/** n media items, ready and attached: one object each under media/, rows as a processed upload has them (original deleted). */
async function prepareMedia(senderId, n) {
  const items = Array.from({ length: n }, () => ({ id: randomUUID(), key: `media/${randomUUID()}` }));
  objectKeys.push(...items.map((m) => m.key));
  await putObjects(items.map((m) => m.key));
  for (const batch of chunk(items, 1000)) {
    checkInterrupted();
    await db.query(
      `insert into media (id, owner_id, status, upload_method, upload_key, media_key, kind, content_type,
                          width, height, upload_expires_at, attached_at, processed_at, upload_deleted_at)
       select m.id, $1, 'ready', 'stream', 'uploads/' || gen_random_uuid(), m.key, 'image', 'image/jpeg',
              1, 1, now() + interval '1 hour', now(), now(), now()
       from unnest($2::uuid[], $3::text[]) as m(id, key)`,
      [senderId, batch.map((m) => m.id), batch.map((m) => m.key)],
    );
  }
  return items;
}

/** Snaps on the media, due at `deadlines[i]`, delivered to the recipient, with their purge jobs. */
async function scheduleSnaps(senderId, recipientId, media, deadlines) {
  const snaps = media.map((m, i) => ({ id: randomUUID(), mediaId: m.id, due: deadlines[i] }));
  for (const batch of chunk(snaps, 1000)) {
    checkInterrupted();
    await db.query(
      `insert into snaps (id, sender_id, media_id, kind, view_seconds, expires_at, purge_after)
       select s.id, $1, s.media_id, 'image', 1, s.due, s.due
       from unnest($2::uuid[], $3::uuid[], $4::timestamptz[]) as s(id, media_id, due)`,
      [senderId, batch.map((s) => s.id), batch.map((s) => s.mediaId), batch.map((s) => new Date(s.due).toISOString())],
    );
    await db.query(
      `insert into snap_recipients (snap_id, recipient_id, state, delivered_at)
       select id, $1, 'delivered', now() from unnest($2::uuid[]) as id`,
      [recipientId, batch.map((s) => s.id)],
    );
  }
  for (const s of snaps) jobs.set(`purge-${s.id}`, { due: s.due, failures: 0 });
  for (const batch of chunk(snaps, 1000)) {
    checkInterrupted();
    const now = Date.now();
    jobIds.push(...batch.map((s) => `purge-${s.id}`));
    await queue.addBulk(
      batch.map((s) => ({
        name: 'snap.purge',
        data: { snapId: s.id },
        opts: { ...PURGE_OPTIONS, jobId: `purge-${s.id}`, delay: Math.max(0, s.due - now) },
      })),
    );
  }
  const overrun = Date.now() - Math.min(...deadlines);
  if (overrun > 0) throw new Error(`seeding ended ${overrun} ms after the first deadline; the lags would be wrong`);
  return snaps.map((s) => s.id);
}

/**
 * Waits until every snap of `senderId` due in [from, to] is purged or `timeoutMs` passes;
 * returns how many are left. Read on the unpurged-deadline index, so polling stays cheap
 * beside the purges it measures.
 */
async function untilPurged(senderId, from, to, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    checkInterrupted();
    const { rows } = await db.query(
      `select count(*)::int as n from snaps
       where purged_at is null and purge_after between $2 and $3 and sender_id = $1`,
      [senderId, new Date(from).toISOString(), new Date(to).toISOString()],
    );
    if (rows[0].n === 0 || Date.now() > deadline) return rows[0].n;
    if (workers.some((w) => w.exitCode !== null)) throw new Error('a worker exited');
    await sleep(250);
  }
}

/** Waits (briefly) until the event stream has reported the outcome of every job. */
async function untilReported(ids) {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && ids.some((id) => !jobs.get(`purge-${id}`).outcome)) await sleep(100);
}

async function lags(ids) {
  const { rows } = await db.query(
    `select extract(epoch from purged_at - purge_after) * 1000 as lag_ms, extract(epoch from purged_at) * 1000 as at_ms
     from snaps where id = any($1) and purged_at is not null`,
    [ids],
  );
  return rows.map((r) => ({ lag: Number(r.lag_ms), at: Number(r.at_ms) }));
}

/** What the job events say: who purged, how long jobs waited for a slot, how long they ran. */
function jobReport(ids) {
  const outcomes = new Map();
  const pickup = [];
  const handler = [];
  let failures = 0;
  let reported = 0;
  for (const id of ids) {
    const job = jobs.get(`purge-${id}`);
    failures += job.failures;
    if (!job.outcome) continue;
    reported++;
    outcomes.set(job.outcome, (outcomes.get(job.outcome) ?? 0) + 1);
    if (job.firstActive !== undefined) pickup.push(job.firstActive - job.due);
    if (job.lastActive !== undefined) handler.push(job.completed - job.lastActive);
  }
  const list = [...outcomes].map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
  const row = (label, value) => `    ${label.padEnd(46)} ${value}`;
  return [
    row(`job outcomes (events for ${reported} of ${ids.length})`, `${list}; ${failures} failed attempt(s)`),
    row('  due → job active', fmt(summary(pickup))),
    row('  job active → completed', fmt(summary(handler))),
  ];
}

/** HEADs a sample of the purged snaps' objects: none should be left. */
async function leftBehind(keys, sample = 200) {
  const picked = keys.filter((_, i) => i % Math.max(1, Math.floor(keys.length / sample)) === 0).slice(0, sample);
  let left = 0;
  await pool(picked, UPLOAD_CONCURRENCY, async (Key) => {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key }));
      left++;
    } catch (error) {
      if (error?.$metadata?.httpStatusCode !== 404) throw error;
    }
  });
  return `${left} of ${picked.length} sampled objects still in storage`;
}

/** Times DeleteObjects over `batches` of keys, `inFlight` calls at a time; returns seconds. */
async function rawDelete(batches, inFlight) {
  let failed = 0;
  const started = performance.now();
  await pool(batches, inFlight, async (batch) => {
    const out = await s3.send(
      new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
    );
    failed += out.Errors?.length ?? 0;
  });
  if (failed > 0) throw new Error(`raw DeleteObjects: ${failed} key(s) refused`);
  return (performance.now() - started) / 1000;
}

async function cleanUp() {
  await stopWorkers();
  let removed = 0;
  await pool(jobIds, 50, async (id) => {
    const job = await queue.getJob(id);
    if (!job || (await job.getState()) === 'completed') return;
    await job.remove().then(
      () => removed++,
      () => undefined,
    );
  }).catch((error) => log(`job clean-up: ${error.message}`));
  if (removed > 0) log(`removed ${removed} purge job(s) that had not completed`);
  if (userIds.length > 0) await db.query('delete from users where id = any($1)', [userIds]); // cascades
  await pool(chunk(objectKeys, DELETE_BATCH), 4, (batch) =>
    s3.send(
      new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
    ),
  ).catch((error) => log(`object clean-up: ${error.message}`));
}

const out = [];
try {
  await db.connect();
  const stamp = randomBytes(4).toString('hex');
  const { rows: users } = await db.query(
    `insert into users (username, password_hash) values ($1, 'bench-not-a-hash'), ($2, 'bench-not-a-hash') returning id`,
    [`bench_exp_s_${stamp}`, `bench_exp_r_${stamp}`],
  );
  const [senderId, recipientId] = users.map((u) => u.id);
  userIds.push(senderId, recipientId);
  await db.query(
    'insert into friendships (user_a, user_b) values (least($1::uuid, $2::uuid), greatest($1::uuid, $2::uuid))',
    [senderId, recipientId],
  );

  // Anything else consuming this queue (another checkout's worker on the same Redis) would take our jobs.
  const foreign = await queue.getWorkers();
  const events = await redis.xrevrange(`${PREFIX}:expiry:events`, '+', '-', 'COUNT', 1);
  watchJobs(events[0]?.[0] ?? '0-0');
  for (let i = 0; i < WORKERS; i++) startWorker();
  const ready = Date.now() + 30000;
  while ((await queue.getWorkersCount()) < foreign.length + WORKERS) {
    if (workers.some((w) => w.exitCode !== null)) throw new Error('a worker exited at start-up');
    if (Date.now() > ready) throw new Error('workers not consuming the expiry queue after 30 s');
    await sleep(100);
  }

  out.push(
    `expiry benchmark: ${WORKERS} worker(s) × WORKER_CONCURRENCY ${CONCURRENCY}, sweep every ${SWEEP_SECONDS} s, ` +
      `${OBJECT_BYTES}-byte objects in ${BUCKET}, queue prefix ${PREFIX}`,
  );
  if (foreign.length > 0) {
    const who = foreign.map((c) => `${c.addr} up ${c.age} s`).join(', ');
    out.push(`  WARNING: other consumer connection(s) of queue expiry on this Redis (${who}); they may take our jobs`);
  }

  const row = (label, value) => out.push(`    ${label.padEnd(46)} ${value}`);
  row('CPU at rest before the loads', await cpuAtRest(2, withWorkers));

  // --- (a) Steady stream: RATE snaps due per second for SECONDS.
  const steadyCount = Math.round(RATE * SECONDS);
  let t = performance.now();
  const steadyMedia = await prepareMedia(senderId, steadyCount);
  // The first deadline a few seconds out, plus ~1 ms per snap for the rows and jobs.
  const steadyStart = Date.now() + 3000 + steadyCount;
  const steadyDeadlines = steadyMedia.map((_, i) => steadyStart + Math.floor((i * 1000) / RATE));
  const steadyIds = await scheduleSnaps(senderId, recipientId, steadyMedia, steadyDeadlines);
  log(`(a) ${steadyCount} snaps seeded in ${((performance.now() - t) / 1000).toFixed(1)} s; due over ${SECONDS} s`);
  const steadyLeft = await untilPurged(
    senderId,
    steadyDeadlines[0],
    steadyDeadlines.at(-1),
    steadyDeadlines.at(-1) - Date.now() + 60000,
  );
  await untilReported(steadyIds);
  const steady = await lags(steadyIds);
  const steadyLag = summary(steady.map((r) => r.lag));
  out.push(`  (a) steady stream: ${steadyCount} snaps due at ${RATE}/s for ${SECONDS} s`);
  row(
    'purge lag (purged_at − purge_after)',
    `${fmt(steadyLag)}  (${steady.length} purged${steadyLeft ? `, ${steadyLeft} NOT purged 60 s after the last deadline` : ''})`,
  );
  row(
    `target p99 ≤ ${TARGET_P99_MS} ms`,
    steadyLag.p99 === undefined
      ? 'n/a'
      : `${steadyLag.p99 <= TARGET_P99_MS ? 'met' : 'MISSED'} (p99 ${steadyLag.p99.toFixed(1)} ms)`,
  );
  out.push(...jobReport(steadyIds));
  row('storage after the purges', await leftBehind(steadyMedia.map((m) => m.key)));
  row('purge batches', takeBatches());
  row('worker log (warn and above)', takeWorkerLog());

  // --- (b) Burst, in each placement of the processes on the CPUs. Shared: every process on every
  // CPU, as on a one-machine deployment, where the purge's own work (worker, PostgreSQL, Redis)
  // shares the cores with the storage server while the raw deletes have them to themselves. Apart:
  // the storage server on CPUs of its own and everything else on the others, as a separate storage
  // service would be, for the raw deletes and the burst alike.
  const tiers = PLACEMENTS.includes('apart') ? cpuTiers() : null;
  const storagePids = () => serverPids('s3 (minio)');
  const placements = [];
  if (PLACEMENTS.includes('shared')) {
    placements.push({
      name: 'shared',
      label: `every process on every CPU (${availableParallelism()})`,
      place: () => undefined,
    });
  }
  if (PLACEMENTS.includes('apart')) {
    if (tiers && storagePids().length > 0) {
      placements.push({
        name: 'apart',
        label: `MinIO on CPU ${tiers.own.join(',')}; the worker, PostgreSQL, Redis and this script on CPU ${tiers.rest.join(',')}`,
        place: () => {
          pin(storagePids(), tiers.own);
          pin([process.pid, ...workers.map((w) => w.pid), ...serverPids('postgres', 'redis')], tiers.rest);
        },
      });
    } else out.push('  (b) apart placement skipped: it needs two CPUs, taskset and the storage server on this machine');
  }
  const placeEverywhere = () => tiers && pin([process.pid, ...workers.map((w) => w.pid), ...serverPids()], tiers.all);
  try {
    for (const placement of placements) {
      const ratios = [];
      for (let round = 1; round <= BURSTS; round++) ratios.push(await burstIn(placement, round));
      if (BURSTS > 1) {
        const median = summary(ratios).p50;
        out.push(
          `  (b) placement ${placement.name}, ${BURSTS} bursts: ratio ours / raw (${RAW_IN_FLIGHT} in flight) median ` +
            `${median.toFixed(3)} (${ratios.map((r) => r.toFixed(3)).join(', ')})  ` +
            `target ≥ ${TARGET_RATIO}: ${median >= TARGET_RATIO ? 'met' : 'MISSED'}`,
        );
      }
    }
  } finally {
    placeEverywhere();
  }

  /**
   * One burst with its raw baselines, the processes placed as `placement` says once the objects are seeded;
   * returns the ratio of its purges/s to the raw deletes'.
   */
  async function burstIn(placement, round) {
    placeEverywhere();
    t = performance.now();
    const burstMedia = await prepareMedia(senderId, BURST);
    // Raw baselines, three sets: in flight before the burst, sequential, in flight again after it. The host's pace
    // drifts between minutes; the ratio uses the mean of the runs on either side of the burst.
    const rawKeys = Array.from({ length: 3 * BURST }, () => `bench-raw/${randomUUID()}`);
    objectKeys.push(...rawKeys);
    await putObjects(rawKeys);
    placement.place();
    // The storage server's background work (its trash cleanup after the earlier bursts' deletes) runs under the
    // raw deletes and the burst alike; this shows how much of it there is.
    const atRest = await cpuAtRest(2, withWorkers);
    log(`(b) ${placement.name}: raw DeleteObjects`);
    const rawCpuBefore = cpuSnapshot();
    const rawParallel = await rawDelete(chunk(rawKeys.slice(0, BURST), DELETE_BATCH), RAW_IN_FLIGHT);
    const rawCpu = cpuReport(rawCpuBefore, cpuSnapshot(), rawParallel);
    const rawSequential = await rawDelete(chunk(rawKeys.slice(BURST, 2 * BURST), DELETE_BATCH), 1);
    const burstDue = Math.ceil((Date.now() + 3000 + BURST) / 1000) * 1000;
    const burstIds = await scheduleSnaps(
      senderId,
      recipientId,
      burstMedia,
      burstMedia.map(() => burstDue),
    );
    // Statistics that know the seeded rows, as a production database's know its tables: fresh from an
    // almost empty table, a plan cached meanwhile (the per-row action of snaps' foreign key to media, run
    // for every deleted media row) can scan the table where it would seek, and the burst measures that.
    await db.query('analyze snaps, media, snap_recipients');
    if (Date.now() > burstDue) throw new Error('seeding ended after the deadline; the lags would be wrong');
    log(
      `(b) ${placement.name}: ${BURST} snaps and ${rawKeys.length} raw objects seeded, the raw deletes before the burst timed, in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    await sleep(burstDue - Date.now());
    const cpuBefore = withWorkers();
    const burstLeft = await untilPurged(senderId, burstDue, burstDue, 60000 + BURST * 50);
    const cpuAfter = withWorkers();
    const cpuSeconds = (Date.now() - burstDue) / 1000;
    await untilReported(burstIds);
    const burst = await lags(burstIds);
    const rawAfter = await rawDelete(chunk(rawKeys.slice(2 * BURST), DELETE_BATCH), RAW_IN_FLIGHT);
    const lastMs = Math.max(...burst.map((r) => r.at)) - burstDue;
    const oursRate = burst.length / (lastMs / 1000);
    const rawParallelRate = (BURST / rawParallel + BURST / rawAfter) / 2;
    const rawSequentialRate = BURST / rawSequential;
    const ratio = oursRate / rawParallelRate;
    out.push(
      `  (b) burst${BURSTS > 1 ? ` ${round} of ${BURSTS}` : ''}: ${BURST} snaps due at the same second; ` +
        `placement ${placement.name}: ${placement.label}`,
    );
    row(
      'due → last purged',
      `${(lastMs / 1000).toFixed(2)} s, ${oursRate.toFixed(1)} purges/s  (${burst.length} purged` +
        `${burstLeft ? `, ${burstLeft} NOT purged within the timeout` : ''})`,
    );
    row('purge lag', fmt(summary(burst.map((r) => r.lag))));
    out.push(...jobReport(burstIds));
    row('storage after the purges', await leftBehind(burstMedia.map((m) => m.key)));
    row('purge batches', takeBatches(burstDue));
    row('worker log (warn and above)', takeWorkerLog());
    row('CPU from due to last purged', cpuReport(cpuBefore, cpuAfter, cpuSeconds));
    row('CPU at rest before the raw deletes', atRest);
    row(
      `raw DeleteObjects ×${DELETE_BATCH} keys, ${RAW_IN_FLIGHT} in flight`,
      `${rawParallelRate.toFixed(0)} objects/s, the mean of ${(BURST / rawParallel).toFixed(0)} before the burst ` +
        `(${rawParallel.toFixed(2)} s) and ${(BURST / rawAfter).toFixed(0)} after it (${rawAfter.toFixed(2)} s)  ` +
        `(${RAW_IN_FLIGHT} = the purge jobs the workers run at once)`,
    );
    row('  CPU during the deletes before the burst', rawCpu);
    row(
      `raw DeleteObjects ×${DELETE_BATCH} keys, sequential`,
      `${rawSequential.toFixed(2)} s, ${rawSequentialRate.toFixed(0)} objects/s`,
    );
    row(
      `ratio ours / raw (${RAW_IN_FLIGHT} in flight)`,
      `${ratio.toFixed(3)}  target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`,
    );
    row('ratio ours / raw (sequential)', (oursRate / rawSequentialRate).toFixed(3));
    return ratio;
  }

  out.push(`  run time ${((performance.now() - runStarted) / 1000).toFixed(1)} s (without build and clean-up)`);
  console.log(out.join('\n'));
} catch (error) {
  if (out.length > 0) console.log(out.join('\n'));
  throw error;
} finally {
  const cleaning = performance.now();
  await cleanUp().catch((error) => log(`clean-up: ${error.message}`));
  eventsConnection.disconnect();
  await Promise.race([queueEvents?.close(), sleep(2000)]).catch(() => undefined);
  await queue.close().catch(() => undefined);
  redis.disconnect();
  await db.end().catch(() => undefined);
  s3.destroy();
  log(`cleaned up in ${((performance.now() - cleaning) / 1000).toFixed(1)} s`);
}
