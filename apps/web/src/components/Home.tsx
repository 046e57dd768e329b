import { useCallback, useEffect, useState } from 'react';
import type { EphemeraClient, StoredSession } from '@app/client-sdk';
import { describeError } from '../errors';
import type { Friend, FriendRequest, InboxItem, SentItem } from '../types';
import { Compose } from './Compose';
import { Friends } from './Friends';
import { Inbox } from './Inbox';
import { Sent } from './Sent';

type Tab = 'inbox' | 'send' | 'sent' | 'friends';
const TABS: { id: Tab; label: string }[] = [
  { id: 'inbox', label: 'Inbox' },
  { id: 'send', label: 'Send' },
  { id: 'sent', label: 'Sent' },
  { id: 'friends', label: 'Friends' },
];

/**
 * The signed-in app. Lists come from REST; socket events keep them live, and every
 * (re)connect brings an inbox catch-up, because events missed offline are not replayed.
 */
export function Home({
  client,
  session,
  onSignOut,
}: {
  client: EphemeraClient;
  session: StoredSession;
  onSignOut: () => void;
}) {
  const [tab, setTab] = useState<Tab>('inbox');
  const [online, setOnline] = useState(false);
  const [inbox, setInbox] = useState<InboxItem[]>([]);
  const [sent, setSent] = useState<SentItem[]>([]);
  const [friends, setFriends] = useState<Friend[]>([]);
  const [incoming, setIncoming] = useState<FriendRequest[]>([]);
  const [outgoing, setOutgoing] = useState<FriendRequest[]>([]);
  const [error, setError] = useState<string>();

  const report = useCallback((e: unknown) => setError(describeError(e)), []);
  const loadSent = useCallback(
    () => client.snaps.sent({ limit: 50 }).then((p) => setSent(p.items), report),
    [client, report],
  );
  const loadFriends = useCallback(
    () =>
      Promise.all([
        client.friends.list().then((p) => setFriends(p.items)),
        client.friends.requests('incoming').then((p) => setIncoming(p.items)),
        client.friends.requests('outgoing').then((p) => setOutgoing(p.items)),
      ]).catch(report),
    [client, report],
  );

  useEffect(() => {
    const events = client.events;
    const onInbox = (items: InboxItem[]) => setInbox(items);
    const onConnected = () => {
      setOnline(true);
      void loadSent();
      void loadFriends();
    };
    const onDisconnected = () => setOnline(false);
    const onReceived = (snap: InboxItem | Omit<InboxItem, 'state'>) =>
      setInbox((items) =>
        items.some((i) => i.id === snap.id) ? items : [{ ...snap, state: 'delivered' } as InboxItem, ...items],
      );
    const onExpired = ({ id }: { id: string }) => {
      setInbox((items) => items.filter((i) => i.id !== id));
      setSent((items) => items.map((s) => (s.id === id ? { ...s, purged: true } : s)));
    };
    /** One recipient's row of one sent snap, changed in place. */
    const patchRecipient = (id: string, recipientId: string, patch: Partial<SentItem['recipients'][number]>) =>
      setSent((items) =>
        items.map((s) =>
          s.id === id
            ? { ...s, recipients: s.recipients.map((r) => (r.userId === recipientId ? { ...r, ...patch } : r)) }
            : s,
        ),
      );
    const onOpened = ({ id, recipientId, openedAt }: { id: string; recipientId: string; openedAt: string }) =>
      patchRecipient(id, recipientId, { state: 'opened', openedAt });
    const onScreenshot = ({ id, recipientId, at }: { id: string; recipientId: string; at: string }) =>
      patchRecipient(id, recipientId, { screenshotAt: at });
    const onFriends = () => void loadFriends();

    const unsubscribe = [
      events.on('inbox', onInbox),
      events.on('connected', onConnected),
      events.on('disconnected', onDisconnected),
      events.on('snap:received', onReceived),
      events.on('snap:expired', onExpired),
      events.on('snap:opened', onOpened),
      events.on('snap:screenshot', onScreenshot),
      events.on('friend:request', onFriends),
      events.on('friend:accepted', onFriends),
    ];
    events.connect();
    return () => {
      for (const off of unsubscribe) off();
      events.disconnect();
    };
  }, [client, loadSent, loadFriends]);

  const user = session.user;
  return (
    <div className="app">
      <header className="topbar">
        <span className="logo" aria-hidden>
          ◌
        </span>
        <strong>Ephemera</strong>
        <span className={online ? 'dot online' : 'dot'} title={online ? 'Live' : 'Offline'} data-testid="live-status" />
        <span className="me" data-testid="me">
          {user.displayName ?? user.username}
        </span>
        <button className="link" onClick={onSignOut} data-testid="sign-out">
          Sign out
        </button>
      </header>
      <nav className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'tab active' : 'tab'}
            data-testid={`tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.id === 'inbox' && inbox.length > 0 && <span className="badge">{inbox.length}</span>}
            {t.id === 'friends' && incoming.length > 0 && <span className="badge">{incoming.length}</span>}
          </button>
        ))}
      </nav>
      {error && (
        <p className="error banner" role="alert" onClick={() => setError(undefined)}>
          {error}
        </p>
      )}
      <main className="content">
        {tab === 'inbox' && (
          <Inbox client={client} items={inbox} onGone={(id) => setInbox((items) => items.filter((i) => i.id !== id))} />
        )}
        {tab === 'send' && (
          <Compose
            client={client}
            friends={friends}
            onSent={() => {
              void loadSent();
              setTab('sent');
            }}
          />
        )}
        {tab === 'sent' && <Sent client={client} items={sent} onChange={loadSent} onError={report} />}
        {tab === 'friends' && (
          <Friends client={client} friends={friends} incoming={incoming} outgoing={outgoing} onChange={loadFriends} />
        )}
      </main>
    </div>
  );
}
