import { Body, Controller, Delete, Get, HttpCode, Ip, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorResponses, ApiPageResponse } from '../common/dto/responses.dto';
import { Page, pageLimit, PageQueryDto } from '../common/pagination';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { Public } from '../common/public.decorator';
import { rateText } from '../common/rate-limiter';
import { UsersRepository } from '../users/users.repository';
import { DomainError, ErrorCode } from '@app/contracts';
import { AuthService, toUserView } from './auth.service';
import { AuthContext } from './auth.types';
import { CurrentAuth } from './current-auth.decorator';
import { AuthView, LoginDto, RefreshDto, RegisterDto, SessionView, TokensView, UserView } from './dto/auth.dto';

@ApiTags('accounts')
@ApiErrorResponses()
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('register')
  @ApiOperation({
    summary: 'Create an account and sign in (429 RATE_LIMITED per client IP).',
    description: rateText('register:ip', 'registrations', 'client IP'),
  })
  @ApiCreatedResponse({ type: AuthView })
  register(@Body() body: RegisterDto, @Ip() ip: string): Promise<AuthView> {
    return this.auth.register(body, ip);
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in; starts a new session (token family). Rate limited per IP and per username.',
    description: `${rateText('login:ip', 'logins', 'client IP')} ${rateText('login:username', 'logins', 'username')}`,
  })
  @ApiOkResponse({ type: AuthView })
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<AuthView> {
    return this.auth.login(body, ip);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate a refresh token. A used token presented again → 401 TOKEN_REUSED and the session is revoked.',
    description:
      'A token of a session that has already ended (revoked, signed out or expired) answers 401 UNAUTHENTICATED ' +
      `or TOKEN_EXPIRED however often it is sent. ${rateText('refresh:ip', 'refreshes', 'client IP')}`,
  })
  @ApiOkResponse({ type: TokensView })
  refresh(@Body() body: RefreshDto, @Ip() ip: string): Promise<TokensView> {
    return this.auth.refresh(body.refreshToken, ip);
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: "Ends the refresh token's session; its sockets are disconnected." })
  async logout(@CurrentAuth() caller: AuthContext, @Body() body: RefreshDto): Promise<void> {
    await this.auth.logout(caller.userId, body.refreshToken);
  }
}

@ApiTags('accounts')
@ApiBearerAuth()
@ApiErrorResponses()
@Controller('v1/me')
export class MeController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
  ) {}

  @Get()
  @ApiOkResponse({ type: UserView })
  async me(@CurrentAuth() caller: AuthContext): Promise<UserView> {
    const user = await this.users.findById(caller.userId);
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This account no longer exists.');
    return toUserView(user);
  }

  @Get('sessions')
  @ApiPageResponse(SessionView, 'A page of the active sessions, newest sign-in first.')
  sessions(@CurrentAuth() caller: AuthContext, @Query() query: PageQueryDto): Promise<Page<SessionView>> {
    return this.auth.listSessions(caller.userId, caller.sessionId, pageLimit(query), query.cursor);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked at once: its access token stops working for REST and sockets.' })
  async revoke(@CurrentAuth() caller: AuthContext, @Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.auth.revokeSession(caller.userId, id);
  }
}
