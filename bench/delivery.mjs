// Real-time delivery latency: N connected recipient sockets across two API
// processes; for each snap, the time from POST /v1/snaps returning (and from it
// being sent) to snap:received on every recipient socket. Baseline, same run:
// two bare socket.io servers on the same Redis adapter, the same sockets and
// rooms, one emit through the Redis emitter (what the API's publisher does).
// Also the rate of handshakes (authenticated, rooms joined) against the bare servers'.
// Run with `npm run bench -- delivery` (BENCH_SOCKETS, BENCH_SNAPS to change).
import { fork, spawn } from 'node:child_process';
import { Emitter } from '@socket.io/redis-emitter';
import Redis from 'ioredis';
import sharp from 'sharp';
import { io } from 'socket.io-client';
import { freePort, summary, waitReady } from './support/harness.mjs';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const SNAPS = Number(process.env.BENCH_SNAPS ?? 20);
const RECIPIENTS = Math.min(100, SOCKETS); // API.md: a snap goes to at most 100 recipients
const DEVICES = Math.ceil(SOCKETS / RECIPIENTS); // sockets per recipient

const fmt = (s) => `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;

/** A client socket that notes when each snap:received arrives, so no arrival is missed. */
function connect(url, auth) {
  return new Promise((resolve, reject) => {
    const socket = io(url, { auth, transports: ['websocket'], reconnection: false });
    const arrived = new Map();
    const waiters = new Map();
    socket.on('snap:received', (payload) => {
      const at = performance.now();
      arrived.set(payload.id, at);
      waiters.get(payload.id)?.(at);
    });
    const arrival = (id) =>
      new Promise((resolveArrival, rejectArrival) => {
        if (arrived.has(id)) return resolveArrival(arrived.get(id));
        const timer = setTimeout(() => rejectArrival(new Error(`no snap:received ${id} within 30 s`)), 30000);
        waiters.set(id, (at) => {
          clearTimeout(timer);
          resolveArrival(at);
        });
      });
    socket.once('connect', () => resolve({ socket, arrival }));
    socket.once('connect_error', reject);
  });
}

const arrivals = (clients, id) => Promise.all(clients.map((c) => c.arrival(id)));

async function connectAll(urls, authFor) {
  const sockets = [];
  for (let i = 0; i < SOCKETS; i += 50) {
    const batch = Array.from({ length: Math.min(50, SOCKETS - i) }, (_, j) => i + j);
    sockets.push(...(await Promise.all(batch.map((k) => connect(urls[k % urls.length], authFor(k))))));
  }
  return sockets;
}

const env = { ...process.env, LOG_LEVEL: 'warn', RATE_LIMIT_SCALE: '1000000' };
const children = [];
const post = (url, path, token, body) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, body: res.status === 204 ? null : await res.json() }));

try {
  // --- Ours: two API processes and a worker.
  const urls = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    children.push(
      spawn(process.execPath, ['dist/apps/api/apps/api/src/main.js'], {
        env: { ...env, PORT: String(port) },
        stdio: 'ignore',
      }),
    );
    urls.push(`http://127.0.0.1:${port}`);
  }
  children.push(spawn(process.execPath, ['dist/apps/worker/apps/worker/src/main.js'], { env, stdio: 'ignore' }));
  await Promise.all(urls.map((url) => waitReady(url)));
  const [a] = urls;

  const stamp = Date.now().toString(36);
  const register = async (name) =>
    (await post(a, '/v1/auth/register', null, { username: name, password: 'bench-password-1' })).body;
  const sender = await register(`snd_${stamp}`);
  const recipients = [];
  for (let i = 0; i < RECIPIENTS; i += 10) {
    recipients.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(10, RECIPIENTS - i) }, (_, j) => register(`rcp_${stamp}_${i + j}`)),
      )),
    );
  }
  for (const r of recipients) {
    const req = await post(a, '/v1/friends/requests', sender.accessToken, { username: r.user.username });
    await post(a, `/v1/friends/requests/${req.body.id}/accept`, r.accessToken, {});
  }
  // Every handshake is authenticated (token, then the session in PostgreSQL) and joins rooms;
  // clients make one every access-token lifetime (15 min), so this rate bounds clients per node.
  let started = performance.now();
  const sockets = await connectAll(urls, (k) => ({ token: recipients[k % RECIPIENTS].accessToken }));
  const ourConnectSeconds = (performance.now() - started) / 1000;

  const photo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#f80' } })
    .jpeg()
    .toBuffer();
  const readyMedia = async () => {
    const form = new FormData();
    form.append('file', new Blob([photo]), 'p.jpg');
    const res = await fetch(`${a}/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sender.accessToken}` },
      body: form,
    });
    const { id } = await res.json();
    for (;;) {
      const m = await fetch(`${a}/v1/media/${id}`, { headers: { authorization: `Bearer ${sender.accessToken}` } }).then(
        (r) => r.json(),
      );
      if (m.status === 'ready') return id;
      if (m.status === 'failed') throw new Error('media failed');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const recipientIds = recipients.map((r) => r.user.id);
  const fromReturn = [];
  const fromSend = [];
  for (let i = 0; i < SNAPS + 2; i++) {
    const mediaId = await readyMedia();
    const sent = performance.now();
    const res = await fetch(`${urls[i % 2]}/v1/snaps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sender.accessToken}` },
      body: JSON.stringify({ mediaId, recipientIds }),
    });
    const returned = performance.now();
    const snap = await res.json();
    if (res.status !== 201) throw new Error(`send: ${res.status} ${JSON.stringify(snap)}`);
    const times = await arrivals(sockets, snap.id);
    if (i < 2) continue; // warm-up
    for (const t of times) {
      fromReturn.push(t - returned);
      fromSend.push(t - sent);
    }
  }
  sockets.forEach((c) => c.socket.close());

  // --- Baseline: bare socket.io servers on the same Redis adapter.
  const bareUrls = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const child = fork('bench/support/bare-io-server.mjs', [String(port)], { env, stdio: 'ignore' });
    children.push(child);
    await new Promise((resolve) => child.once('message', resolve));
    bareUrls.push(`http://127.0.0.1:${port}`);
  }
  started = performance.now();
  const bareSockets = await connectAll(bareUrls, (k) => ({ room: `user:${k % RECIPIENTS}` }));
  const bareConnectSeconds = (performance.now() - started) / 1000;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const emitter = new Emitter(redis, { key: 'bench-bare' });
  const rooms = Array.from({ length: RECIPIENTS }, (_, i) => `user:${i}`);
  const bare = [];
  for (let i = 0; i < SNAPS + 2; i++) {
    const id = `bare-${i}`;
    const emitted = performance.now();
    emitter.to(rooms).emit('snap:received', { id });
    const times = await arrivals(bareSockets, id);
    if (i >= 2) bare.push(...times.map((t) => t - emitted));
  }
  bareSockets.forEach((c) => c.socket.close());
  redis.disconnect();

  const ours = summary(fromSend);
  const base = summary(bare);
  console.log(
    `delivery benchmark: ${SOCKETS} sockets (${RECIPIENTS} recipients × ${DEVICES} devices) on 2 API processes, ${SNAPS} snaps`,
  );
  const returned = summary(fromReturn);
  const ratio = (x) => `p50 ${(x.p50 / base.p50).toFixed(2)}, p99 ${(x.p99 / base.p99).toFixed(2)}`;
  console.log(`  POST /v1/snaps returned → snap:received   ${fmt(returned)}  (< 0: the event beat the response)`);
  console.log(`  POST /v1/snaps sent → snap:received       ${fmt(ours)}`);
  console.log(`  bare socket.io + Redis adapter emit       ${fmt(base)}`);
  console.log(`  ratio (returned → received) / bare        ${ratio(returned)}`);
  console.log(`  ratio (sent → received) / bare            ${ratio(ours)}`);
  const perSecond = (seconds) => `${(SOCKETS / seconds).toFixed(0)} handshakes/s (${seconds.toFixed(2)} s)`;
  console.log(`  connect ${SOCKETS} sockets, 50 at a time: ours ${perSecond(ourConnectSeconds)}`);
  console.log(`    bare socket.io servers                   ${perSecond(bareConnectSeconds)}`);
  console.log(`    ratio ours / bare                        ${(bareConnectSeconds / ourConnectSeconds).toFixed(2)}`);
} finally {
  for (const child of children) child.kill('SIGTERM');
}
