// Media throughput through the whole pipeline (multipart upload to the API,
// S3, the media queue, the worker, S3 again, `media:ready` on the socket) next
// to the same processing code run bare in one process (no HTTP, S3 or queue),
// on the same sample files, measured in the same run.
// Run with `npm run bench -- media` (brings the stack up and builds first; BENCH_ROUNDS, BENCH_ONLY,
// BENCH_PLACEMENT, BENCH_PROFILE).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { io } from 'socket.io-client';
import {
  cpuAtRest,
  cpuReport,
  cpuSnapshot,
  cpuTiers,
  freePort,
  groupTicks,
  pin,
  profileArgs,
  serverPids,
  waitReady,
} from './support/harness.mjs';

const require = createRequire(import.meta.url);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// BENCH_ONLY=photos (or videos) measures one half, for quicker comparisons while working on it.
const ONLY = process.env.BENCH_ONLY;
// BENCH_PLACEMENT=shared (or apart) measures in one placement of the processes on the CPUs (below).
const PLACEMENTS = (process.env.BENCH_PLACEMENT ?? 'shared,apart').split(',');
// The worker runs MEDIA_CONCURRENCY jobs at once (its default: cores + 1). The client keeps twice
// that many uploads in flight, as many clients would, so the worker always has the next file while
// it processes: throughput, not one client's latency, is measured. The bare loop is run at one per
// core, cores + 1 and the worker's concurrency, and the best of them is the baseline, so no choice
// of concurrency can flatter the ratio.
const CONCURRENCY = Number(process.env.MEDIA_CONCURRENCY ?? availableParallelism() + 1);
const IN_FLIGHT = 2 * CONCURRENCY;
const BARE_CONCURRENCIES = [...new Set([availableParallelism(), availableParallelism() + 1, CONCURRENCY])];
const PHOTOS = [
  'photo-12mp-exif-gps-orient6.jpg',
  'photo-progressive.jpg',
  'photo-cmyk.jpg',
  'photo-alpha.png',
  'photo-16bit.png',
  'photo.webp',
  'photo-tiny.jpg',
  'animated.gif',
];
const VIDEOS = ['video-h264-5s-rot90-gps.mp4', 'video-h264-4s.mov', 'video-vp9-3s.webm'];

function samplesDir() {
  const shared = join(process.cwd(), '..', 'shared', 'media-samples');
  if (existsSync(shared)) return shared;
  const generated = join(process.cwd(), 'test', 'fixtures', 'generated');
  spawnSync(process.execPath, ['test/fixtures/generate.mjs', generated], { stdio: 'inherit' });
  return generated;
}

/** The bare loop at each of `concurrencies`: [{ concurrency, seconds, cpuMs }], cpuMs this process's CPU. */
async function bareAtEach(items, op, concurrencies) {
  const runs = [];
  for (const concurrency of concurrencies) {
    const cpu = process.cpuUsage();
    const seconds = await timed(items, concurrency, op);
    const { user, system } = process.cpuUsage(cpu);
    runs.push({ concurrency, seconds, cpuMs: (user + system) / 1000 });
  }
  return runs;
}
const best = (runs) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));

/** Runs `op` over `items` with `concurrency` in flight; returns wall seconds. */
async function timed(items, concurrency, op) {
  const queue = [...items];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await op(item);
    }),
  );
  return (performance.now() - started) / 1000;
}

