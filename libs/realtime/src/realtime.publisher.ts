import { Injectable } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { MetricsService } from '@app/observability';
import { RedisService } from '@app/redis';
import { ServerEventName, ServerEvents, sessionRoom, snapReceivedEvent, userRoom } from './realtime.events';

/**
 * Publishes events to users' rooms through Redis, so they reach every socket on
 * every API node. API nodes and workers publish the same way; only API nodes
 * hold sockets.
 */
@Injectable()
export class RealtimePublisher {
  private readonly emitter: Emitter;

  constructor(
    redis: RedisService,
    private readonly metrics: MetricsService,
  ) {
    // Its own connection, auto-pipelined: a burst of events (a thousand purged snaps) goes out
    // in a few writes instead of one per event, and never queues behind other commands.
    this.emitter = new Emitter(redis.connect({ enableAutoPipelining: true }));
  }

  toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerEvents[E]): void {
    this.toUsers([userId], event, payload);
  }

  /** One event to several users in one publish: each node delivers it once per socket. */
  toUsers<E extends ServerEventName>(userIds: readonly string[], event: E, payload: ServerEvents[E]): void {
    if (userIds.length === 0) return;
    this.emitter.to(userIds.map(userRoom)).emit(event, payload);
  }

  /**
   * snap:received to every device of each recipient, wherever it is connected; the one
   * place a snap is delivered (API at send, worker when the media becomes ready), so the
   * delivery latency is measured here.
   */
  deliverSnap(snap: Parameters<typeof snapReceivedEvent>[0], recipientIds: readonly string[]): void {
    if (recipientIds.length === 0) return;
    this.toUsers(recipientIds, 'snap:received', snapReceivedEvent(snap));
    this.metrics.deliveryLatency.observe((Date.now() - snap.sentAt.getTime()) / 1000);
  }

  /** Disconnects every socket of a revoked login, on every node. */
  disconnectSession(sessionId: string): void {
    this.emitter.in(sessionRoom(sessionId)).disconnectSockets(true);
  }
}
