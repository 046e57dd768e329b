import { Global, Module } from '@nestjs/common';
import { DatabaseService } from './database.service';
import { MediaRepository } from './repositories/media.repository';
import { SnapsRepository } from './repositories/snaps.repository';

@Global()
@Module({
  providers: [DatabaseService, MediaRepository, SnapsRepository],
  exports: [DatabaseService, MediaRepository, SnapsRepository],
})
export class DatabaseModule {}