const dir = samplesDir();
const files = Object.fromEntries(
  await Promise.all([...PHOTOS, ...VIDEOS].map(async (f) => [f, await readFile(join(dir, f))])),
);
const repeat = (list) => Array.from({ length: ROUNDS }, () => list).flat();
// Each sample's multipart/form-data body, encoded once: the load generator shares the cores with
// what it measures, so it should spend them on sending bytes, not on re-encoding the same form.
const forms = Object.fromEntries(
  await Promise.all(
    Object.entries(files).map(async ([file, bytes]) => {
      const form = new FormData();
      form.append('file', new Blob([bytes]), basename(file));
      const encoded = new Response(form);
      return [file, { type: encoded.headers.get('content-type'), body: Buffer.from(await encoded.arrayBuffer()) }];
    }),
  ),
);

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  PORT: String(port),
  LOG_LEVEL: 'warn',
  RATE_LIMIT_SCALE: '1000000',
  MEDIA_CONCURRENCY: String(CONCURRENCY),
};
const api = spawn(process.execPath, [...profileArgs(), 'dist/apps/api/apps/api/src/main.js'], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const worker = spawn(process.execPath, [...profileArgs(), 'dist/apps/worker/apps/worker/src/main.js'], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const work = await mkdtemp(join(tmpdir(), 'ephemera-bench-'));
try {
  await waitReady(url);
  const reg = await fetch(`${url}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: `bench_${Date.now().toString(36)}`, password: 'bench-password-1' }),
  });
  const { accessToken } = await reg.json();
  const socket = io(url, { auth: { token: accessToken }, transports: ['websocket'] });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  const settled = new Map();
  const settle = (id, outcome) => {
    const waiter = settled.get(id);
    if (waiter) waiter(outcome);
    else settled.set(id, outcome);
  };
  socket.on('media:ready', (e) => settle(e.id, 'ready'));
  socket.on('media:failed', (e) => settle(e.id, `failed ${e.failure.code}`));
  const untilSettled = (id) =>
    new Promise((resolve) => {
      const early = settled.get(id);
      if (typeof early === 'string') return resolve(early);
      settled.set(id, resolve);
    });

  // node:http with a keep-alive agent rather than fetch: the same request for about half the
  // client's CPU, which is taken from the processes measured.
  let agent = new Agent({ keepAlive: true });
  // A fresh agent for each stretch of uploads: the API closes connections idle for 5 s (the bare
  // halves last longer), and a request sent just as the server closes its socket fails.
  const freshAgent = () => {
    agent.destroy();
    agent = new Agent({ keepAlive: true });
  };
  const post = (file) =>
    new Promise((resolve, reject) => {
      const { type, body } = forms[file];
      const req = request(`${url}/v1/media`, {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': type, 'content-length': body.length },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      });
      req.end(body);
    });
  const viaPipeline = async (file) => {
    const res = await post(file);
    if (res.status !== 202) throw new Error(`${file}: ${res.status} ${JSON.stringify(res.body)}`);
    const outcome = await untilSettled(res.body.id);
    if (outcome !== 'ready') throw new Error(`${file}: ${outcome}`);
  };

  const media = require('../dist/apps/worker/libs/media/src');
  const images = new media.ImageProcessor();
  const videos = new media.VideoProcessor(new media.VideoProbe(), images);
  let n = 0;
  const bareImage = (file) => images.process(join(dir, file));
  const bareVideo = (file) => videos.process(join(dir, file), { outputPath: join(work, `${n++}.mp4`) });
  const barePoster = async (file) => {
    const out = join(work, `poster-${n++}.jpg`);
    const run = spawnSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      join(dir, file),
      '-frames:v',
      '1',
      '-vf',
      "scale='min(1920,iw)':-2",
      out,
    ]);
    if (run.status !== 0) throw new Error(`ffmpeg: ${run.stderr}`);
  };

  // Warm-up: one of each through both paths.
  await timed([...PHOTOS, ...VIDEOS], IN_FLIGHT, viaPipeline);
  await timed(PHOTOS, CONCURRENCY, bareImage);

  const photoList = ONLY === 'videos' ? [] : repeat(PHOTOS);
  const videoList = ONLY === 'photos' ? [] : repeat(VIDEOS);
  const ours = () => cpuSnapshot({ api: [api.pid], worker: [worker.pid] });
  // Each kind in two halves, pipeline then bare, bare then pipeline (A B B A): the machine's speed
  // drifts by more than the difference measured, and this order cancels a steady drift. `place`
  // puts the processes on their CPUs before each half: the bare loop runs in this process.
  const abba = async (list, bareOp, place, bareConcurrencies) => {
    const result = {
      pipelineSeconds: 0,
      cpu: [],
      // CPU ticks of the processes serving the uploads (not this client), by group.
      pipelineTicks: {},
      bareRuns: bareConcurrencies.map((c) => ({ concurrency: c, seconds: 0, cpuMs: 0 })),
    };
    const pipelineHalf = async (half) => {
      place('pipeline');
      freshAgent();
      const before = ours();
      const seconds = await timed(half, IN_FLIGHT, viaPipeline);
      const after = ours();
      result.pipelineSeconds += seconds;
      result.cpu.push(cpuReport(before, after, seconds));
      for (const [group, ticks] of Object.entries(groupTicks(before, after)))
        if (group !== 'this script') result.pipelineTicks[group] = (result.pipelineTicks[group] ?? 0) + ticks;
    };
    const bareHalf = async (half) => {
      place('bare');
      for (const [i, run] of (await bareAtEach(half, bareOp, bareConcurrencies)).entries()) {
        result.bareRuns[i].seconds += run.seconds;
        result.bareRuns[i].cpuMs += run.cpuMs;
      }
    };
    if (list.length > 0) {
      const halves = [list.slice(0, list.length / 2), list.slice(list.length / 2)];
      await pipelineHalf(halves[0]);
      await bareHalf(halves[0]);
      await bareHalf(halves[1]);
      await pipelineHalf(halves[1]);
    }
    return result;
  };

  // Two placements. Shared: every process on every CPU, as on a one-machine deployment, where the
  // pipeline's transforms share the cores with the API, the servers and this load generator, and
  // the bare loop has them to itself. Apart: the worker on CPUs of its own and everything else on
  // the others, as separate hosts would have it, and the bare loop on the worker's CPUs, so both
  // sides of the ratio transform on the same CPUs.
  const tiers = PLACEMENTS.includes('apart') ? cpuTiers() : null;
  const placeEverywhere = () => tiers && pin([process.pid, api.pid, worker.pid, ...serverPids()], tiers.all);
  const placements = [];
  if (PLACEMENTS.includes('shared')) {
    placements.push({
      name: 'shared',
      label: `every process on every CPU (${availableParallelism()})`,
      bareConcurrencies: BARE_CONCURRENCIES,
      place: placeEverywhere,
    });
  }
  if (tiers) {
    placements.push({
      name: 'apart',
      label: `the worker on CPU ${tiers.own.join(',')}; the API, servers and this client on CPU ${tiers.rest.join(',')}; bare on the worker's`,
      bareConcurrencies: [...new Set([tiers.own.length, tiers.own.length + 1, CONCURRENCY])],
      place: (side) => {
        pin([worker.pid], tiers.own);
        pin([api.pid, ...serverPids()], tiers.rest);
        pin([process.pid], side === 'bare' ? tiers.own : tiers.rest);
      },
    });
  } else if (PLACEMENTS.includes('apart')) {
    console.log('  (apart placement skipped: it needs two CPUs and taskset)');
  }

  const atRest = await cpuAtRest(2, ours);
  const results = [];
  try {
    for (const placement of placements) {
      const photos = await abba(photoList, bareImage, placement.place, placement.bareConcurrencies);
      const videos = await abba(videoList, bareVideo, placement.place, placement.bareConcurrencies);
      placement.place('bare');
      const posters = await timed(videoList, best(videos.bareRuns).concurrency, barePoster);
      results.push({ placement, photos, videos, posters });
    }
  } finally {
    placeEverywhere();
  }
  socket.close();
  agent.destroy();

  const rate = (count, seconds) => `${(count / seconds).toFixed(2)}/s`;
  // One row of the report: the label in a column wide enough for the longest.
  const row = (label, value) => console.log(`    ${label.padEnd(46)} ${value}`);
  console.log(
    `media benchmark: ${ROUNDS} rounds; worker ${CONCURRENCY} jobs at a time, ${IN_FLIGHT} uploads in flight; samples from ${dir}`,
  );
  row('CPU at rest before the runs', atRest);
  const report = (label, list, pipelineSeconds, runs, bareLabel, target) => {
    console.log(`  ${label} (${list.length})`);
    row('pipeline (upload → media:ready)', `${rate(list.length, pipelineSeconds)}  (${pipelineSeconds.toFixed(2)} s)`);
    for (const run of runs) {
      row(
        `${bareLabel}, ${run.concurrency} at a time`,
        `${rate(list.length, run.seconds)}  (${run.seconds.toFixed(2)} s)`,
      );
    }
    const ratio = best(runs).seconds / pipelineSeconds;
    row(
      'ratio pipeline / best bare',
      ratio.toFixed(2) + (target ? `  target ≥ ${target}: ${ratio >= target ? 'met' : 'MISSED'}` : ''),
    );
  };
  // Machine-wide CPU per photo, which the host's drift in speed moves less than throughput: what
  // the pipeline's processes spent (not this client), against the bare loop at its fastest.
  // (Not for videos: ffmpeg runs in child processes, counted in neither.)
  const cpuPerPhoto = ({ pipelineTicks: t, bareRuns }, count) => {
    const ms = (ticks) => ((ticks ?? 0) * 10) / count;
    const servers = ms(t.postgres) + ms(t['s3 (minio)']) + ms(t.redis);
    const total = Object.entries(t)
      .filter(([group]) => !group.endsWith('main thread'))
      .reduce((sum, [, ticks]) => sum + ms(ticks), 0);
    const bare = best(bareRuns);
    return (
      `pipeline ${total.toFixed(0)} ms (worker ${ms(t.worker).toFixed(0)}, its main thread ${ms(t['worker main thread']).toFixed(0)}; ` +
      `API ${ms(t.api).toFixed(0)}; servers ${servers.toFixed(0)}), bare ${(bare.cpuMs / count).toFixed(0)} ms (${bare.concurrency} at a time)`
    );
  };
  for (const { placement, photos, videos, posters } of results) {
    console.log(`  placement ${placement.name}: ${placement.label}`);
    if (photoList.length > 0) {
      report('photos', photoList, photos.pipelineSeconds, photos.bareRuns, 'bare sharp, same transform', 0.8);
      for (const cpu of photos.cpu) row("CPU during the pipeline's photos", cpu);
      row('CPU per photo', cpuPerPhoto(photos, photoList.length));
    }
    if (videoList.length > 0) {
      report('videos', videoList, videos.pipelineSeconds, videos.bareRuns, 'bare ffprobe+ffmpeg, same steps');
      for (const cpu of videos.cpu) row("CPU during the pipeline's videos", cpu);
      row('bare ffmpeg poster frame only', `${rate(videoList.length, posters)}  (${posters.toFixed(2)} s)`);
    }
  }
} finally {
  api.kill('SIGTERM');
  worker.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
}
