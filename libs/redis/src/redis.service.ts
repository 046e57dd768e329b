import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import IORedis, { Redis, RedisOptions } from 'ioredis';
import { APP_CONFIG, AppConfig } from '@app/config';

/**
 * Owns every Redis connection of a process, so shutdown closes them all.
 * `client` serves short commands (rate limits, health); BullMQ workers and the
 * socket.io adapter get dedicated connections from `connect()`.
 */
@Injectable()
export class RedisService implements OnModuleDestroy {
  readonly client: Redis;
  private readonly connections = new Set<Redis>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // Request paths fail fast while Redis is away instead of queueing commands forever.
    this.client = this.connect({ maxRetriesPerRequest: 2 });
  }

  /**
   * A new connection. Managed ones are closed when the module shuts down; an
   * unmanaged one belongs to a caller that outlives the modules (the socket.io
   * adapter, closed after the sockets) and must close it itself.
   */
  connect(options: RedisOptions = {}, managed = true): Redis {
    const connection = new IORedis(this.config.REDIS_URL, { lazyConnect: false, ...options });
    // Errors surface on the commands that fail; an unhandled 'error' event would kill the process.
    connection.on('error', () => undefined);
    if (managed) {
      this.connections.add(connection);
      connection.once('end', () => this.connections.delete(connection));
    }
    return connection;
  }

  async ping(): Promise<void> {
    const answer = await this.client.ping();
    if (answer !== 'PONG') throw new Error(`unexpected PING answer: ${answer}`);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(
      [...this.connections].map((c) => (c.status === 'end' ? undefined : c.quit().catch(() => c.disconnect()))),
    );
  }
}
