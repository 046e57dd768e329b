/**
 * Server → client socket.io events (API.md "Real time"). Payload types live
 * here so the gateway, the publishers and the client SDK agree.
 */
export interface UserSummary {
  id: string;
  username: string;
  displayName: string | null;
}

export interface FriendRequestView {
  id: string;
  from: UserSummary;
  to: UserSummary;
  createdAt: string;
}

export interface FriendView extends UserSummary {
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

/** The one way a snap:received payload is built, on API nodes and workers alike. */
export function snapReceivedEvent(snap: {
  id: string;
  senderId: string;
  senderUsername: string;
  kind: 'image' | 'video';
  viewSeconds: number;
  sentAt: Date;
  expiresAt: Date;
}): SnapReceivedEvent {
  return {
    id: snap.id,
    sender: { id: snap.senderId, username: snap.senderUsername },
    kind: snap.kind,
    viewSeconds: snap.viewSeconds,
    sentAt: snap.sentAt.toISOString(),
    expiresAt: snap.expiresAt.toISOString(),
  };
}

export interface ServerEvents {
  'snap:received': SnapReceivedEvent;
  'snap:opened': { id: string; recipientId: string; openedAt: string };
  'snap:screenshot': { id: string; recipientId: string; at: string };
  'snap:expired': { id: string };
  'media:ready': MediaReadyEvent;
  'media:failed': MediaFailedEvent;
  'friend:request': { request: FriendRequestView };
  'friend:accepted': { friend: FriendView };
}

export type ServerEventName = keyof ServerEvents;

/** Every device of a user joins this room; every node's adapter delivers to it. */
export const userRoom = (userId: string) => `user:${userId}`;
/** The sockets of one login, so that revoking it disconnects them everywhere. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

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

/** Every event name (the compiler keeps the list complete); the client SDK's copy is tested against it. */
export const SERVER_EVENT_NAMES = Object.keys(serverEventNames) as ServerEventName[];
