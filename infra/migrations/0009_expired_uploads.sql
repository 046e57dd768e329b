-- Up Migration
-- Uploads deleted because their time ran out, remembered for a day so that a late
-- complete or status request answers 410 UPLOAD_EXPIRED ("start a new upload") rather
-- than 404. Only ids and owners: nothing of the upload itself.
create table expired_uploads (
  id uuid primary key,
  owner_id uuid not null references users (id) on delete cascade,
  expired_at timestamptz not null default now()
);
create index expired_uploads_expired_at_idx on expired_uploads (expired_at);

-- Down Migration
drop table expired_uploads;
