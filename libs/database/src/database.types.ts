/**
 * Row types of the tables created by infra/migrations. Kept by hand beside the
 * SQL: a migration that changes a table changes its interface here too.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}
