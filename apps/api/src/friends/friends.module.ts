import { Module } from '@nestjs/common';
import { UsersController } from '../users/users.controller';
import { UsersModule } from '../users/users.module';
import { BlocksController, FriendsController } from './friends.controller';
import { FriendsRepository } from './friends.repository';
import { FriendsService } from './friends.service';

@Module({
  imports: [UsersModule],
  controllers: [FriendsController, BlocksController, UsersController],
  providers: [FriendsService, FriendsRepository],
  exports: [FriendsService, FriendsRepository],
})
export class FriendsModule {}
