import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthContext } from '../auth/auth.types';
import { CurrentAuth } from '../auth/current-auth.decorator';
import { ApiErrorResponses } from '../common/dto/responses.dto';
import { RATE_LIMITS } from '../common/rate-limiter';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { CompleteUploadDto, CreateUploadDto, DirectUploadView, MediaView, UploadStatusView } from './dto/media.dto';
import { MAX_OPEN_UPLOADS, MediaService } from './media.service';
import { readMultipartFile } from './multipart-file';

const uploadRate = RATE_LIMITS['media-upload:user'];
/** The per-user upload rate, as the route descriptions state it. */
const UPLOADS_PER_WINDOW = `${uploadRate.limit} uploads per ${uploadRate.windowSeconds} s`;

@ApiTags('media')
@ApiBearerAuth()
@ApiErrorResponses()
@Controller('v1/media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Upload a photo or video as multipart/form-data (field `file`), streamed to storage.',
    description:
      'The type is decided from the bytes (415 otherwise); the size limit is enforced while streaming (413); ' +
      'a body that ends before the file does (or a connection that drops) is 422 UPLOAD_INCOMPLETE. ' +
      'Processing happens in the background: poll GET /v1/media/:id or wait for media:ready / media:failed. ' +
      `Each user may start ${UPLOADS_PER_WINDOW}, by this route and POST /v1/media/uploads together; past that ` +
      '429 RATE_LIMITED with Retry-After, before the body is read.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiAcceptedResponse({ type: MediaView })
  async upload(@CurrentAuth() caller: AuthContext, @Req() req: Request): Promise<MediaView> {
    return this.media.uploadStream(caller.userId, () => readMultipartFile(req, this.media.maxUploadBytes + 1));
  }

  @Post('uploads')
  @ApiOperation({
    summary: 'Start a direct-to-storage upload: one presigned PUT, or presigned S3 multipart for large files.',
    description:
      `At most ${MAX_OPEN_UPLOADS} uncompleted direct uploads per user at once; past that 429 RATE_LIMITED, with Retry-After ` +
      `until the oldest expires (completing one frees its place). Counts toward the ${UPLOADS_PER_WINDOW} of POST /v1/media.`,
  })
  @ApiCreatedResponse({ type: DirectUploadView })
  createUpload(@CurrentAuth() caller: AuthContext, @Body() body: CreateUploadDto): Promise<DirectUploadView> {
    return this.media.createDirectUpload(caller.userId, body.contentType, body.size);
  }

  @Get('uploads/:id')
  @ApiOperation({
    summary: 'Resume a direct upload: the parts storage holds and fresh URLs for the missing ones (extension).',
  })
  @ApiOkResponse({ type: UploadStatusView })
  uploadStatus(@CurrentAuth() caller: AuthContext, @Param('id', ParseIdPipe) id: string): Promise<UploadStatusView> {
    return this.media.uploadStatus(caller.userId, id);
  }

  @Post('uploads/:id/complete')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Finish a direct upload. Size and type are checked from the stored bytes (422 UPLOAD_INCOMPLETE, 415).',
  })
  @ApiAcceptedResponse({ type: MediaView })
  complete(
    @CurrentAuth() caller: AuthContext,
    @Param('id', ParseIdPipe) id: string,
    @Body() body: CompleteUploadDto,
  ): Promise<MediaView> {
    return this.media.complete(caller.userId, id, body.parts);
  }

  @Get(':id')
  @ApiOkResponse({ type: MediaView, description: 'Uploader only; 404 for anyone else.' })
  get(@CurrentAuth() caller: AuthContext, @Param('id', ParseIdPipe) id: string): Promise<MediaView> {
    return this.media.get(caller.userId, id);
  }
}
