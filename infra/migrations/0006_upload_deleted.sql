-- Up Migration
-- When the original upload object was deleted (processing ended, either way). A purge
-- deletes the original only while this is null, so a processed snap costs one key.
alter table media add column upload_deleted_at timestamptz;

-- Down Migration
alter table media drop column upload_deleted_at;
