import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/dto/responses.dto';
import { AuthContext } from '../auth/auth.types';
import { CurrentAuth } from '../auth/current-auth.decorator';
import { FriendsService } from '../friends/friends.service';
import { PublicProfileView } from './dto/users.dto';

@ApiTags('accounts')
@ApiBearerAuth()
@ApiErrorResponses()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly friends: FriendsService) {}

  @Get(':username')
  @ApiOkResponse({ type: PublicProfileView, description: '404 when unknown or when either side blocked the other.' })
  async profile(@CurrentAuth() caller: AuthContext, @Param('username') username: string): Promise<PublicProfileView> {
    const user = await this.friends.visibleUser(caller.userId, username.slice(0, 64));
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      createdAt: user.createdAt.toISOString(),
    };
  }
}
