import { EphemeraClient, type StoredSession } from '@app/client-sdk';

const KEY = 'ephemera.session';

/** The stored session; null when there is none, undefined when storage cannot be read. */
function load(): StoredSession | null | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as StoredSession) : null;
  } catch {
    return undefined;
  }
}

/**
 * One client for the page; the session survives reloads in localStorage, which every tab of
 * the app shares. Tabs refresh it in turn (a Web Lock), each from what the last one stored, and
 * a tab that signs in, refreshes or signs out is followed by the others (the storage event).
 */
export function createClient(onSession: (session: StoredSession | null) => void): EphemeraClient {
  const client = new EphemeraClient({
    baseUrl: window.location.origin,
    session: load() ?? null,
    onSession: (session) => {
      if (session) localStorage.setItem(KEY, JSON.stringify(session));
      else localStorage.removeItem(KEY);
      onSession(session);
    },
    shared: {
      load,
      exclusive: (refresh) => (navigator.locks ? navigator.locks.request(KEY, refresh) : refresh()),
    },
  });
  window.addEventListener('storage', (event) => {
    if (event.key !== KEY && event.key !== null) return;
    const stored = load();
    if (stored !== undefined) client.adoptSession(stored);
  });
  return client;
}
