import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { UserSummaryView } from '../../users/dto/users.dto';

export class UsernameDto {
  @ApiProperty({ example: 'bob' })
  @IsString()
  @Length(1, 64)
  username!: string;
}

export class RequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['incoming', 'outgoing'], default: 'incoming' })
  @IsOptional()
  @IsIn(['incoming', 'outgoing'])
  direction?: 'incoming' | 'outgoing';
}

export class FriendRequestViewDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: UserSummaryView }) from!: UserSummaryView;
  @ApiProperty({ type: UserSummaryView }) to!: UserSummaryView;
  @ApiProperty() createdAt!: string;
}

export class FriendViewDto extends UserSummaryView {
  @ApiProperty({ description: 'When the friendship began.' }) since!: string;
}

export class FriendEnvelope {
  @ApiProperty({ type: FriendViewDto }) friend!: FriendViewDto;
}

export class BlockViewDto extends UserSummaryView {
  @ApiProperty() blockedAt!: string;
}
