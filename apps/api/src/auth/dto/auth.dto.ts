import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { NO_CONTROL_CHARS, ONE_LINE_TEXT } from '../../common/text';
import { normalizeUsername, USERNAME_PATTERN } from '../username';

const normalize = ({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeUsername(value) : value);

export class RegisterDto {
  @ApiProperty({
    example: 'alice',
    minLength: 3,
    maxLength: 30,
    description: '3–30 of a-z 0-9 . _ after NFKC + lower-casing; unique ignoring case.',
  })
  @Transform(normalize)
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 3–30 of a-z 0-9 . _' })
  username!: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  password!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 50, description: ONE_LINE_TEXT })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  @Matches(NO_CONTROL_CHARS, { message: 'displayName must not contain control or invisible formatting characters' })
  displayName?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: `Shown in the session list. ${ONE_LINE_TEXT}` })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARS, { message: 'deviceName must not contain control or invisible formatting characters' })
  deviceName?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'alice', maxLength: 64 })
  @Transform(normalize)
  @IsString()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ maxLength: 128 })
  @IsString()
  @MaxLength(128)
  password!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: `Shown in the session list. ${ONE_LINE_TEXT}` })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARS, { message: 'deviceName must not contain control or invisible formatting characters' })
  deviceName?: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  refreshToken!: string;
}

export class UserView {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) displayName!: string | null;
  @ApiProperty() createdAt!: string;
}

export class TokensView {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer`.' }) accessToken!: string;
  @ApiProperty({ description: 'Single use: each refresh returns a new one.' }) refreshToken!: string;
  @ApiProperty({ description: 'Access token lifetime in seconds.' }) expiresIn!: number;
}

export class AuthView extends TokensView {
  @ApiProperty({ type: UserView }) user!: UserView;
}

export class SessionView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) deviceName!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() lastUsedAt!: string;
  @ApiProperty({ description: 'The session of the token making this call.' }) current!: boolean;
}
