import { RawBuilder, sql, SqlBool } from 'kysely';

/** A keyset position: the sort timestamp and id of the last row of a page. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

/**
 * Rows after `position` in `(at desc, id desc)` order, as one row-value comparison,
 * which PostgreSQL answers from an index on the same two columns.
 */
export function keysetBefore(atColumn: string, idColumn: string, position: KeysetPosition): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(atColumn)}, ${sql.ref(idColumn)}) < (${position.at}, ${position.id}::uuid)`;
}
