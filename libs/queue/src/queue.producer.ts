import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Job, JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@app/config';
import { RedisService } from '@app/redis';
import { JOB_DEFINITIONS, jobIds, JobName, JobPayloads, QUEUE_NAMES, QueueName } from './job-catalogue';

export interface EnqueueOptions {
  /** A deterministic id de-duplicates: adding an id that exists is a no-op. No ':' allowed. */
  jobId?: string;
  delayMs?: number;
}

export type QueueCounts = Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed' | 'paused', number>;

/** Type-checked producers for every queue of the catalogue. */
@Injectable()
export class QueueProducer implements OnModuleDestroy {
  private readonly queues: ReadonlyMap<QueueName, Queue>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisService) {
    const connection = redis.connect({ maxRetriesPerRequest: 2 });
    this.queues = new Map(
      QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix: config.QUEUE_PREFIX })]),
    );
  }

  queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`unknown queue ${name}`);
    return queue;
  }

  allQueues(): Queue[] {
    return [...this.queues.values()];
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<Job> {
    const definition = JOB_DEFINITIONS[name];
    if (options.jobId !== undefined && (options.jobId.includes(':') || /^\d+$/.test(options.jobId))) {
      throw new Error(`job id ${options.jobId} must not contain ':' nor be a plain integer`);
    }
    const jobOptions: JobsOptions = { ...definition.options, jobId: options.jobId, delay: options.delayMs };
    return this.queue(definition.queue).add(name, payload, jobOptions);
  }

  /** A snap's purge job (`purge-<id>`), scheduled at its deadline or moved earlier to it. */
  schedulePurge(snapId: string, at: Date): Promise<void> {
    return this.scheduleAt('snap.purge', { snapId }, jobIds.purge(snapId), at);
  }

  /**
   * Schedules a job at `at`, or moves the already scheduled one to `at`: one job per id,
   * never duplicated. A job that is no longer delayed (running or done) is left alone.
   * Callers only ever move deadlines earlier, and handlers re-check the deadline kept
   * in PostgreSQL, so a stale schedule can only cost a retry, never an early purge.
   */
  async scheduleAt<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string, at: Date): Promise<void> {
    const delayMs = Math.max(0, at.getTime() - Date.now());
    const existing = await this.queue(JOB_DEFINITIONS[name].queue).getJob(jobId);
    if (!existing) {
      await this.enqueue(name, payload, { jobId, delayMs });
      return;
    }
    if (!(await existing.isDelayed())) return;
    try {
      await existing.changeDelay(delayMs);
    } catch {
      // It left the delayed set meanwhile (it is running): nothing to move.
    }
  }

  /**
   * Makes sure the job with this id will run: adds it again when Redis has none (it was
   * lost) or only a finished one, retries it when its attempts ran out. Answers what it did.
   */
  async ensure<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    jobId: string,
  ): Promise<'present' | 'added' | 'retried'> {
    const queue = this.queue(JOB_DEFINITIONS[name].queue);
    // One round trip while the job is still pending: a backlog checked every sweep stays cheap.
    const state = await queue.getJobState(jobId);
    if (state === 'failed') {
      await (await queue.getJob(jobId))?.retry('failed');
      return 'retried';
    }
    if (state === 'completed') await queue.remove(jobId);
    else if (state !== 'unknown') return 'present';
    await this.enqueue(name, payload, { jobId });
    return 'added';
  }

  async counts(): Promise<Record<QueueName, QueueCounts>> {
    const entries = await Promise.all(
      this.allQueues().map(async (queue) => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'paused');
        return [queue.name, counts as QueueCounts] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<QueueName, QueueCounts>;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.allQueues().map((queue) => queue.close()));
  }
}
