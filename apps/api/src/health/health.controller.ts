import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode } from '@app/contracts';
import { ErrorResponseView } from '../common/dto/responses.dto';
import { Public } from '../common/public.decorator';
import { HealthService } from './health.service';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'The process runs.',
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({
    description: 'PostgreSQL, Redis and the S3 bucket answer.',
    schema: {
      type: 'object',
      required: ['status', 'checks'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        checks: {
          type: 'object',
          description: 'One entry per dependency (database, redis, storage).',
          additionalProperties: {
            type: 'object',
            required: ['status'],
            properties: { status: { type: 'string', enum: ['up', 'down'] }, error: { type: 'string' } },
          },
        },
      },
    },
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseView,
    description: 'At least one dependency failed: details.failed names them, details.checks has every result.',
  })
  async ready() {
    const checks = await this.health.check();
    const down = Object.entries(checks)
      .filter(([, result]) => result.status === 'down')
      .map(([name]) => name);
    if (down.length > 0) {
      throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, `Not ready: ${down.join(', ')} unavailable.`, {
        failed: down,
        checks,
      });
    }
    return { status: 'ok', checks };
  }
}
