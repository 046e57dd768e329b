import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiDefaultResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';

export class ErrorDetailView {
  @ApiProperty({ enum: Object.values(ErrorCode), enumName: 'ErrorCode', description: 'Stable; switch on this.' })
  code!: ErrorCode;
  @ApiProperty({ description: 'Human text; may change.' }) message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'e.g. the fields that failed.' })
  details?: Record<string, unknown>;
}

/** The body of every error response (API.md "Conventions"). */
export class ErrorResponseView {
  @ApiProperty({ type: ErrorDetailView }) error!: ErrorDetailView;
  @ApiProperty({ description: 'Also sent as the x-request-id header.' }) requestId!: string;
}

/** Documents API.md's error shape as the default response of every operation of a controller. */
export const ApiErrorResponses = () =>
  applyDecorators(
    ApiDefaultResponse({
      type: ErrorResponseView,
      description:
        'An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the ' +
        'database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug.',
      headers: {
        'x-request-id': { description: 'The request id, as in the body (every response).', schema: { type: 'string' } },
        'Retry-After': {
          description: 'Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE).',
          schema: { type: 'integer' },
        },
      },
    }),
  );

/** A `{items, nextCursor}` page of `model` (API.md "Pagination"). */
export const ApiPageResponse = (model: Type<unknown>, description = 'A page, newest first.') =>
  applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          nextCursor: {
            type: 'string',
            nullable: true,
            description: 'Pass as `?cursor=` for the next page; null on the last page.',
          },
        },
      },
    }),
  );
