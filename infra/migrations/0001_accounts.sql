-- Up Migration
-- Accounts, sessions (one refresh-token family per login) and the friend graph.

create table users (
  id uuid primary key default gen_random_uuid(),
  -- NFKC-normalised and lower-cased by the API, so a plain unique index is unique without regard to case.
  username text not null unique check (username ~ '^[a-z0-9._]{3,30}$'),
  display_name text,
  password_hash text not null,
  created_at timestamptz not null default now()
);

create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  device_name text,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text
);
create index sessions_user_idx on sessions (user_id) where revoked_at is null;

-- Refresh tokens are stored as SHA-256 digests; a used one that comes back revokes its session (family).
create table refresh_tokens (
  token_hash bytea primary key,
  session_id uuid not null references sessions (id) on delete cascade,
  created_at timestamptz not null default now(),
  used_at timestamptz
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);

create table friend_requests (
  id uuid primary key default gen_random_uuid(),
  from_user_id uuid not null references users (id) on delete cascade,
  to_user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  unique (from_user_id, to_user_id),
  check (from_user_id <> to_user_id)
);
create index friend_requests_to_idx on friend_requests (to_user_id, created_at desc);

-- One row per friendship, stored once with the smaller id first.
create table friendships (
  user_a uuid not null references users (id) on delete cascade,
  user_b uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (user_a, user_b),
  check (user_a < user_b)
);
create index friendships_b_idx on friendships (user_b);

create table blocks (
  blocker_id uuid not null references users (id) on delete cascade,
  blocked_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (blocker_id, blocked_id),
  check (blocker_id <> blocked_id)
);
create index blocks_blocked_idx on blocks (blocked_id);

-- Down Migration
drop table blocks;
drop table friendships;
drop table friend_requests;
drop table refresh_tokens;
drop table sessions;
drop table users;
