import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of the tables created by infra/migrations. Kept by hand beside the
 * SQL: a migration that changes a table changes its interface here too.
 */
type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string | null;
  password_hash: string;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  device_name: string | null;
  created_at: CreatedAt;
  last_used_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: ColumnType<Date, Date, Date>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  revoked_reason: string | null;
}

export interface RefreshTokensTable {
  token_hash: Buffer;
  session_id: string;
  created_at: CreatedAt;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface FriendRequestsTable {
  id: Generated<string>;
  from_user_id: string;
  to_user_id: string;
  created_at: CreatedAt;
}

export interface FriendshipsTable {
  user_a: string;
  user_b: string;
  created_at: CreatedAt;
}

export interface BlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: CreatedAt;
}

export type MediaStatus = 'uploading' | 'processing' | 'ready' | 'failed';
export type MediaKind = 'image' | 'video';
export type UploadMethod = 'stream' | 'put' | 'multipart';

export interface MediaTable {
  id: Generated<string>;
  owner_id: string;
  status: MediaStatus;
  upload_method: UploadMethod;
  upload_key: string;
  multipart_upload_id: string | null;
  declared_type: string | null;
  declared_size: ColumnType<string | null, number | null, number | null>;
  upload_expires_at: Date;
  kind: MediaKind | null;
  content_type: string | null;
  media_key: string | null;
  poster_key: string | null;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  placeholder: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: CreatedAt;
  /** When processing was asked for (uploading → processing), then when the sweep last checked its job. */
  processing_at: Date | null;
  processed_at: Date | null;
  attached_at: Date | null;
  /** Set once the original upload object is gone from storage. */
  upload_deleted_at: Date | null;
}

export type RecipientState = 'pending' | 'delivered' | 'opened' | 'expired' | 'failed';

export interface SnapsTable {
  id: Generated<string>;
  sender_id: string;
  media_id: string | null;
  kind: MediaKind;
  view_seconds: number;
  caption: string | null;
  sent_at: CreatedAt;
  expires_at: Date;
  purge_after: Date;
  withdrawn_at: Date | null;
  purged_at: Date | null;
}

export interface SnapRecipientsTable {
  snap_id: string;
  recipient_id: string;
  state: RecipientState;
  delivered_at: Date | null;
  opened_at: Date | null;
  screenshot_at: Date | null;
}

export interface ExpiredUploadsTable {
  id: string;
  owner_id: string;
  expired_at: Generated<Date>;
}

export interface Database {
  expired_uploads: ExpiredUploadsTable;
  snaps: SnapsTable;
  snap_recipients: SnapRecipientsTable;
  media: MediaTable;
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  friend_requests: FriendRequestsTable;
  friendships: FriendshipsTable;
  blocks: BlocksTable;
}
