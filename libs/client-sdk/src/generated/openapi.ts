/**
 * Generated from the API's OpenAPI spec (GET /docs-json) by libs/client-sdk/scripts/generate-types.mjs.
 * Do not edit: regenerate (see libs/client-sdk/README.md). An e2e test fails when it drifts.
 */

export interface paths {
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_live'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_ready'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign in; starts a new session (token family). Rate limited per IP and per username.
     * @description At most 30 logins per 60 s per client IP (429 RATE_LIMITED). At most 10 logins per 300 s per username (429 RATE_LIMITED).
     */
    post: operations['AuthController_login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AuthController_logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rotate a refresh token. A used token presented again → 401 TOKEN_REUSED and the session is revoked.
     * @description A token of a session that has already ended (revoked, signed out or expired) answers 401 UNAUTHENTICATED or TOKEN_EXPIRED however often it is sent. At most 60 refreshes per 60 s per client IP (429 RATE_LIMITED).
     */
    post: operations['AuthController_refresh'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/auth/register': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create an account and sign in (429 RATE_LIMITED per client IP).
     * @description At most 10 registrations per 600 s per client IP (429 RATE_LIMITED).
     */
    post: operations['AuthController_register'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/blocks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['BlocksController_list'];
    put?: never;
    post: operations['BlocksController_block'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/blocks/{userId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['BlocksController_unblock'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/friends': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['FriendsController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/friends/{userId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['FriendsController_remove'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/friends/requests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['FriendsController_requests'];
    put?: never;
    /**
     * Ask a user to be friends. If they already asked you, you become friends at once (200 {friend}).
     * @description At most 30 requests per 60 s per user (429 RATE_LIMITED).
     */
    post: operations['FriendsController_request'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/friends/requests/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['FriendsController_cancel'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/friends/requests/{id}/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['FriendsController_accept'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/friends/requests/{id}/decline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['FriendsController_decline'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['MeController_me'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/sessions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['MeController_sessions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me/sessions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['MeController_revoke'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/media': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Upload a photo or video as multipart/form-data (field `file`), streamed to storage.
     * @description The type is decided from the bytes (415 otherwise); the size limit is enforced while streaming (413); a body that ends before the file does (or a connection that drops) is 422 UPLOAD_INCOMPLETE. Processing happens in the background: poll GET /v1/media/:id or wait for media:ready / media:failed. Each user may start 60 uploads per 60 s, by this route and POST /v1/media/uploads together; past that 429 RATE_LIMITED with Retry-After, before the body is read.
     */
    post: operations['MediaController_upload'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/media/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['MediaController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/media/uploads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start a direct-to-storage upload: one presigned PUT, or presigned S3 multipart for large files.
     * @description At most 20 uncompleted direct uploads per user at once; past that 429 RATE_LIMITED, with Retry-After until the oldest expires (completing one frees its place). Counts toward the 60 uploads per 60 s of POST /v1/media.
     */
    post: operations['MediaController_createUpload'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/media/uploads/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Resume a direct upload: the parts storage holds and fresh URLs for the missing ones (extension). */
    get: operations['MediaController_uploadStatus'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/media/uploads/{id}/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Finish a direct upload. Size and type are checked from the stored bytes (422 UPLOAD_INCOMPLETE, 415). */
    post: operations['MediaController_complete'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/snaps': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a snap to 1–100 friends. Recipients get snap:received when the media is ready.
     * @description The media must be the caller's own, unused and not refused (409 MEDIA_NOT_READY otherwise); an upload past its one-hour deadline cannot be sent (410 UPLOAD_EXPIRED).
     */
    post: operations['SnapsController_send'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/snaps/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['SnapsController_withdraw'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/snaps/{id}/open': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Open a snap, once per recipient across all devices; returns presigned URLs valid ≤ 60 s.
     * @description Again → 410 SNAP_ALREADY_OPENED; after expiry → 410 SNAP_EXPIRED; not a recipient → 404.
     */
    post: operations['SnapsController_open'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/snaps/{id}/screenshot': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['SnapsController_screenshot'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/snaps/inbox': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Snaps you received and have not opened, newest first (unexpired only). */
    get: operations['SnapsController_inbox'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/snaps/sent': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Snaps you sent, with per-recipient state, openedAt and screenshotAt. */
    get: operations['SnapsController_sent'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{username}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['UsersController_profile'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    AuthView: {
      /** @description JWT for `Authorization: Bearer`. */
      accessToken: string;
      /** @description Access token lifetime in seconds. */
      expiresIn: number;
      /** @description Single use: each refresh returns a new one. */
      refreshToken: string;
      user: components['schemas']['UserView'];
    };
    BlockViewDto: {
      blockedAt: string;
      displayName: string | null;
      id: string;
      username: string;
    };
    CompletedPartDto: {
      etag: string;
      partNumber: number;
    };
    CompleteUploadDto: {
      /** @description For multipart uploads: the ETag of each part as storage returned it (checked if given). */
      parts?: components['schemas']['CompletedPartDto'][];
    };
    CreateUploadDto: {
      /**
       * @description Declared type, one of image/jpeg, image/png, image/webp, image/gif, video/mp4, video/quicktime, video/webm, video/x-matroska, application/octet-stream (any case; application/octet-stream when the type is not known, and the larger size limit applies); the stored bytes decide in the end.
       * @example video/mp4
       */
      contentType: string;
      /**
       * @description Exact size in bytes; the upload URLs are bound to it.
       * @example 52428800
       */
      size: number;
    };
    DirectUploadView: {
      /** @description After this the upload is refused (410 UPLOAD_EXPIRED) and deleted. */
      expiresAt: string;
      /** @description Single PUT: headers to send exactly. */
      headers?: {
        [key: string]: string;
      };
      id: string;
      /** @enum {string} */
      method?: 'PUT';
      parts?: components['schemas']['UploadPartView'][];
      /** @description Multipart: bytes per part (the last may be shorter). */
      partSize?: number;
      /** @description Single PUT: the presigned URL. */
      url?: string;
    };
    /**
     * @description Stable; switch on this.
     * @enum {string}
     */
    ErrorCode:
      | 'VALIDATION_FAILED'
      | 'UNAUTHENTICATED'
      | 'INVALID_CREDENTIALS'
      | 'TOKEN_EXPIRED'
      | 'TOKEN_REUSED'
      | 'FORBIDDEN'
      | 'NOT_FRIENDS'
      | 'BLOCKED'
      | 'NOT_FOUND'
      | 'METHOD_NOT_ALLOWED'
      | 'USERNAME_TAKEN'
      | 'ALREADY_FRIENDS'
      | 'REQUEST_EXISTS'
      | 'MEDIA_NOT_READY'
      | 'REQUEST_IN_PROGRESS'
      | 'SNAP_ALREADY_OPENED'
      | 'SNAP_EXPIRED'
      | 'UPLOAD_EXPIRED'
      | 'PAYLOAD_TOO_LARGE'
      | 'MEDIA_TOO_LARGE'
      | 'UNSUPPORTED_MEDIA_TYPE'
      | 'MEDIA_CORRUPT'
      | 'MEDIA_TOO_LONG'
      | 'UPLOAD_INCOMPLETE'
      | 'IDEMPOTENCY_KEY_REUSED'
      | 'RATE_LIMITED'
      | 'INTERNAL'
      | 'SERVICE_UNAVAILABLE';
    ErrorDetailView: {
      /** @description Stable; switch on this. */
      code: components['schemas']['ErrorCode'];
      /** @description e.g. the fields that failed. */
      details?: {
        [key: string]: unknown;
      };
      /** @description Human text; may change. */
      message: string;
    };
    ErrorResponseView: {
      error: components['schemas']['ErrorDetailView'];
      /** @description Also sent as the x-request-id header. */
      requestId: string;
    };
    FriendEnvelope: {
      friend: components['schemas']['FriendViewDto'];
    };
    FriendRequestViewDto: {
      createdAt: string;
      from: components['schemas']['UserSummaryView'];
      id: string;
      to: components['schemas']['UserSummaryView'];
    };
    FriendViewDto: {
      displayName: string | null;
      id: string;
      /** @description When the friendship began. */
      since: string;
      username: string;
    };
    InboxItemView: {
      expiresAt: string;
      id: string;
      /** @enum {string} */
      kind: 'image' | 'video';
      sender: components['schemas']['SnapSenderView'];
      sentAt: string;
      /** @enum {string} */
      state: 'delivered';
      /** @description The view window: the sender's viewSeconds, or a video's own length when longer. */
      viewSeconds: number;
    };
    LoginDto: {
      /** @description Shown in the session list. One line of text: control characters (line breaks and tabs included) and invisible formatting characters (bidi overrides and isolates, zero-width space, word joiner, U+2028/2029, byte-order mark) are refused with 400. */
      deviceName?: string;
      password: string;
      /** @example alice */
      username: string;
    };
    MediaFailureView: {
      code: string;
      message: string;
    };
    MediaView: {
      durationMs?: number;
      failure?: components['schemas']['MediaFailureView'];
      height?: number;
      id: string;
      /** @enum {string|null} */
      kind: 'image' | 'video' | null;
      /** @enum {string} */
      status: 'uploading' | 'processing' | 'ready' | 'failed';
      width?: number;
    };
    OpenedMediaView: {
      contentType: string;
      durationMs?: number;
      /** @description When the URL stops working. */
      expiresAt: string;
      height: number;
      /** @description Presigned GET, valid ≤ 60 s. */
      url: string;
      width: number;
    };
    OpenedPosterView: {
      contentType: string;
      expiresAt: string;
      url: string;
    };
    OpenedSnapView: {
      caption?: string;
      id: string;
      /** @enum {string} */
      kind: 'image' | 'video';
      media: components['schemas']['OpenedMediaView'];
      poster?: components['schemas']['OpenedPosterView'];
      /** @description The view window: the sender's viewSeconds, or a video's own length when longer. */
      viewSeconds: number;
    };
    PublicProfileView: {
      createdAt: string;
      displayName: string | null;
      id: string;
      username: string;
    };
    RefreshDto: {
      refreshToken: string;
    };
    RegisterDto: {
      /** @description Shown in the session list. One line of text: control characters (line breaks and tabs included) and invisible formatting characters (bidi overrides and isolates, zero-width space, word joiner, U+2028/2029, byte-order mark) are refused with 400. */
      deviceName?: string;
      /** @description One line of text: control characters (line breaks and tabs included) and invisible formatting characters (bidi overrides and isolates, zero-width space, word joiner, U+2028/2029, byte-order mark) are refused with 400. */
      displayName?: string;
      password: string;
      /**
       * @description 3–30 of a-z 0-9 . _ after NFKC + lower-casing; unique ignoring case.
       * @example alice
       */
      username: string;
    };
    SendSnapDto: {
      /** @description One line of text: control characters (line breaks and tabs included) and invisible formatting characters (bidi overrides and isolates, zero-width space, word joiner, U+2028/2029, byte-order mark) are refused with 400. */
      caption?: string;
      /**
       * Format: uuid
       * @description A ready or processing media item of yours, not used by another snap.
       */
      mediaId: string;
      /** @description Current friends only. */
      recipientIds: string[];
      /**
       * @description A video's own duration when longer.
       * @default 10
       */
      viewSeconds?: number;
    };
    SentItemView: {
      expiresAt: string;
      id: string;
      /** @enum {string} */
      kind: 'image' | 'video';
      /** @description Withdrawn by the sender or purged: the content is gone. */
      purged: boolean;
      recipients: components['schemas']['SentRecipientView'][];
      sentAt: string;
      /** @description The view window: the sender's viewSeconds, or a video's own length when longer. */
      viewSeconds: number;
    };
    SentRecipientView: {
      deliveredAt: string | null;
      openedAt: string | null;
      screenshotAt: string | null;
      /** @enum {string} */
      state: 'pending' | 'delivered' | 'opened' | 'expired' | 'failed';
      userId: string;
      username: string;
    };
    SentSnapView: {
      expiresAt: string;
      id: string;
      recipients: components['schemas']['SnapRecipientStateView'][];
      sentAt: string;
    };
    SessionView: {
      createdAt: string;
      /** @description The session of the token making this call. */
      current: boolean;
      deviceName: string | null;
      id: string;
      lastUsedAt: string;
    };
    SnapRecipientStateView: {
      /** @enum {string} */
      state: 'pending' | 'delivered' | 'opened' | 'expired' | 'failed';
      userId: string;
    };
    SnapSenderView: {
      id: string;
      username: string;
    };
    TokensView: {
      /** @description JWT for `Authorization: Bearer`. */
      accessToken: string;
      /** @description Access token lifetime in seconds. */
      expiresIn: number;
      /** @description Single use: each refresh returns a new one. */
      refreshToken: string;
    };
    UploadedPartView: {
      etag: string;
      partNumber: number;
      size: number;
    };
    UploadPartView: {
      partNumber: number;
      /** @description Presigned PUT for this part, bound to its exact length: `partSize` bytes, the rest of the file for the last part. */
      url: string;
    };
    UploadStatusView: {
      /** @description After this the upload is refused (410 UPLOAD_EXPIRED) and deleted. */
      expiresAt: string;
      /** @description Single PUT: headers to send exactly. */
      headers?: {
        [key: string]: string;
      };
      id: string;
      /** @enum {string} */
      method?: 'PUT';
      parts?: components['schemas']['UploadPartView'][];
      /** @description Multipart: bytes per part (the last may be shorter). */
      partSize?: number;
      /** @enum {string} */
      status: 'uploading' | 'processing' | 'ready' | 'failed';
      /** @description Multipart: parts storage already holds at their right length; `parts` then lists fresh URLs for the missing ones only (a part of another length counts as missing). */
      uploadedParts?: components['schemas']['UploadedPartView'][];
      /** @description Single PUT: the presigned URL. */
      url?: string;
    };
    UsernameDto: {
      /** @example bob */
      username: string;
    };
    UserSummaryView: {
      displayName: string | null;
      id: string;
      username: string;
    };
    UserView: {
      createdAt: string;
      displayName: string | null;
      id: string;
      username: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  HealthController_live: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The process runs. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok';
          };
        };
      };
    };
  };
  HealthController_ready: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description PostgreSQL, Redis and the S3 bucket answer. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description One entry per dependency (database, redis, storage). */
            checks: {
              [key: string]: {
                error?: string;
                /** @enum {string} */
                status: 'up' | 'down';
              };
            };
            /** @enum {string} */
            status: 'ok';
          };
        };
      };
      /** @description At least one dependency failed: details.failed names them, details.checks has every result. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  AuthController_login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['LoginDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuthView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  AuthController_logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RefreshDto'];
      };
    };
    responses: {
      /** @description Ends the refresh token's session; its sockets are disconnected. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  AuthController_refresh: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RefreshDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TokensView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  AuthController_register: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RegisterDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuthView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  BlocksController_list: {
    parameters: {
      query?: {
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of the users you blocked, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['BlockViewDto'][];
            /** @description Pass as `?cursor=` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  BlocksController_block: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UsernameDto'];
      };
    };
    responses: {
      /** @description Also ends the friendship and pending requests; hides each from the other. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  BlocksController_unblock: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        userId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  FriendsController_list: {
    parameters: {
      query?: {
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of friends, newest friendship first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['FriendViewDto'][];
            /** @description Pass as `?cursor=` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  FriendsController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        userId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  FriendsController_requests: {
    parameters: {
      query?: {
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        direction?: 'incoming' | 'outgoing';
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of requests, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['FriendRequestViewDto'][];
            /** @description Pass as `?cursor=` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  FriendsController_request: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UsernameDto'];
      };
    };
    responses: {
      /** @description They had asked you: now friends; they get friend:accepted. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FriendEnvelope'];
        };
      };
      /** @description The request; the other user gets friend:request. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FriendRequestViewDto'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  FriendsController_cancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Cancels a request you sent. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  FriendsController_accept: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The requester gets friend:accepted. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FriendEnvelope'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  FriendsController_decline: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  MeController_me: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  MeController_sessions: {
    parameters: {
      query?: {
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of the active sessions, newest sign-in first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['SessionView'][];
            /** @description Pass as `?cursor=` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  MeController_revoke: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked at once: its access token stops working for REST and sockets. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  MediaController_upload: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /** Format: binary */
          file: string;
        };
      };
    };
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MediaView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  MediaController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Uploader only; 404 for anyone else. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MediaView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  MediaController_createUpload: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateUploadDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DirectUploadView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  MediaController_uploadStatus: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UploadStatusView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  MediaController_complete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CompleteUploadDto'];
      };
    };
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MediaView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  SnapsController_send: {
    parameters: {
      query?: never;
      header?: {
        /** @description Optional, 1–255 visible ASCII characters (a UUID). Repeating the request with the same key within IDEMPOTENCY_TTL_SECONDS (1 hour) gets the first answer again, with `Idempotent-Replayed: true`, and does not act twice; a failed request runs again. While the first is still running: 409 REQUEST_IN_PROGRESS with Retry-After. The same key with another body: 422 IDEMPOTENCY_KEY_REUSED. */
        'Idempotency-Key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SendSnapDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SentSnapView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  SnapsController_withdraw: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Withdraws the snap: everything is deleted as at expiry. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  SnapsController_open: {
    parameters: {
      query?: never;
      header?: {
        /** @description Optional, 1–255 visible ASCII characters (a UUID). Repeating the request with the same key while its URLs are valid gets the first answer again, with `Idempotent-Replayed: true`, and does not act twice; a failed request runs again. While the first is still running: 409 REQUEST_IN_PROGRESS with Retry-After. The same key with another body: 422 IDEMPOTENCY_KEY_REUSED. */
        'Idempotency-Key'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenedSnapView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  SnapsController_screenshot: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The sender gets snap:screenshot (first screenshot only). */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  SnapsController_inbox: {
    parameters: {
      query?: {
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of received, unopened snaps, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['InboxItemView'][];
            /** @description Pass as `?cursor=` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  SnapsController_sent: {
    parameters: {
      query?: {
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of sent snaps with receipts, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['SentItemView'][];
            /** @description Pass as `?cursor=` for the next page; null on the last page. */
            nextCursor: string | null;
          };
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
  UsersController_profile: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        username: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description 404 when unknown or when either side blocked the other. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PublicProfileView'];
        };
      };
      /** @description An error: the status and `error.code` say which. 429 RATE_LIMITED and 503 SERVICE_UNAVAILABLE (the database, Redis or storage unreachable for now) send Retry-After; retry after it. 500 INTERNAL is a bug. */
      default: {
        headers: {
          /** @description Seconds to wait before trying again (429 RATE_LIMITED, 503 SERVICE_UNAVAILABLE). */
          'Retry-After'?: number;
          /** @description The request id, as in the body (every response). */
          'x-request-id'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorResponseView'];
        };
      };
    };
  };
}
