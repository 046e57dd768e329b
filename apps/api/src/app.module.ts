import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { LoggerModule, ObservabilityModule } from '@app/observability';
import { QueueModule } from '@app/queue';
import { RealtimeModule } from '@app/realtime';
import { RedisModule } from '@app/redis';
import { StorageModule } from '@app/storage';
import { AuthModule } from './auth/auth.module';
import { CommonModule } from './common/common.module';
import { FriendsModule } from './friends/friends.module';
import { HealthModule } from './health/health.module';
import { MediaModule } from './media/media.module';
import { MetricsModule } from './metrics/metrics.module';
import { RealtimeGatewayModule } from './realtime/realtime-gateway.module';
import { SnapsModule } from './snaps/snaps.module';

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
        RealtimeModule,
        CommonModule,
        HealthModule,
        MetricsModule,
        AuthModule,
        FriendsModule,
        MediaModule,
        SnapsModule,
        RealtimeGatewayModule,
      ],
    };
  }
}
