import { type FormEvent, useState } from 'react';
import type { EphemeraClient } from '@app/client-sdk';
import { describeError } from '../errors';

export function AuthScreen({ client }: { client: EphemeraClient }) {
  const [mode, setMode] = useState<'signin' | 'signup'>('signin');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (mode === 'signup') {
        await client.auth.register({ username, password, ...(displayName ? { displayName } : {}) });
      } else {
        await client.auth.login({ username, password, deviceName: navigator.userAgent.slice(0, 60) });
      }
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <div className="brand">
        <span className="logo" aria-hidden>
          ◌
        </span>
        <h1>Ephemera</h1>
        <p>Photos and videos that disappear.</p>
      </div>
      <form className="card" onSubmit={submit} data-testid="auth-form">
        <h2>{mode === 'signup' ? 'Create your account' : 'Welcome back'}</h2>
        <label>
          Username
          <input
            data-testid="auth-username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            minLength={3}
            maxLength={30}
            required
          />
        </label>
        {mode === 'signup' && (
          <label>
            Display name <span className="hint">(optional)</span>
            <input
              data-testid="auth-display-name"
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          </label>
        )}
        <label>
          Password
          <input
            data-testid="auth-password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
            minLength={8}
            maxLength={128}
            required
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" data-testid="auth-submit" disabled={busy}>
          {mode === 'signup' ? 'Sign up' : 'Sign in'}
        </button>
        <button
          type="button"
          className="link"
          data-testid="auth-toggle"
          onClick={() => {
            setMode(mode === 'signup' ? 'signin' : 'signup');
            setError(undefined);
          }}
        >
          {mode === 'signup' ? 'I already have an account' : 'New here? Create an account'}
        </button>
      </form>
    </main>
  );
}
