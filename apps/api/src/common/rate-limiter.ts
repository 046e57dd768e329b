import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { RedisService } from '@app/redis';

/** Attempts allowed per window, per key. Counters live in Redis, so limits hold across API nodes. */
export const RATE_LIMITS = {
  /** Account creation per client IP. */
  'register:ip': { limit: 10, windowSeconds: 600 },
  /** Logins per client IP, whatever the username. */
  'login:ip': { limit: 30, windowSeconds: 60 },
  /** Logins per username, whatever the IP: bounds password guessing against one account. */
  'login:username': { limit: 10, windowSeconds: 300 },
  'refresh:ip': { limit: 60, windowSeconds: 60 },
  'friend-request:user': { limit: 30, windowSeconds: 60 },
  /**
   * Uploads started per user, by either way in: each one costs a worker seconds of CPU, so
   * one account cannot keep the media queue to itself.
   */
  'media-upload:user': { limit: 60, windowSeconds: 60 },
  /** Failed queue-dashboard logins per client IP: bounds guessing the admin password. */
  'admin-auth:ip': { limit: 20, windowSeconds: 300 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** A limit as route descriptions state it: "At most 60 refreshes per 60 s per client IP (429 RATE_LIMITED)." */
export function rateText(name: RateLimitName, what: string, per: string): string {
  const { limit, windowSeconds } = RATE_LIMITS[name];
  return `At most ${limit} ${what} per ${windowSeconds} s per ${per} (429 RATE_LIMITED).`;
}

// INCR and set the window's expiry on the first hit, atomically; returns the count and the ms left.
const CONSUME = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

/** Fixed-window counters: one Redis round trip per check. */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisService,
  ) {}

  /** Counts one attempt; throws RATE_LIMITED with the seconds to wait once over the limit. */
  async consume(name: RateLimitName, key: string): Promise<void> {
    const policy = RATE_LIMITS[name];
    const [count, ttlMs] = (await this.redis.client.eval(
      CONSUME,
      1,
      redisKey(name, key),
      policy.windowSeconds * 1000,
    )) as [number, number];
    if (count > this.limitOf(name)) throw rateLimited(ttlMs);
  }

  /**
   * Throws RATE_LIMITED when `key` has already used up its attempts, without counting
   * one: for limits that count only failures (consumed after the attempt failed).
   */
  async check(name: RateLimitName, key: string): Promise<void> {
    const [count, ttlMs] = await this.redis.client
      .multi()
      .get(redisKey(name, key))
      .pttl(redisKey(name, key))
      .exec()
      .then((replies) => [Number(replies?.[0]?.[1] ?? 0), Number(replies?.[1]?.[1] ?? 0)]);
    if (count >= this.limitOf(name) && ttlMs > 0) throw rateLimited(ttlMs);
  }

  private limitOf(name: RateLimitName): number {
    return Math.max(1, Math.floor(RATE_LIMITS[name].limit * this.config.RATE_LIMIT_SCALE));
  }
}

const redisKey = (name: RateLimitName, key: string) => `ratelimit:${name}:${key}`;

/** RATE_LIMITED, telling the client to come back in `waitMs` (at least a second). */
export function rateLimited(waitMs: number, message = 'Too many attempts; try again later.'): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new DomainError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });
}
