-- Up Migration
-- Uploaded media: one row per upload, processed once, used by at most one snap.
-- Storage keys are random and reveal nothing about the user or the file.

create table media (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references users (id) on delete cascade,
  status text not null check (status in ('uploading', 'processing', 'ready', 'failed')),
  -- How the bytes arrive: streamed through the API, one presigned PUT, or presigned multipart.
  upload_method text not null check (upload_method in ('stream', 'put', 'multipart')),
  upload_key text not null,
  multipart_upload_id text,
  declared_type text,
  declared_size bigint,
  upload_expires_at timestamptz not null,
  kind text check (kind in ('image', 'video')),
  content_type text,
  media_key text,
  poster_key text,
  width integer,
  height integer,
  duration_ms integer,
  placeholder text,
  failure_code text,
  failure_message text,
  created_at timestamptz not null default now(),
  processed_at timestamptz,
  -- Set when a snap takes the media; until then the upload expires with upload_expires_at.
  attached_at timestamptz
);
create index media_owner_idx on media (owner_id, created_at desc);
-- The cleanup sweep's query: unattached uploads past their deadline.
create index media_unattached_deadline_idx on media (upload_expires_at) where attached_at is null;

-- Down Migration
drop table media;
