import { Module } from '@nestjs/common';
import { MediaWorkerModule } from '../media/media-worker.module';
import { ExpirySweepProcessor, SnapPurgeProcessor } from './expiry.processors';
import { SnapPurger } from './snap-purger';
import { SweepScheduler } from './sweep-scheduler';

@Module({
  imports: [MediaWorkerModule],
  providers: [SnapPurger, SnapPurgeProcessor, ExpirySweepProcessor, SweepScheduler],
})
export class ExpiryWorkerModule {}
