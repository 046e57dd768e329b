-- Up Migration
-- Snaps and their per-recipient delivery rows. Deadlines live here (PostgreSQL is the
-- source of truth); queues only make them fast.

create table snaps (
  id uuid primary key default gen_random_uuid(),
  sender_id uuid not null references users (id) on delete cascade,
  -- One media item serves one snap; cleared when the snap is purged.
  media_id uuid unique references media (id) on delete set null,
  kind text not null check (kind in ('image', 'video')),
  view_seconds integer not null check (view_seconds between 1 and 10),
  caption text,
  sent_at timestamptz not null default now(),
  expires_at timestamptz not null,
  withdrawn_at timestamptz,
  purged_at timestamptz
);
create index snaps_sender_idx on snaps (sender_id, sent_at desc, id desc);
create index snaps_unpurged_expiry_idx on snaps (expires_at) where purged_at is null;

create table snap_recipients (
  snap_id uuid not null references snaps (id) on delete cascade,
  recipient_id uuid not null references users (id) on delete cascade,
  state text not null check (state in ('pending', 'delivered', 'opened', 'expired', 'failed')),
  delivered_at timestamptz,
  opened_at timestamptz,
  screenshot_at timestamptz,
  primary key (snap_id, recipient_id)
);
create index snap_recipients_inbox_idx on snap_recipients (recipient_id) where state = 'delivered';

-- Down Migration
drop table snap_recipients;
drop table snaps;
