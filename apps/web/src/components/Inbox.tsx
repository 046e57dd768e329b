import { useEffect, useState } from 'react';
import type { EphemeraClient } from '@app/client-sdk';
import { describeError } from '../errors';
import type { InboxItem, OpenedSnap } from '../types';
import { Avatar } from './Friends';

export function Inbox({
  client,
  items,
  onGone,
}: {
  client: EphemeraClient;
  items: InboxItem[];
  onGone: (id: string) => void;
}) {
  const [opened, setOpened] = useState<OpenedSnap>();
  const [error, setError] = useState<string>();
  const [opening, setOpening] = useState<string>();

  const view = async (item: InboxItem) => {
    setError(undefined);
    setOpening(item.id);
    try {
      setOpened(await client.snaps.open(item.id));
    } catch (e) {
      setError(describeError(e));
      onGone(item.id);
    } finally {
      setOpening(undefined);
    }
  };

  return (
    <section className="stack">
      {error && (
        <p className="error" role="alert" data-testid="inbox-error">
          {error}
        </p>
      )}
      {items.length === 0 ? (
        <div className="card empty" data-testid="inbox-empty">
          Nothing new. Snaps sent to you appear here the moment they arrive.
        </div>
      ) : (
        <ul className="list card" data-testid="inbox-list">
          {items.map((item) => (
            <li key={item.id} data-testid={`inbox-${item.id}`} className="snap-row">
              <Avatar name={item.sender.username} />
              <span className="grow">
                <strong>{item.sender.username}</strong>
                <span className="hint">
                  {item.kind === 'video' ? 'Video' : 'Photo'} · {timeAgo(item.sentAt)} · gone {timeLeft(item.expiresAt)}
                </span>
              </span>
              <button
                className="primary"
                data-testid="inbox-view"
                data-snap-id={item.id}
                disabled={opening !== undefined}
                onClick={() => void view(item)}
              >
                {opening === item.id ? 'Opening…' : 'Press to view'}
              </button>
            </li>
          ))}
        </ul>
      )}
      {opened && (
        <Viewer
          snap={opened}
          onDone={() => {
            onGone(opened.id);
            setOpened(undefined);
          }}
        />
      )}
    </section>
  );
}

/** Full screen, with a countdown; when it reaches zero the snap is gone for good. */
function Viewer({ snap, onDone }: { snap: OpenedSnap; onDone: () => void }) {
  const seconds = Math.max(snap.viewSeconds, Math.ceil((snap.media.durationMs ?? 0) / 1000));
  const [left, setLeft] = useState(seconds);

  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => {
      const remaining = seconds - Math.floor((Date.now() - started) / 1000);
      setLeft(remaining);
      if (remaining <= 0) {
        clearInterval(timer);
        onDone();
      }
    }, 200);
    return () => clearInterval(timer);
    // One countdown per opened snap: onDone changes identity on every render.
  }, [snap.id]);

  return (
    <div
      className="viewer"
      role="dialog"
      aria-label="Snap"
      data-testid="viewer"
      onContextMenu={(e) => e.preventDefault()}
    >
      <div className="countdown" data-testid="viewer-countdown" aria-live="polite">
        {Math.max(left, 0)}
      </div>
      {snap.kind === 'video' ? (
        <video src={snap.media.url} autoPlay playsInline className="viewer-media" data-testid="viewer-media" />
      ) : (
        <img src={snap.media.url} alt="Snap" className="viewer-media" draggable={false} data-testid="viewer-media" />
      )}
      {snap.caption && <p className="caption">{snap.caption}</p>}
      <button className="close" onClick={onDone} aria-label="Close">
        ×
      </button>
    </div>
  );
}

export function timeAgo(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

function timeLeft(iso: string): string {
  const s = Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000));
  if (s < 60) return `in ${s} s`;
  if (s < 3600) return `in ${Math.floor(s / 60)} min`;
  return `in ${Math.floor(s / 3600)} h`;
}
