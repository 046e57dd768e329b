import type { Request } from 'express';

/** Who is calling: set by the AuthGuard on every non-public route. */
export interface AuthContext {
  userId: string;
  sessionId: string;
  /** When the access token that authenticated this call expires. */
  accessExpiresAt: Date;
}

export interface AuthedRequest extends Request {
  auth: AuthContext;
}
