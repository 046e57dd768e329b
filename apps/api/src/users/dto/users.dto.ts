import { ApiProperty } from '@nestjs/swagger';

export class UserSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
}

export class PublicProfileView extends UserSummaryView {
  @ApiProperty() createdAt!: string;
}
