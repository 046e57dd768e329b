import { Injectable } from '@nestjs/common';
import { DatabaseService } from '@app/database';
import { RedisService } from '@app/redis';
import { S3Storage } from '@app/storage';

export type Dependency = 'database' | 'redis' | 'storage';
export type CheckResult = { status: 'up' } | { status: 'down'; error: string };

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Readiness: every dependency a request may need answers, checked in parallel with a bound. */
@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseService,
    private readonly redis: RedisService,
    private readonly storage: S3Storage,
  ) {}

  async check(): Promise<Record<Dependency, CheckResult>> {
    const probes: Record<Dependency, () => Promise<unknown>> = {
      database: () => this.database.ping(),
      redis: () => this.redis.ping(),
      storage: () => this.storage.ping(),
    };
    const names = Object.keys(probes) as Dependency[];
    const results = await Promise.allSettled(names.map((name) => withTimeout(probes[name](), CHECK_TIMEOUT_MS)));
    return Object.fromEntries(
      results.map((result, i): [Dependency, CheckResult] => [
        names[i],
        result.status === 'fulfilled'
          ? { status: 'up' }
          : { status: 'down', error: result.reason instanceof Error ? result.reason.name : 'error' },
      ]),
    ) as Record<Dependency, CheckResult>;
  }
}
