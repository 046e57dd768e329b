import { useEffect, useMemo, useState } from 'react';
import type { StoredSession } from '@app/client-sdk';
import { AuthScreen } from './components/AuthScreen';
import { Home } from './components/Home';
import { createClient } from './session';

export function App() {
  const [session, setSession] = useState<StoredSession | null>(null);
  const client = useMemo(() => createClient(setSession), []);
  useEffect(() => setSession(client.session), [client]);

  return session ? (
    <Home client={client} session={session} onSignOut={() => void client.auth.logout()} />
  ) : (
    <AuthScreen client={client} />
  );
}
