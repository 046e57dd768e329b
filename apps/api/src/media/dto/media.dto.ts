import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DECLARABLE_CONTENT_TYPES } from '../declarable-types';

export class CreateUploadDto {
  @ApiProperty({
    example: 'video/mp4',
    description:
      `Declared type, one of ${DECLARABLE_CONTENT_TYPES.join(', ')} (any case; application/octet-stream when the ` +
      'type is not known, and the larger size limit applies); the stored bytes decide in the end.',
  })
  @IsString()
  @MaxLength(100)
  contentType!: string;

  @ApiProperty({ example: 52428800, minimum: 1, description: 'Exact size in bytes; the upload URLs are bound to it.' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  size!: number;
}

export class CompletedPartDto {
  @ApiProperty() @IsInt() @Min(1) @Max(10000) partNumber!: number;
  @ApiProperty() @IsString() @MaxLength(200) etag!: string;
}

export class CompleteUploadDto {
  @ApiPropertyOptional({
    type: CompletedPartDto,
    isArray: true,
    description: 'For multipart uploads: the ETag of each part as storage returned it (checked if given).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @ValidateNested({ each: true })
  @Type(() => CompletedPartDto)
  parts?: CompletedPartDto[];
}

export class UploadPartView {
  @ApiProperty() partNumber!: number;
  @ApiProperty({
    description:
      'Presigned PUT for this part, bound to its exact length: `partSize` bytes, the rest of the file for the last part.',
  })
  url!: string;
}

export class UploadedPartView {
  @ApiProperty() partNumber!: number;
  @ApiProperty() etag!: string;
  @ApiProperty() size!: number;
}

export class DirectUploadView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'After this the upload is refused (410 UPLOAD_EXPIRED) and deleted.' })
  expiresAt!: string;
  @ApiPropertyOptional({ enum: ['PUT'] }) method?: 'PUT';
  @ApiPropertyOptional({ description: 'Single PUT: the presigned URL.' }) url?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Single PUT: headers to send exactly.',
  })
  headers?: Record<string, string>;
  @ApiPropertyOptional({ description: 'Multipart: bytes per part (the last may be shorter).' }) partSize?: number;
  @ApiPropertyOptional({ type: UploadPartView, isArray: true }) parts?: UploadPartView[];
}

export class UploadStatusView extends DirectUploadView {
  @ApiProperty({ enum: ['uploading', 'processing', 'ready', 'failed'] }) status!: string;
  @ApiPropertyOptional({
    type: UploadedPartView,
    isArray: true,
    description:
      'Multipart: parts storage already holds at their right length; `parts` then lists fresh URLs for the missing ones only (a part of another length counts as missing).',
  })
  uploadedParts?: UploadedPartView[];
}

export class MediaFailureView {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

export class MediaView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['image', 'video'], nullable: true }) kind!: 'image' | 'video' | null;
  @ApiProperty({ enum: ['uploading', 'processing', 'ready', 'failed'] }) status!: string;
  @ApiPropertyOptional({ type: MediaFailureView }) failure?: MediaFailureView;
  @ApiPropertyOptional() width?: number;
  @ApiPropertyOptional() height?: number;
  @ApiPropertyOptional() durationMs?: number;
}
