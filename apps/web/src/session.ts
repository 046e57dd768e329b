import { EphemeraClient, type StoredSession } from '@app/client-sdk';

const KEY = 'ephemera.session';

function load(): StoredSession | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as StoredSession) : undefined;
  } catch {
    return undefined;
  }
}

/** One client for the page; the session survives reloads in localStorage. */
export function createClient(onSession: (session: StoredSession | null) => void): EphemeraClient {
  return new EphemeraClient({
    baseUrl: window.location.origin,
    session: load(),
    onSession: (session) => {
      if (session) localStorage.setItem(KEY, JSON.stringify(session));
      else localStorage.removeItem(KEY);
      onSession(session);
    },
  });
}
