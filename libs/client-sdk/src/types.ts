import type { components, paths } from './generated/openapi';

type Schemas = components['schemas'];

/** The JSON body an operation answers with for a status, read from the generated OpenAPI types. */
export type ResponseOf<
  P extends keyof paths,
  M extends 'get' | 'post' | 'delete',
  S extends number,
> = paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer T } } } } ? T : never;

/** The JSON body an operation accepts. */
export type RequestOf<P extends keyof paths, M extends 'post'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? T
  : never;

/** API.md "Pagination". */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export interface PageOptions {
  /** 1–100; the server's default is 50. */
  limit?: number;
  cursor?: string;
}

export type User = Schemas['UserView'];
export type AuthResult = Schemas['AuthView'];
export type Tokens = Schemas['TokensView'];
export type RegisterInput = Schemas['RegisterDto'];
export type LoginInput = Schemas['LoginDto'];
export type SessionInfo = Schemas['SessionView'];
export type PublicProfile = Schemas['PublicProfileView'];
export type UserSummary = Schemas['UserSummaryView'];
export type FriendRequest = Schemas['FriendRequestViewDto'];
export type Friend = Schemas['FriendViewDto'];
export type Block = Schemas['BlockViewDto'];
export type Media = Schemas['MediaView'];
export type MediaKind = 'image' | 'video';
export type DirectUpload = Schemas['DirectUploadView'];
export type UploadStatus = Schemas['UploadStatusView'];
export type CompletedPart = Schemas['CompletedPartDto'];
export type SendSnapInput = Schemas['SendSnapDto'];
export type SentSnap = Schemas['SentSnapView'];
export type InboxItem = Schemas['InboxItemView'];
export type SentItem = Schemas['SentItemView'];
export type OpenedSnapView = Schemas['OpenedSnapView'];
export type ErrorResponse = Schemas['ErrorResponseView'];

export type InboxPage = ResponseOf<'/v1/snaps/inbox', 'get', 200>;
export type SentPage = ResponseOf<'/v1/snaps/sent', 'get', 200>;
export type FriendsPage = ResponseOf<'/v1/friends', 'get', 200>;
export type FriendRequestsPage = ResponseOf<'/v1/friends/requests', 'get', 200>;
export type BlocksPage = ResponseOf<'/v1/blocks', 'get', 200>;
export type SessionsPage = ResponseOf<'/v1/me/sessions', 'get', 200>;
/** POST /v1/friends/requests: 201 with the request, or 200 `{friend}` when they had already asked you. */
export type FriendRequestResult = FriendRequest | ResponseOf<'/v1/friends/requests', 'post', 200>;
