// The baseline for bench/delivery: a plain socket.io server on the same Redis
// adapter as the API, with no authentication, database or application code.
// Each socket joins the room named in its handshake.
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { Server } from 'socket.io';

const port = Number(process.argv[2]);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const http = createServer();
const io = new Server(http, { serveClient: false });
io.adapter(createAdapter(new Redis(redisUrl), new Redis(redisUrl), { key: 'bench-bare' }));
io.on('connection', (socket) => socket.join(String(socket.handshake.auth.room)));
http.listen(port, '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => io.close(() => process.exit(0)));
