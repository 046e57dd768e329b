-- Up Migration
-- The storage reconciliation asks, a page of listed keys at a time, which keys a media row
-- still names (MediaRepository.referencedKeys): without these, every page is a scan of the
-- whole table.
create index media_upload_key_idx on media (upload_key);
create index media_media_key_idx on media (media_key) where media_key is not null;
create index media_poster_key_idx on media (poster_key) where poster_key is not null;

-- Down Migration
drop index media_poster_key_idx;
drop index media_media_key_idx;
drop index media_upload_key_idx;
