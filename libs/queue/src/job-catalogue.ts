import type { JobsOptions } from 'bullmq';

/**
 * The one catalogue of queues, jobs and payloads. A producer can only enqueue a
 * job named here with its payload type, and the worker refuses to start unless
 * every job named here has exactly one handler.
 */
export const QUEUE_NAMES = ['media', 'expiry', 'sweep', 'maintenance'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  /** Turns an upload into the served variants, or refuses it. */
  'media.process': { mediaId: string };
  /** Deletes an upload that was never completed or never attached to a snap. */
  'media.expire-upload': { mediaId: string };
  /** Purges one snap at its deadline: objects, content references, then recipients expired. */
  'snap.purge': { snapId: string };
  /** The safety net: purges whatever is past its deadline and not purged, whatever happened to the jobs. */
  'expiry.sweep': Record<string, never>;
  /** Lists storage and deletes objects that no media row names any more (the slow safety net). */
  'storage.reconcile': Record<string, never>;
  /** Deletes storage objects, retried until storage answers (used wherever bytes must go). */
  'storage.delete': { keys: string[]; reason: string };
}

export type JobName = keyof JobPayloads;

export interface JobDefinition {
  queue: QueueName;
  options: JobsOptions;
}

/** Deletion must retry with backoff and fail visibly, never silently drop. */
const MUST_SUCCEED: JobsOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 10000 },
  removeOnFail: { age: 7 * 86400, count: 10000 },
};

/** Processing retries transient failures (storage away) a few times; refusals are final. */
const PROCESS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 10000 },
  removeOnFail: { age: 7 * 86400, count: 10000 },
};

/**
 * A repeatable safety net leaves no completed job behind (it runs again soon).
 * Keep-limits apply to a queue's whole completed/failed list, so failures keep the
 * same limits as the jobs they share a queue with.
 */
const SWEEP: JobsOptions = {
  attempts: 1,
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86400, count: 10000 },
};

/** The one job of each kind per media or snap: ids that make a second enqueue a no-op. */
export const jobIds = {
  process: (mediaId: string) => `process-${mediaId}`,
  expireUpload: (mediaId: string) => `expire-upload-${mediaId}`,
  purge: (snapId: string) => `purge-${snapId}`,
};

export const JOB_DEFINITIONS: { readonly [N in JobName]: JobDefinition } = {
  'snap.purge': { queue: 'expiry', options: MUST_SUCCEED },
  'expiry.sweep': { queue: 'sweep', options: SWEEP },
  'media.process': { queue: 'media', options: PROCESS },
  'media.expire-upload': { queue: 'maintenance', options: MUST_SUCCEED },
  'storage.reconcile': { queue: 'maintenance', options: SWEEP },
  'storage.delete': { queue: 'maintenance', options: MUST_SUCCEED },
};

export const JOB_NAMES = Object.keys(JOB_DEFINITIONS) as JobName[];

/**
 * Jobs a queue runs at once in one worker process: media jobs hold decoded images or
 * ffmpeg processes, so they get their own, smaller bound; the sweep runs one at a time
 * on its own queue, so a backlog of purges or uploads can never hold it up.
 */
export function queueConcurrency(
  queue: QueueName,
  config: { MEDIA_CONCURRENCY: number; WORKER_CONCURRENCY: number },
): number {
  if (queue === 'media') return config.MEDIA_CONCURRENCY;
  if (queue === 'sweep') return 1;
  return config.WORKER_CONCURRENCY;
}
