import { Module } from '@nestjs/common';
import { MediaWorkerModule } from '../media/media-worker.module';
import { ExpirySweepProcessor, SnapPurgeProcessor } from './expiry.processors';
import { SnapPurger } from './snap-purger';

@Module({
  imports: [MediaWorkerModule],
  providers: [SnapPurger, SnapPurgeProcessor, ExpirySweepProcessor],
})
export class ExpiryWorkerModule {}
