-- Up Migration
-- The purge deadline of a snap, kept in PostgreSQL so that losing Redis loses nothing:
-- expires_at at first, moved earlier when the last recipient's view window closes.
alter table snaps add column purge_after timestamptz;
update snaps set purge_after = expires_at;
alter table snaps alter column purge_after set not null;
drop index snaps_unpurged_expiry_idx;
-- The sweep's query: unpurged snaps past their deadline, cheapest first.
create index snaps_purge_due_idx on snaps (purge_after) where purged_at is null;

-- Down Migration
drop index snaps_purge_due_idx;
create index snaps_unpurged_expiry_idx on snaps (expires_at) where purged_at is null;
alter table snaps drop column purge_after;
