import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, JobPayloads } from './job-catalogue';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/** A job's handler: its payload, the BullMQ job and the worker's lock token on it (for moveToDelayed). */
export type JobHandlerFn<N extends JobName> = (
  payload: JobPayloads[N],
  job: Job<JobPayloads[N]>,
  token?: string,
) => Promise<unknown>;

/**
 * Marks a provider method as the handler of one catalogue job. The method's
 * parameter type must match the job's payload, checked by the compiler.
 */
export function JobHandler<N extends JobName>(name: N) {
  return <F extends JobHandlerFn<N>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<F>) => {
    SetMetadata(JOB_HANDLER, name)(target, key, descriptor);
  };
}
