-- Up Migration
-- When an upload's processing was asked for: the sweep makes sure that media still
-- processing after a while has its job (Redis may have lost it, or its retries may have
-- run out while storage was away).
alter table media add column processing_at timestamptz;
update media set processing_at = created_at where status = 'processing';
create index media_processing_idx on media (processing_at) where status = 'processing';

-- Down Migration
drop index media_processing_idx;
alter table media drop column processing_at;
