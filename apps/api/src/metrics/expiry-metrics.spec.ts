import type { SnapsRepository } from '@app/database';
import { MetricsService } from '@app/observability';
import type { RedisService } from '@app/redis';
import { ExpiryMetrics } from './expiry-metrics';

function setUp(purgeStats: () => Promise<unknown>) {
  const metrics = new MetricsService();
  const snaps = { purgeStats: jest.fn(purgeStats) } as unknown as SnapsRepository;
  const redis = { client: { get: jest.fn().mockResolvedValue('3') } } as unknown as RedisService;
  new ExpiryMetrics(metrics, snaps, redis).onModuleInit();
  return metrics;
}

describe('ExpiryMetrics', () => {
  it('exports the purge figures read from PostgreSQL and Redis', async () => {
    const metrics = setUp(async () => ({ lag: [0.01, 0.02, 0.05], count: 600, overdue: 0 }));
    const text = await metrics.registry.metrics();
    expect(text).toContain('ephemera_expiry_metrics_up 1');
    expect(text).toContain('ephemera_purges_per_second 2');
    expect(text).toContain('ephemera_sweep_findings_total 3');
    expect(text).toContain('ephemera_purge_lag_seconds{quantile="0.99"} 0.02');
  });

  it('still answers the scrape while the database is away, and says so', async () => {
    const metrics = setUp(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('ephemera_expiry_metrics_up 0');
    expect(text).toContain('ephemera_http_request_duration_seconds');
  });
});
