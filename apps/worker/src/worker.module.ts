import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { LoggerModule, ObservabilityModule } from '@app/observability';
import { QueueModule, WorkerHostModule } from '@app/queue';
import { RealtimeModule } from '@app/realtime';
import { RedisModule } from '@app/redis';
import { StorageModule } from '@app/storage';
import { ExpiryWorkerModule } from './expiry/expiry-worker.module';
import { MediaWorkerModule } from './media/media-worker.module';
import { JobSchedules } from './job-schedules';
import { WorkerMetricsServer } from './metrics-server';
import { RedisTimingCheck } from './redis-timing.check';
import { StorageDeleteProcessor } from './storage/storage-delete.processor';
import { StorageReconcileProcessor } from './storage/storage-reconcile.processor';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(config, 'worker'),
        ObservabilityModule,
        DatabaseModule,
        RedisModule,
        StorageModule,
        QueueModule,
        RealtimeModule,
        WorkerHostModule,
        MediaWorkerModule,
        ExpiryWorkerModule,
      ],
      providers: [
        StorageDeleteProcessor,
        StorageReconcileProcessor,
        JobSchedules,
        WorkerMetricsServer,
        RedisTimingCheck,
      ],
    };
  }
}
