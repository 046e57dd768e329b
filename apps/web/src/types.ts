import type { EphemeraClient } from '@app/client-sdk';

type Page<T> = { items: T[]; nextCursor: string | null };
type ItemOf<P> = P extends Page<infer T> ? T : never;

export type InboxItem = ItemOf<Awaited<ReturnType<EphemeraClient['snaps']['inbox']>>>;
export type SentItem = ItemOf<Awaited<ReturnType<EphemeraClient['snaps']['sent']>>>;
export type Friend = ItemOf<Awaited<ReturnType<EphemeraClient['friends']['list']>>>;
export type FriendRequest = ItemOf<Awaited<ReturnType<EphemeraClient['friends']['requests']>>>;
export type OpenedSnap = Awaited<ReturnType<EphemeraClient['snaps']['open']>>;
