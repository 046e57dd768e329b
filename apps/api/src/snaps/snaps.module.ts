import { Module } from '@nestjs/common';
import { SnapsController } from './snaps.controller';
import { SnapsService } from './snaps.service';

@Module({ controllers: [SnapsController], providers: [SnapsService] })
export class SnapsModule {}
