/**
 * Server → client socket.io events (API.md "Real time"). A copy of the payload types of
 * libs/realtime's ServerEvents, kept here so the SDK needs nothing from the server; a unit
 * test checks that both name the same events with the same payloads.
 */
import type { InboxItem } from './types';

export interface UserSummaryEvent {
  id: string;
  username: string;
  displayName: string | null;
}

export interface FriendRequestEvent {
  id: string;
  from: UserSummaryEvent;
  to: UserSummaryEvent;
  createdAt: string;
}

export interface FriendEvent extends UserSummaryEvent {
  since: string;
}

export interface MediaReadyEvent {
  id: string;
  kind: 'image' | 'video';
  width: number;
  height: number;
  durationMs: number | null;
}

export interface MediaFailedEvent {
  id: string;
  failure: { code: string; message: string };
}

export interface SnapReceivedEvent {
  id: string;
  sender: { id: string; username: string };
  kind: 'image' | 'video';
  viewSeconds: number;
  sentAt: string;
  expiresAt: string;
}

export interface ServerEvents {
  'snap:received': SnapReceivedEvent;
  'snap:opened': { id: string; recipientId: string; openedAt: string };
  'snap:screenshot': { id: string; recipientId: string; at: string };
  'snap:expired': { id: string };
  'media:ready': MediaReadyEvent;
  'media:failed': MediaFailedEvent;
  'friend:request': { request: FriendRequestEvent };
  'friend:accepted': { friend: FriendEvent };
}

export type ServerEventName = keyof ServerEvents;

const serverEventNames: Record<ServerEventName, true> = {
  'snap:received': true,
  'snap:opened': true,
  'snap:screenshot': true,
  'snap:expired': true,
  'media:ready': true,
  'media:failed': true,
  'friend:request': true,
  'friend:accepted': true,
};

/** Every server event name (the compiler keeps this list complete). */
export const SERVER_EVENT_NAMES = Object.keys(serverEventNames) as ServerEventName[];

/** Events the SDK itself emits on `client.events`. */
export interface ClientEvents {
  /** The socket is (re)connected. */
  connected: void;
  /** The socket dropped; socket.io reconnects by itself unless `reason` is a deliberate disconnect. */
  disconnected: { reason: string };
  /**
   * After every (re)connect: the first page of GET /v1/snaps/inbox. Events missed while offline
   * are not replayed, so this is how a client catches up.
   */
  inbox: InboxItem[];
  /**
   * The server could not check the handshake's token for now (its database or Redis away:
   * SERVICE_UNAVAILABLE): the SDK connects again by itself in `inMs`.
   */
  retrying: { code: string; inMs: number };
  /** Something failed in the background (the inbox catch-up, a refused reconnect). */
  error: unknown;
}

export type EventMap = ServerEvents & ClientEvents;
export type EventName = keyof EventMap;
export type EventHandler<E extends EventName> = (payload: EventMap[E]) => void;
