import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
      message: `must use ${protocols.map((p) => p.replace(':', '')).join(' or ')}`,
    });
const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** The names Express's `trust proxy` takes for address ranges. */
const TRUSTED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
/** An address, a range name, or a subnet as address/prefix (or address/netmask). */
function isTrustEntry(entry: string): boolean {
  if (TRUSTED_RANGES.has(entry)) return true;
  const [address, mask, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (mask === undefined) return true;
  if (/^\d+$/.test(mask)) return Number(mask) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(mask) === 4;
}
/**
 * Express's `trust proxy`: `true`/`false`, a number of hops, or a comma-separated list of
 * addresses, subnets and range names. Checked here, so that a wrong value stops the process
 * with a message rather than being read as something else (a bare `1` as the address 0.0.0.1).
 */
const trustProxy = z
  .string()
  .min(1)
  .transform((value, ctx): boolean | number | string => {
    if (value === 'true' || value === 'false') return value === 'true';
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every(isTrustEntry)) return entries.join(',');
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must be true, false, a number of hops, or addresses, subnets and loopback/linklocal/uniquelocal',
    });
    return z.NEVER;
  });

/**
 * Every setting Ephemera reads, validated once at boot. Endpoints default to the
 * local stack that `npm start` brings up; credentials have no default here and
 * come from the environment (the local scripts load `.env.example`).
 */
/**
 * Every development credential this repository holds (.env.example, the compose file)
 * contains this mark; with NODE_ENV=production the app refuses to start with one, since
 * anyone can read them (a public JWT_SECRET lets anyone sign access tokens).
 */
export const DEV_CREDENTIAL_MARK = 'ephemera-dev';

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(3000),
    /** Largest JSON body the API parses; media goes through its own streaming path. */
    JSON_BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb')
      .default('100kb'),

    DATABASE_URL: url(['postgres:', 'postgresql:']),
    DATABASE_POOL_MAX: positiveInt.default(10),

    REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    /** One hash tag for every queue key, so a Redis Cluster keeps a queue on one slot. */
    QUEUE_PREFIX: z.string().min(1).default('{ephemera}'),

    S3_ENDPOINT: url(['http:', 'https:']).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')
      .default('ephemera'),
    S3_ACCESS_KEY_ID: z.string().min(1),
    S3_SECRET_ACCESS_KEY: z.string().min(1),
    /** Path-style addressing is what MinIO-like servers expect; AWS works either way. */
    S3_FORCE_PATH_STYLE: bool.default('true'),
    /**
     * A storage call that cannot connect, or whose connection goes quiet, for this long fails
     * (and is retried) instead of hanging the job, or the purge run the sweep waits for.
     */
    S3_TIMEOUT_MS: positiveInt.default(30000),

    /** HMAC key of access tokens (HS256). Rotating it signs every device out within ACCESS_TOKEN_TTL_SECONDS. */
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
    REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(30 * 86400),
    /** argon2id cost (OWASP's minimum profile: 19 MiB, 2 passes, 1 lane); see README "Passwords". */
    ARGON2_MEMORY_KIB: positiveInt.default(19456),
    ARGON2_TIME_COST: positiveInt.default(2),
    ARGON2_PARALLELISM: positiveInt.default(1),
    /** Multiplies every rate limit; 1 in production. Benchmarks raise it to measure the server, not the limiter. */
    RATE_LIMIT_SCALE: z.coerce.number().positive().default(1),
    /** Express "trust proxy": which hops may set X-Forwarded-For (the client IP rate limits key on). */
    TRUST_PROXY: trustProxy.default('loopback'),

    /** API.md "Limits": bytes per upload by kind, decoded pixels, video length. */
    MEDIA_MAX_IMAGE_BYTES: positiveInt.default(20 * 1024 * 1024),
    MEDIA_MAX_VIDEO_BYTES: positiveInt.default(100 * 1024 * 1024),
    MEDIA_MAX_IMAGE_PIXELS: positiveInt.default(50_000_000),
    MEDIA_MAX_VIDEO_SECONDS: positiveInt.default(60),
    /**
     * Media jobs one worker runs at once: each may hold a decoded image or an ffmpeg process.
     * One per core keeps the cores decoding; one more overlaps a job's storage round trips.
     */
    MEDIA_CONCURRENCY: positiveInt.default(availableParallelism() + 1),
    /** How long an upload may stay unfinished or unattached to a snap before it is deleted. */
    UPLOAD_TTL_SECONDS: positiveInt.default(3600),

    SNAP_TTL_SECONDS: positiveInt.default(86400),
    /** Lifetime of the presigned media URLs that `open` returns (API.md: ≤ 60 s). */
    SNAP_URL_TTL_SECONDS: z.coerce.number().int().min(1).max(60).default(60),
    VIEW_GRACE_SECONDS: z.coerce.number().int().min(0).default(30),
    /**
     * How long a send's answer is kept for its Idempotency-Key: long enough for a client to
     * repeat a send whose answer it lost, short enough that Redis (no eviction) does not
     * hold a day of them.
     */
    IDEMPOTENCY_TTL_SECONDS: positiveInt.default(3600),

    /** How often the expiry sweep looks for anything past its deadline (the safety net behind the jobs). */
    SWEEP_INTERVAL_SECONDS: positiveInt.default(5),
    /**
     * Media still processing this long after processing was asked for has its job checked by
     * the sweep: added again if Redis lost it, retried if its attempts ran out.
     */
    PROCESSING_CHECK_SECONDS: positiveInt.default(120),
    /** Content-free receipts (who sent what to whom, when, state) are kept this long after a purge. */
    RECEIPT_RETENTION_DAYS: positiveInt.default(30),
    /** The storage reconciliation: how often, and how old an unreferenced object must be to go. */
    RECONCILE_INTERVAL_SECONDS: positiveInt.default(3600),
    RECONCILE_GRACE_SECONDS: z.coerce.number().int().min(0).default(3600),

    ADMIN_USER: z.string().min(1).default('admin'),
    ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),

    WORKER_CONCURRENCY: positiveInt.default(4),
    SHUTDOWN_TIMEOUT_MS: positiveInt.default(10000),
    /** Where a worker serves its own /metrics (job durations, delivery latency) on HOST; 0 turns it off. */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV !== 'production') return;
    const secrets = {
      JWT_SECRET: config.JWT_SECRET,
      ADMIN_PASSWORD: config.ADMIN_PASSWORD,
      S3_SECRET_ACCESS_KEY: config.S3_SECRET_ACCESS_KEY,
      DATABASE_URL: URL.canParse(config.DATABASE_URL) ? decodeURIComponent(new URL(config.DATABASE_URL).password) : '',
    };
    for (const [name, value] of Object.entries(secrets)) {
      if (value?.includes(DEV_CREDENTIAL_MARK)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [name],
          message: 'must not be a development credential in production',
        });
      }
    }
  });

export type AppConfig = Readonly<z.infer<typeof configSchema>>;
