import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { DomainError, ErrorCode } from '@app/contracts';
import { sessionRoom, userRoom } from '@app/realtime';
import { AuthGuard } from '../auth/auth.guard';
import { AuthContext } from '../auth/auth.types';
import { toApiError } from '../common/all-exceptions.filter';

/** setTimeout's longest delay; a longer-lived token's socket is closed then, and reconnects. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface SocketData {
  auth: AuthContext;
}

/**
 * The socket.io endpoint. Clients authenticate in the handshake (`auth.token`);
 * a missing, bad or expired token is refused at connect with `UNAUTHENTICATED`
 * (and `data.code` says which, e.g. TOKEN_EXPIRED, so clients know to refresh);
 * one that cannot be checked for now, with `SERVICE_UNAVAILABLE` and
 * `data.retryAfter` (seconds), so clients come back later instead of giving up.
 * Each socket joins its user's room and its session's room; events are
 * published to rooms by RealtimePublisher, never from here. The server closes a
 * socket when its access token expires or its session is revoked.
 */
@WebSocketGateway()
export class EventsGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(EventsGateway.name);

  constructor(private readonly guard: AuthGuard) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const token: unknown = socket.handshake.auth?.token;
      this.guard
        .authenticate(typeof token === 'string' ? token : undefined)
        .then((auth) => {
          (socket.data as SocketData).auth = auth;
          next();
        })
        .catch((error: unknown) => {
          // A refused token says UNAUTHENTICATED (data.code tells which); a token that could not be
          // checked (the database or Redis away) says SERVICE_UNAVAILABLE, with the seconds to wait.
          const { code, message, retryAfter } = toApiError(error);
          const refusal = new Error(error instanceof DomainError ? ErrorCode.UNAUTHENTICATED : code) as Error & {
            data?: unknown;
          };
          refusal.data = { code, message, ...(retryAfter === undefined ? {} : { retryAfter }) };
          if (!(error instanceof DomainError)) this.logger.warn({ err: error }, 'socket authentication failed');
          next(refusal);
        });
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const { auth } = socket.data as SocketData;
    await socket.join([userRoom(auth.userId), sessionRoom(auth.sessionId)]);
    // A socket is good for as long as the token that opened it: it is closed when the token
    // expires, and clients reconnect with a fresh one (the SDK does), so a stolen token's
    // socket does not outlive it.
    const expiry = setTimeout(
      () => socket.disconnect(true),
      Math.min(MAX_TIMER_MS, Math.max(0, auth.accessExpiresAt.getTime() - Date.now())),
    );
    socket.once('disconnect', () => clearTimeout(expiry));
    // A session revoked between the handshake and the join sent its disconnect to rooms this
    // socket was not in yet. Nothing awaits this method, so no failure may escape it: a session
    // that cannot be checked now (the database away) closes the socket, and the client reconnects.
    try {
      if (!(await this.guard.stillActive(auth))) socket.disconnect(true);
    } catch (error) {
      this.logger.warn({ err: error }, 'socket session check failed; closing the socket');
      socket.disconnect(true);
    }
  }
}
