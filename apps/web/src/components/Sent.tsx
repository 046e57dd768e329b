import type { EphemeraClient } from '@app/client-sdk';
import type { SentItem } from '../types';
import { timeAgo } from './Inbox';

const STATE_LABEL: Record<string, string> = {
  pending: 'Sending',
  delivered: 'Delivered',
  opened: 'Opened',
  expired: 'Expired',
  failed: 'Failed',
};

export function Sent({
  client,
  items,
  onChange,
  onError,
}: {
  client: EphemeraClient;
  items: SentItem[];
  onChange: () => Promise<unknown>;
  onError: (e: unknown) => void;
}) {
  const withdraw = async (id: string) => {
    try {
      await client.snaps.withdraw(id);
      await onChange();
    } catch (e) {
      onError(e);
    }
  };

  if (items.length === 0) return <div className="card empty">Snaps you send show here, with who opened them.</div>;
  return (
    <ul className="stack" data-testid="sent-list">
      {items.map((snap) => (
        <li key={snap.id} className="card" data-testid={`sent-${snap.id}`}>
          <div className="row">
            <span className="grow">
              <strong>{snap.kind === 'video' ? 'Video' : 'Photo'}</strong>{' '}
              <span className="hint">
                {timeAgo(snap.sentAt)} · {snap.viewSeconds} s{snap.purged ? ' · deleted' : ''}
              </span>
            </span>
            {!snap.purged && (
              <button className="small" onClick={() => void withdraw(snap.id)}>
                Unsend
              </button>
            )}
          </div>
          <ul className="recipients">
            {snap.recipients.map((r) => (
              <li key={r.userId} className={`state ${r.state}`}>
                {r.username}:{' '}
                <span data-testid={`sent-state-${snap.id}-${r.username}`}>
                  {STATE_LABEL[r.state] ?? r.state}
                  {r.screenshotAt ? ' · Screenshot!' : ''}
                </span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
