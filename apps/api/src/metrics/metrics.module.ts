import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { ExpiryMetrics } from './expiry-metrics';
import { QueueMetrics } from './queue-metrics';

@Module({ controllers: [MetricsController], providers: [QueueMetrics, ExpiryMetrics] })
export class MetricsModule {}
