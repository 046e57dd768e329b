import type { JobsOptions } from 'bullmq';

/**
 * The one catalogue of queues, jobs and payloads. A producer can only enqueue a
 * job named here with its payload type, and the worker refuses to start unless
 * every job named here has exactly one handler.
 */
export const QUEUE_NAMES = ['maintenance'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
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

export const JOB_DEFINITIONS: { readonly [N in JobName]: JobDefinition } = {
  'storage.delete': { queue: 'maintenance', options: MUST_SUCCEED },
};

export const JOB_NAMES = Object.keys(JOB_DEFINITIONS) as JobName[];
