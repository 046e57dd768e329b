import type { IncomingMessage, ServerResponse } from 'node:http';
import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { assignRequestId } from '@app/observability';
import { RedisService } from '@app/redis';

/**
 * socket.io over the Redis pub/sub adapter: an event emitted to a room on any
 * node (or by a worker through the Redis emitter) reaches the room's sockets on
 * every node.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly connections: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly redis: RedisService,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, { ...options, serveClient: false }) as Server;
    // engine.io answers its own HTTP requests (the polling transport, its handshake errors)
    // before Express sees them; this listener, put in front of the one it installed, gives
    // them the x-request-id every response carries.
    const path = `${server.path()}/`;
    this.httpServer?.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith(path)) assignRequestId(req, res);
    });
    // Nest closes modules (and their Redis connections) before socket servers, so the
    // adapter owns its connections and closes them after the server below.
    const pub = this.redis.connect({}, false);
    const sub = this.redis.connect({}, false);
    this.connections.push(pub, sub);
    server.adapter(createAdapter(pub, sub));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
