// Logins per second through the API (argon2id at the server's configured cost,
// plus HTTP, validation, rate-limit and session writes) against a bare argon2id
// verification loop of the same hash in one process, measured in the same run.
// Run with `npm run bench -- auth` (brings the stack up and builds first).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import pg from 'pg';
import { freePort, waitReady } from './support/harness.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const USERS = 16;

/** Runs `op` from `concurrency` loops for `seconds`; returns the count and per-op latencies. */
async function drive(op, concurrency, seconds) {
  const latencies = [];
  const end = performance.now() + seconds * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await op(i++);
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { count: latencies.length, perSecond: latencies.length / seconds, p50: pct(50), p99: pct(99) };
}

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const api = spawn(process.execPath, ['dist/apps/api/apps/api/src/main.js'], {
  env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_SCALE: '1000000' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  await waitReady(url, api);
  const password = 'bench-password-123';
  const users = [];
  for (let i = 0; i < USERS; i++) {
    const username = `bench_${randomBytes(5).toString('hex')}`;
    const res = await fetch(`${url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 201) throw new Error(`register: ${res.status}`);
    users.push(username);
  }

  const login = async (i) => {
    const res = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: users[i % USERS], password }),
    });
    if (res.status !== 200) throw new Error(`login: ${res.status}`);
    await res.arrayBuffer();
  };

  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const { rows } = await db.query('select password_hash from users where username = $1', [users[0]]);
  await db.end();
  const hash = rows[0].password_hash;
  const bare = async () => {
    if (!(await argon2.verify(hash, password))) throw new Error('verify failed');
  };

  await drive(login, CONCURRENCY, 2); // warm-up
  await drive(bare, CONCURRENCY, 2);
  const ours = await drive(login, CONCURRENCY, SECONDS);
  const base = await drive(bare, CONCURRENCY, SECONDS);

  const cost = hash.split('$')[3];
  console.log(`auth benchmark: argon2id ${cost}, ${CONCURRENCY} concurrent, ${SECONDS} s each`);
  console.log(
    `  API logins          ${ours.perSecond.toFixed(1)}/s  (p50 ${ours.p50.toFixed(1)} ms, p99 ${ours.p99.toFixed(1)} ms)`,
  );
  console.log(
    `  bare argon2 verify  ${base.perSecond.toFixed(1)}/s  (p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms)`,
  );
  console.log(`  ratio API / bare    ${(ours.perSecond / base.perSecond).toFixed(2)}`);
} finally {
  api.kill('SIGTERM');
}
