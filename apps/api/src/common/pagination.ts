import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError, ErrorCode } from '@app/contracts';
import { KeysetPosition } from '@app/database';

/** `?limit=` (1–100, default 50) and `?cursor=` (API.md "Pagination"). */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A cursor names a keyset position: the sort timestamp and id of a page's last item. */
export type CursorKey = KeysetPosition;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.at.toISOString(), key.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    // Exactly what encodeCursor writes: a four-digit year, so the date is one PostgreSQL can hold.
    if (typeof at !== 'string' || !ISO_INSTANT.test(at) || typeof id !== 'string' || !UUID.test(id)) throw new Error();
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || date.toISOString() !== at) throw new Error();
    return { at: date, id };
  } catch {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The cursor is not valid.', {
      fields: [{ field: 'cursor', problems: ['is not a cursor this API issued'] }],
    });
  }
}

/** Builds a page from `limit + 1` rows fetched in order: the extra row only says there is more. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => CursorKey, view: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null,
  };
}

export const pageLimit = (query: PageQueryDto) => query.limit ?? 50;
