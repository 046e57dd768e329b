import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * One Prometheus registry per process. Modules register their own instruments
 * through `registry`; the API serves it at /metrics, a worker at
 * WORKER_METRICS_PORT.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'ephemera_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /** Observed by the worker host around every job. */
  readonly jobDuration = new Histogram({
    name: 'ephemera_job_duration_seconds',
    help: 'How long jobs ran in this worker, by queue, job and outcome (completed, failed, or delayed to run again).',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  /** From POST /v1/snaps to snap:received published to the recipients (by the API, or by the worker when the media was still processing). */
  readonly deliveryLatency = new Histogram({
    name: 'ephemera_delivery_latency_seconds',
    help: 'From a snap being sent to snap:received being published to its recipients (includes media processing when the snap was sent early).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ephemera_' });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
