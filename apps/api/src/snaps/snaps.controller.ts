import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthContext } from '../auth/auth.types';
import { CurrentAuth } from '../auth/current-auth.decorator';
import { ApiErrorResponses, ApiPageResponse } from '../common/dto/responses.dto';
import { Page, pageLimit, PageQueryDto } from '../common/pagination';
import { Idempotent } from '../common/idempotency';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { InboxItemView, OpenedSnapView, SendSnapDto, SentItemView, SentSnapView } from './dto/snaps.dto';
import { SnapsService } from './snaps.service';

const secondsUntil = (iso: string) => (Date.parse(iso) - Date.now()) / 1000;

@ApiTags('snaps')
@ApiBearerAuth()
@ApiErrorResponses()
@Controller('v1/snaps')
export class SnapsController {
  constructor(private readonly snaps: SnapsService) {}

  @Post()
  @Idempotent((config) => config.IDEMPOTENCY_TTL_SECONDS, 'within IDEMPOTENCY_TTL_SECONDS (1 hour)')
  @ApiOperation({
    summary: 'Send a snap to 1–100 friends. Recipients get snap:received when the media is ready.',
    description:
      "The media must be the caller's own, unused and not refused (409 MEDIA_NOT_READY otherwise); " +
      'an upload past its one-hour deadline cannot be sent (410 UPLOAD_EXPIRED).',
  })
  @ApiCreatedResponse({ type: SentSnapView })
  send(@CurrentAuth() caller: AuthContext, @Body() body: SendSnapDto): Promise<SentSnapView> {
    return this.snaps.send(caller.userId, body);
  }

  @Get('inbox')
  @ApiOperation({ summary: 'Snaps you received and have not opened, newest first (unexpired only).' })
  @ApiPageResponse(InboxItemView, 'A page of received, unopened snaps, newest first.')
  inbox(@CurrentAuth() caller: AuthContext, @Query() query: PageQueryDto): Promise<Page<InboxItemView>> {
    return this.snaps.inbox(caller.userId, pageLimit(query), query.cursor);
  }

  @Get('sent')
  @ApiOperation({ summary: 'Snaps you sent, with per-recipient state, openedAt and screenshotAt.' })
  @ApiPageResponse(SentItemView, 'A page of sent snaps with receipts, newest first.')
  sent(@CurrentAuth() caller: AuthContext, @Query() query: PageQueryDto): Promise<Page<SentItemView>> {
    return this.snaps.sent(caller.userId, pageLimit(query), query.cursor);
  }

  @Post(':id/open')
  @HttpCode(200)
  // Replayed only while its URLs are valid: never past the recipient's access or the snap's expiry.
  @Idempotent((_, answer) => secondsUntil((answer as OpenedSnapView).media.expiresAt), 'while its URLs are valid')
  @ApiOperation({
    summary: 'Open a snap, once per recipient across all devices; returns presigned URLs valid ≤ 60 s.',
    description: 'Again → 410 SNAP_ALREADY_OPENED; after expiry → 410 SNAP_EXPIRED; not a recipient → 404.',
  })
  @ApiOkResponse({ type: OpenedSnapView })
  open(@CurrentAuth() caller: AuthContext, @Param('id', ParseIdPipe) id: string): Promise<OpenedSnapView> {
    return this.snaps.open(caller.userId, id);
  }

  @Post(':id/screenshot')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The sender gets snap:screenshot (first screenshot only).' })
  screenshot(@CurrentAuth() caller: AuthContext, @Param('id', ParseIdPipe) id: string): Promise<void> {
    return this.snaps.screenshot(caller.userId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Withdraws the snap: everything is deleted as at expiry.' })
  withdraw(@CurrentAuth() caller: AuthContext, @Param('id', ParseIdPipe) id: string): Promise<void> {
    return this.snaps.withdraw(caller.userId, id);
  }
}
