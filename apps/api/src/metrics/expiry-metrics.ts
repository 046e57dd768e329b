import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { SnapsRepository } from '@app/database';
import { MetricsService, SWEEP_FINDINGS_KEY } from '@app/observability';
import { RedisService } from '@app/redis';

/** The window the purge figures cover: long enough for a few scrapes, short enough to show change. */
const WINDOW_SECONDS = 300;
const QUANTILES = ['0.5', '0.99', '1'];

/**
 * Deletion is measured, not hoped for. Read at scrape time from PostgreSQL (the
 * purge deadlines and times) and Redis (the sweep's findings), so the figures
 * cover every worker without workers being scraped. While PostgreSQL or Redis is away the
 * scrape still answers, with every other metric: these keep their last values and
 * `ephemera_expiry_metrics_up` says 0.
 */
@Injectable()
export class ExpiryMetrics implements OnModuleInit {
  private readonly logger = new Logger(ExpiryMetrics.name);

  constructor(
    private readonly metrics: MetricsService,
    private readonly snaps: SnapsRepository,
    private readonly redis: RedisService,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    // One scrape reads everything once; every gauge's collect waits for the same read.
    let pending: Promise<void> | undefined;
    const collect = () =>
      (pending ??= this.read()
        .then(
          (figures) => {
            lag.reset();
            figures.lag?.forEach((value, i) => lag.set({ quantile: QUANTILES[i] }, value));
            rate.set(figures.count / WINDOW_SECONDS);
            overdue.set(figures.overdue);
            findings.set(figures.findings);
            up.set(1);
          },
          (error: unknown) => {
            up.set(0);
            this.logger.warn({ err: error }, 'purge figures could not be read for this scrape');
          },
        )
        .finally(() => (pending = undefined)));
    const up = new Gauge({
      name: 'ephemera_expiry_metrics_up',
      help: 'Whether the purge figures were read at this scrape (0: PostgreSQL or Redis away; they keep their last values).',
      registers,
      collect,
    });
    const lag = new Gauge({
      name: 'ephemera_purge_lag_seconds',
      help: `Purge time minus purge deadline, quantiles over the last ${WINDOW_SECONDS} s.`,
      labelNames: ['quantile'] as const,
      registers,
      collect,
    });
    const rate = new Gauge({
      name: 'ephemera_purges_per_second',
      help: `Snaps purged per second, averaged over the last ${WINDOW_SECONDS} s.`,
      registers,
      collect,
    });
    const overdue = new Gauge({
      name: 'ephemera_purges_overdue',
      help: 'Snaps past their purge deadline and not purged yet (should stay near 0).',
      registers,
      collect,
    });
    const findings = new Gauge({
      name: 'ephemera_sweep_findings_total',
      help: 'Items the safety-net sweep found past their deadline (growth means the fast path missed).',
      registers,
      collect,
    });
  }

  private async read() {
    const [stats, found] = await Promise.all([
      this.snaps.purgeStats(WINDOW_SECONDS),
      this.redis.client.get(SWEEP_FINDINGS_KEY),
    ]);
    return { ...stats, findings: Number(found ?? 0) };
  }
}
