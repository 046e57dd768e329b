import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { FriendRequestView, FriendView } from '@app/realtime';
import { AuthContext } from '../auth/auth.types';
import { CurrentAuth } from '../auth/current-auth.decorator';
import { ApiErrorResponses, ApiPageResponse } from '../common/dto/responses.dto';
import { Page, pageLimit, PageQueryDto } from '../common/pagination';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { rateText } from '../common/rate-limiter';
import {
  BlockViewDto,
  FriendEnvelope,
  FriendRequestViewDto,
  FriendViewDto,
  RequestsQueryDto,
  UsernameDto,
} from './dto/friends.dto';
import { BlockView, FriendsService } from './friends.service';

@ApiTags('friends')
@ApiBearerAuth()
@ApiErrorResponses()
@Controller('v1/friends')
export class FriendsController {
  constructor(private readonly friends: FriendsService) {}

  @Post('requests')
  @ApiOperation({
    summary: 'Ask a user to be friends. If they already asked you, you become friends at once (200 {friend}).',
    description: rateText('friend-request:user', 'requests', 'user'),
  })
  @ApiCreatedResponse({ type: FriendRequestViewDto, description: 'The request; the other user gets friend:request.' })
  @ApiOkResponse({ type: FriendEnvelope, description: 'They had asked you: now friends; they get friend:accepted.' })
  async request(
    @CurrentAuth() caller: AuthContext,
    @Body() body: UsernameDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FriendRequestView | { friend: FriendView }> {
    const result = await this.friends.sendRequest(caller.userId, body.username);
    if (result.kind === 'friends') {
      res.status(200);
      return { friend: result.friend };
    }
    res.status(201);
    return result.request;
  }

  @Get('requests')
  @ApiPageResponse(FriendRequestViewDto, 'A page of requests, newest first.')
  requests(@CurrentAuth() caller: AuthContext, @Query() query: RequestsQueryDto): Promise<Page<FriendRequestView>> {
    return this.friends.listRequests(caller.userId, query.direction ?? 'incoming', pageLimit(query), query.cursor);
  }

  @Post('requests/:id/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: FriendEnvelope, description: 'The requester gets friend:accepted.' })
  async accept(
    @CurrentAuth() caller: AuthContext,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<{ friend: FriendView }> {
    return { friend: await this.friends.accept(caller.userId, id) };
  }

  @Post('requests/:id/decline')
  @HttpCode(204)
  @ApiNoContentResponse()
  decline(@CurrentAuth() caller: AuthContext, @Param('id', ParseIdPipe) id: string): Promise<void> {
    return this.friends.decline(caller.userId, id);
  }

  @Delete('requests/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Cancels a request you sent.' })
  cancel(@CurrentAuth() caller: AuthContext, @Param('id', ParseIdPipe) id: string): Promise<void> {
    return this.friends.cancel(caller.userId, id);
  }

  @Get()
  @ApiPageResponse(FriendViewDto, 'A page of friends, newest friendship first.')
  list(@CurrentAuth() caller: AuthContext, @Query() query: PageQueryDto): Promise<Page<FriendView>> {
    return this.friends.listFriends(caller.userId, pageLimit(query), query.cursor);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentAuth() caller: AuthContext, @Param('userId', ParseIdPipe) userId: string): Promise<void> {
    return this.friends.removeFriend(caller.userId, userId);
  }
}

@ApiTags('friends')
@ApiBearerAuth()
@ApiErrorResponses()
@Controller('v1/blocks')
export class BlocksController {
  constructor(private readonly friends: FriendsService) {}

  @Post()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Also ends the friendship and pending requests; hides each from the other.' })
  block(@CurrentAuth() caller: AuthContext, @Body() body: UsernameDto): Promise<void> {
    return this.friends.block(caller.userId, body.username);
  }

  @Get()
  @ApiPageResponse(BlockViewDto, 'A page of the users you blocked, newest first.')
  list(@CurrentAuth() caller: AuthContext, @Query() query: PageQueryDto): Promise<Page<BlockView>> {
    return this.friends.listBlocks(caller.userId, pageLimit(query), query.cursor);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiNoContentResponse()
  unblock(@CurrentAuth() caller: AuthContext, @Param('userId', ParseIdPipe) userId: string): Promise<void> {
    return this.friends.unblock(caller.userId, userId);
  }
}
