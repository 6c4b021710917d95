import { useEffect, useState, type FormEvent } from 'react';
import type { DemoInfoResponse, SessionResponse } from '../../../shared/api.js';
import type { User } from '../../../shared/auth.js';
import { ApiError, get, post } from '../api/client';

export function SignIn({ onSignedIn }: { onSignedIn: (u: User) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [demo, setDemo] = useState<DemoInfoResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<DemoInfoResponse>('/api/auth/demo', { quiet: true }).then(setDemo, () => setDemo(null));
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await post<SessionResponse>('/api/auth/login', { email, password }, { quiet: true });
      onSignedIn(res.user);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Sign-in failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form onSubmit={submit} className="signin-card">
        <h1>Hark</h1>
        <p className="muted">Social listening and response</p>
        <label>
          Email
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        {error && (
          <div className="form-error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {demo?.demo && demo.accounts.length > 0 && (
          <div className="demo-accounts">
            <div className="demo-title">Demo mode — the simulator feeds made-up mentions. Demo sign-ins:</div>
            {demo.accounts.map((a) => (
              <button
                type="button"
                key={a.email}
                className="demo-account"
                onClick={() => {
                  setEmail(a.email);
                  setPassword(a.password);
                }}
              >
                <b>{a.role}</b> {a.email} / {a.password}
              </button>
            ))}
          </div>
        )}
      </form>
    </div>
  );
}
