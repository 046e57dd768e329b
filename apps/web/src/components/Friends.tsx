import { type FormEvent, useState } from 'react';
import type { EphemeraClient } from '@app/client-sdk';
import { describeError } from '../errors';
import type { Friend, FriendRequest } from '../types';

export function Friends({
  client,
  friends,
  incoming,
  outgoing,
  onChange,
}: {
  client: EphemeraClient;
  friends: Friend[];
  incoming: FriendRequest[];
  outgoing: FriendRequest[];
  onChange: () => Promise<unknown>;
}) {
  const [username, setUsername] = useState('');
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();

  const act = async (run: () => Promise<unknown>, done?: string) => {
    setNotice(undefined);
    try {
      await run();
      if (done) setNotice({ text: done });
      await onChange();
    } catch (e) {
      setNotice({ text: describeError(e), error: true });
    }
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    const name = username.trim();
    void act(async () => {
      await client.friends.request(name);
      setUsername('');
    }, `Friend request sent to ${name}.`);
  };

  return (
    <section className="stack">
      <form className="card row" onSubmit={add}>
        <input
          data-testid="friend-username"
          placeholder="Add a friend by username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
        <button className="primary" data-testid="friend-add">
          Add
        </button>
      </form>
      {notice && (
        <p className={notice.error ? 'error' : 'notice'} role={notice.error ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      {incoming.length > 0 && (
        <div className="card">
          <h3>Friend requests</h3>
          <ul className="list">
            {incoming.map((r) => (
              <li key={r.id} data-testid={`request-${r.from.username}`}>
                <Avatar name={r.from.username} />
                <span className="grow">{r.from.displayName ?? r.from.username}</span>
                <button
                  className="primary small"
                  data-testid={`accept-${r.from.username}`}
                  onClick={() => void act(() => client.friends.accept(r.id), `You and ${r.from.username} are friends.`)}
                >
                  Accept
                </button>
                <button className="small" onClick={() => void act(() => client.friends.decline(r.id))}>
                  Decline
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="card">
        <h3>Friends</h3>
        {friends.length === 0 ? (
          <p className="empty">No friends yet. Add someone by their username.</p>
        ) : (
          <ul className="list" data-testid="friends-list">
            {friends.map((f) => (
              <li key={f.id} data-testid={`friend-${f.username}`}>
                <Avatar name={f.username} />
                <span className="grow">
                  {f.displayName ?? f.username} <span className="hint">@{f.username}</span>
                </span>
                <button className="small" onClick={() => void act(() => client.friends.remove(f.id))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {outgoing.length > 0 && (
        <div className="card">
          <h3>Waiting for an answer</h3>
          <ul className="list">
            {outgoing.map((r) => (
              <li key={r.id}>
                <Avatar name={r.to.username} />
                <span className="grow">{r.to.username}</span>
                <button className="small" onClick={() => void act(() => client.friends.cancel(r.id))}>
                  Cancel
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

export function Avatar({ name }: { name: string }) {
  const hue = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return (
    <span className="avatar" style={{ background: `hsl(${hue} 70% 45%)` }} aria-hidden>
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
