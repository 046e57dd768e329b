-- Up Migration
-- Recent purges, read at every metrics scrape (purge lag, purges per second).
create index snaps_purged_at_idx on snaps (purged_at) where purged_at is not null;

-- Down Migration
drop index snaps_purged_at_idx;
