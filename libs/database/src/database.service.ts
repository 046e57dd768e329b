import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '@app/config';
import { Database } from './database.types';

/** Idle connections the pool keeps open instead of closing after the idle timeout. */
const WARM_CONNECTIONS = 4;

/** The PostgreSQL pool and the typed query builder over it. */
@Injectable()
export class DatabaseService implements OnModuleDestroy {
  readonly db: Kysely<Database>;
  private readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pool = new Pool({
      connectionString: config.DATABASE_URL,
      max: config.DATABASE_POOL_MAX,
      // Connections opened in busy moments stay warm down to this many: a burst after a
      // quiet spell (deadlines falling due together) does not wait for new logins.
      min: Math.min(WARM_CONNECTIONS, config.DATABASE_POOL_MAX),
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
    });
    // An idle client that loses its server emits 'error'; without a listener the process dies.
    this.pool.on('error', () => undefined);
    this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: this.pool }) });
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async onModuleDestroy(): Promise<void> {
    await this.db.destroy();
  }
}
