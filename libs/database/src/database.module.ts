import { Global, Module } from '@nestjs/common';
import { DatabaseService } from './database.service';
import { MediaRepository } from './repositories/media.repository';

@Global()
@Module({ providers: [DatabaseService, MediaRepository], exports: [DatabaseService, MediaRepository] })
export class DatabaseModule {}
