import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RedisService } from '@app/redis';

/** The Redis `hz` below which delayed jobs start noticeably late. */
export const MIN_REDIS_HZ = 100;

/**
 * Warns at start when Redis runs at a low `hz`. A worker waits for its next delayed job
 * (a purge at its deadline) with a blocking command, and Redis ends blocking commands on
 * its `hz` tick: at the default 10 a purge starts up to 100 ms after its deadline. Managed
 * Redis services often refuse CONFIG; then there is nothing to check.
 */
@Injectable()
export class RedisTimingCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(RedisTimingCheck.name);

  constructor(private readonly redis: RedisService) {}

  async onApplicationBootstrap(): Promise<void> {
    let hz: number;
    try {
      const answer = (await this.redis.client.config('GET', 'hz')) as string[];
      hz = Number(answer[1]);
    } catch {
      return;
    }
    if (!Number.isFinite(hz) || hz >= MIN_REDIS_HZ) return;
    const lateByUpToMs = Math.round(1000 / hz);
    this.logger.warn(
      { hz, lateByUpToMs },
      `Redis runs at hz ${hz}: delayed jobs (purges at their deadline) may start up to ${lateByUpToMs} ms late; run Redis with hz ${MIN_REDIS_HZ}`,
    );
  }
}
