import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Database } from './database.types';

/**
 * The pool's connection string and the session settings every connection starts with (libpq's
 * `options`: those the URL gives, then ours; pg would let the URL's replace ours, so they move
 * out of it).
 * A process that vanishes without closing its connections (a host powered off, a network cut)
 * must not hold its locks for hours: a transaction idle longer than the longest wait inside one
 * (a purge holds its batch while storage deletes, up to three attempts of S3_TIMEOUT_MS) is ended
 * by the server, and TCP keepalives find a dead peer within about two minutes. The batch's snaps
 * are then due again for the other workers.
 */
export function connectionSettings(config: Pick<AppConfig, 'DATABASE_URL' | 'S3_TIMEOUT_MS'>): {
  connectionString: string;
  options: string;
} {
  const idleInTransactionMs = Math.max(60_000, 4 * config.S3_TIMEOUT_MS);
  const ours = [
    `-c idle_in_transaction_session_timeout=${idleInTransactionMs}`,
    '-c tcp_keepalives_idle=60',
    '-c tcp_keepalives_interval=10',
    '-c tcp_keepalives_count=6',
  ].join(' ');
  const url = new URL(config.DATABASE_URL);
  const fromUrl = url.searchParams.get('options');
  if (fromUrl === null) return { connectionString: config.DATABASE_URL, options: ours };
  url.searchParams.delete('options');
  return { connectionString: url.toString(), options: `${fromUrl} ${ours}` };
}

/**
 * The PostgreSQL pool and the typed query builder over it. The pool has a fixed size: its
 * connections are opened when the application starts and kept open, so a burst after a
 * quiet spell (deadlines falling due together, or the first one after a deploy) does not
 * wait for new logins. With four connections kept warm instead, two of the worker's four
 * purge lanes waited 88–95 ms for theirs at the start of a burst (bench/expiry).
 */
@Injectable()
export class DatabaseService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly db: Kysely<Database>;
  private readonly pool: Pool;
  private readonly size: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.size = config.DATABASE_POOL_MAX;
    this.pool = new Pool({
      ...connectionSettings(config),
      max: this.size,
      // No connection is closed for being idle while the pool holds no more than this.
      min: this.size,
      connectionTimeoutMillis: 5000,
    });
    // An idle client that loses its server emits 'error'; without a listener the process dies.
    this.pool.on('error', () => undefined);
    this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: this.pool }) });
  }

  /**
   * Opens the pool's connections before the first request or job needs them. Best effort: one
   * that cannot be opened now (the database restarting) is opened when it is needed.
   */
  async onApplicationBootstrap(): Promise<void> {
    const opened = await Promise.allSettled(Array.from({ length: this.size }, () => this.pool.connect()));
    for (const client of opened) if (client.status === 'fulfilled') client.value.release();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  /**
   * Ends the pool this service made. (Kysely's `destroy` would end it only once a query had
   * gone through it, and ending it is all that `destroy` does.)
   */
  async onModuleDestroy(): Promise<void> {
    await this.pool.end();
  }
}
