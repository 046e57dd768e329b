import { Injectable } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { RedisService } from '@app/redis';
import { ServerEventName, ServerEvents, sessionRoom, userRoom } from './realtime.events';

/**
 * Publishes events to users' rooms through Redis, so they reach every socket on
 * every API node. API nodes and workers publish the same way; only API nodes
 * hold sockets.
 */
@Injectable()
export class RealtimePublisher {
  private readonly emitter: Emitter;

  constructor(redis: RedisService) {
    // Its own connection, auto-pipelined: a burst of events (a thousand purged snaps) goes out
    // in a few writes instead of one per event, and never queues behind other commands.
    this.emitter = new Emitter(redis.connect({ enableAutoPipelining: true }));
  }

  toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerEvents[E]): void {
    this.emitter.to(userRoom(userId)).emit(event, payload);
  }

  /** Disconnects every socket of a revoked login, on every node. */
  disconnectSession(sessionId: string): void {
    this.emitter.in(sessionRoom(sessionId)).disconnectSockets(true);
  }
}
