import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NO_CONTROL_CHARS, ONE_LINE_TEXT } from '../../common/text';

export class SendSnapDto {
  @ApiProperty({ format: 'uuid', description: 'A ready or processing media item of yours, not used by another snap.' })
  @IsUUID()
  mediaId!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    isArray: true,
    minItems: 1,
    maxItems: 100,
    uniqueItems: true,
    description: 'Current friends only.',
  })
  // Ids compare without regard to case: one recipient named twice in two cases is a duplicate.
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id)) : value,
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  recipientIds!: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 10, description: "A video's own duration when longer." })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  viewSeconds?: number;

  @ApiPropertyOptional({ maxLength: 250, description: ONE_LINE_TEXT })
  @IsOptional()
  @IsString()
  @MaxLength(250)
  @Matches(NO_CONTROL_CHARS, { message: 'caption must not contain control or invisible formatting characters' })
  caption?: string;
}

export class SnapRecipientStateView {
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'opened', 'expired', 'failed'] }) state!: string;
}

export class SentSnapView {
  @ApiProperty() id!: string;
  @ApiProperty() sentAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ type: SnapRecipientStateView, isArray: true }) recipients!: SnapRecipientStateView[];
}

export class SnapSenderView {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
}

export class InboxItemView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: SnapSenderView }) sender!: SnapSenderView;
  @ApiProperty({ enum: ['image', 'video'] }) kind!: 'image' | 'video';
  @ApiProperty({ description: "The view window: the sender's viewSeconds, or a video's own length when longer." })
  viewSeconds!: number;
  @ApiProperty() sentAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ enum: ['delivered'] }) state!: string;
}

export class SentRecipientView extends SnapRecipientStateView {
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) openedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) screenshotAt!: string | null;
}

export class SentItemView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['image', 'video'] }) kind!: 'image' | 'video';
  @ApiProperty({ description: "The view window: the sender's viewSeconds, or a video's own length when longer." })
  viewSeconds!: number;
  @ApiProperty() sentAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ description: 'Withdrawn by the sender or purged: the content is gone.' }) purged!: boolean;
  @ApiProperty({ type: SentRecipientView, isArray: true }) recipients!: SentRecipientView[];
}

export class OpenedMediaView {
  @ApiProperty({ description: 'Presigned GET, valid ≤ 60 s.' }) url!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiPropertyOptional() durationMs?: number;
  @ApiProperty({ description: 'When the URL stops working.' }) expiresAt!: string;
}

export class OpenedPosterView {
  @ApiProperty() url!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() expiresAt!: string;
}

export class OpenedSnapView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['image', 'video'] }) kind!: 'image' | 'video';
  @ApiProperty({ description: "The view window: the sender's viewSeconds, or a video's own length when longer." })
  viewSeconds!: number;
  @ApiPropertyOptional() caption?: string;
  @ApiProperty({ type: OpenedMediaView }) media!: OpenedMediaView;
  @ApiPropertyOptional({ type: OpenedPosterView }) poster?: OpenedPosterView;
}
