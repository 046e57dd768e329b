import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '@app/observability';
import { QueueProducer } from '@app/queue';

/** Queue depths by state, read from Redis when Prometheus scrapes. */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly queues: QueueProducer,
  ) {}

  onModuleInit(): void {
    const queues = this.queues;
    new Gauge({
      name: 'ephemera_queue_jobs',
      help: 'Jobs in each queue by state.',
      labelNames: ['queue', 'state'] as const,
      registers: [this.metrics.registry],
      async collect() {
        this.reset();
        const counts = await queues.counts().catch(() => null);
        if (!counts) return;
        for (const [queue, byState] of Object.entries(counts)) {
          for (const [state, value] of Object.entries(byState)) this.set({ queue, state }, value);
        }
      },
    });
  }
}
