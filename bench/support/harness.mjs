// What every benchmark needs: free loopback ports, waiting for an API to be
// ready, latency summaries, CPU accounting and placing processes on CPUs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Resolves when `url` answers /health/ready with 200; fails if `child` exits or after 30 s. */
export async function waitReady(url, child) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the process behind ${url} exited`);
    try {
      if ((await fetch(`${url}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} not ready within 30 s`);
}

/**
 * Node flags for a process a benchmark measures: with BENCH_PROFILE=<dir>, it writes a V8
 * CPU profile there when it exits.
 */
export const profileArgs = () =>
  process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** min, p50, p99 and max of a list of numbers. */
export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

/** A /proc stat line's command name and user + system ticks; null when the process is gone. */
function readStat(path) {
  let stat;
  try {
    stat = readFileSync(path, 'utf8');
  } catch {
    return null; // gone meanwhile
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

/** Which of the stack's servers a process is, by its command name; undefined for any other. */
const serverGroup = (comm) =>
  comm === 'postgres'
    ? 'postgres'
    : comm === 'minio'
      ? 's3 (minio)'
      : comm.startsWith('redis-server')
        ? 'redis'
        : undefined;

/** Every process of the stack's servers on this machine (PostgreSQL's backends included), or of the named groups. */
export function serverPids(...groups) {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      const group = serverGroup(readStat(`/proc/${pid}/stat`)?.comm ?? '');
      return group && (groups.length === 0 || groups.includes(group));
    })
    .map(Number);
}

/** The CPUs this process may run on (Linux), e.g. [0, 1]. */
function allowedCpus() {
  const list = readFileSync('/proc/self/status', 'utf8').match(/^Cpus_allowed_list:\s*(\S+)/m)[1];
  return list.split(',').flatMap((range) => {
    const [first, last = first] = range.split('-').map(Number);
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  });
}

/**
 * The machine split in two, as separate hosts would keep them apart: `own` CPUs for what a
 * benchmark measures (and for its bare baseline, which gets exactly the same CPUs), `rest` for
 * everything else (servers, load generator), `all` to put things back. Null when there is a
 * single CPU or no `taskset` (util-linux) to place processes with.
 */
export function cpuTiers() {
  const all = allowedCpus();
  if (all.length < 2 || spawnSync('taskset', ['-V']).status !== 0) return null;
  const half = Math.floor(all.length / 2);
  return { own: all.slice(half), rest: all.slice(0, half), all };
}

/**
 * Pins every thread of each process to `cpus` (taskset -a -p); threads and children they start
 * later inherit it. A process that has ended meanwhile is skipped.
 */
export function pin(pids, cpus) {
  for (const pid of pids) {
    // A thread that ends while taskset walks the process fails the call: try again.
    for (let attempt = 1; ; attempt++) {
      const run = spawnSync('taskset', ['-a', '-p', '-c', cpus.join(','), String(pid)], { encoding: 'utf8' });
      if (run.status === 0 || !existsSync(`/proc/${pid}`)) break;
      if (attempt === 3)
        throw new Error(`taskset ${pid}: ${run.stderr.trim()} (BENCH_PLACEMENT=shared places nothing)`);
    }
  }
}

/**
 * CPU ticks (1/100 s) so far (Linux /proc): the machine's busy total, and per process (by pid)
 * in groups: the processes named in `ours` ({ group: [pid, …] }), the stack's servers by name,
 * this script. For `ours`, the main (JavaScript) threads are also counted apart, as `mainThreads`.
 */
export function cpuSnapshot(ours = {}) {
  const groupNames = [...Object.keys(ours), 'postgres', 's3 (minio)', 'redis', 'this script'];
  const mainThreads = Object.fromEntries(
    Object.entries(ours).map(([g, pids]) => [
      g,
      pids.reduce((sum, pid) => sum + (readStat(`/proc/${pid}/task/${pid}/stat`)?.ticks ?? 0), 0),
    ]),
  );
  const groupOfPid = new Map(Object.entries(ours).flatMap(([g, pids]) => pids.map((pid) => [pid, g])));
  const processes = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const stat = readStat(`/proc/${pid}/stat`);
    if (!stat) continue;
    const { comm, ticks } = stat;
    const group = groupOfPid.get(Number(pid)) ?? (Number(pid) === process.pid ? 'this script' : serverGroup(comm));
    if (group) processes.set(pid, { group, ticks });
  }
  const [, ...machine] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = machine.slice(0, 8).reduce((a, b) => a + b, 0);
  return { groupNames, processes, mainThreads, busy: total - machine[3] - machine[4], total };
}

/**
 * CPU ticks (1/100 s) each group used between two snapshots, with the main threads of the groups
 * in `ours` as `<group> main thread`.
 */
export function groupTicks(before, after) {
  const ticks = Object.fromEntries(after.groupNames.map((g) => [g, 0]));
  for (const [pid, { group, ticks: now }] of after.processes)
    ticks[group] += now - (before.processes.get(pid)?.ticks ?? 0);
  for (const g of Object.keys(after.mainThreads))
    ticks[`${g} main thread`] = after.mainThreads[g] - before.mainThreads[g];
  return ticks;
}

/**
 * How busy the machine was between two snapshots, and each group's share of one core. A process
 * that started in between counts whole; one that ended in between (a closed database connection)
 * drops out rather than making its group's share negative.
 */
export function cpuReport(before, after, seconds) {
  const cores = ((after.total - before.total) / 100 / seconds).toFixed(0);
  const busy = (100 * (after.busy - before.busy)) / (after.total - before.total);
  const ticks = groupTicks(before, after);
  const share = (delta) => `${(delta / seconds).toFixed(0)}%`;
  const parts = after.groupNames.map((g) =>
    g in after.mainThreads
      ? `${g} ${share(ticks[g])} (main thread ${share(ticks[`${g} main thread`])})`
      : `${g} ${share(ticks[g])}`,
  );
  return `machine ${busy.toFixed(0)}% busy (${cores} cores); of one core: ${parts.join(', ')}`;
}

/**
 * The machine over `seconds` with nothing asked of it: what the servers and our processes spend
 * on their own. MinIO, for one, works through the folders of deleted objects in the background
 * (every 5 minutes, then a few dozen a second until none is left), and after a few bursts of
 * deletes that takes a tenth of a core for many minutes. Every figure of the shared placement
 * carries what this shows. `snapshot` takes the CPU snapshot (default: the servers only).
 */
export async function cpuAtRest(seconds = 2, snapshot = cpuSnapshot) {
  const before = snapshot();
  await sleep(seconds * 1000);
  return cpuReport(before, snapshot(), seconds);
}
