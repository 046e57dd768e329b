import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { LoggerModule, ObservabilityModule } from '@app/observability';
import { QueueModule } from '@app/queue';
import { RedisModule } from '@app/redis';
import { StorageModule } from '@app/storage';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(config, 'api'),
        ObservabilityModule,
        DatabaseModule,
        RedisModule,
        StorageModule,
        QueueModule,
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
