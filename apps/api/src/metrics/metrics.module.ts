import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { QueueMetrics } from './queue-metrics';

@Module({ controllers: [MetricsController], providers: [QueueMetrics] })
export class MetricsModule {}
