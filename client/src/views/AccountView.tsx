import { useEffect, useState, type FormEvent } from 'react';
import type { SessionListResponse, SessionView } from '../../../shared/api.js';
import { api, ApiError, get, post } from '../api/client';
import { useApp } from '../context';
import { timeAgo } from '../format';

/** Everyone's own account: password, and the sessions signed in as them (where, when), each revocable. */
export function AccountView({ onSignedOut }: { onSignedOut: () => void }) {
  const { user } = useApp();
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const load = () => void get<SessionListResponse>('/api/account/sessions').then((r) => setSessions(r.items), () => undefined);
  useEffect(load, []);

  const revoke = (s: SessionView) => api('DELETE', `/api/account/sessions/${encodeURIComponent(s.id)}`).then(load, () => undefined);
  const everywhere = async () => {
    if (!window.confirm('Sign out on every device, this one included?')) return;
    await post('/api/account/sign-out-everywhere').catch(() => undefined);
    onSignedOut();
  };

  return (
    <div className="account">
      <h2>Your account</h2>
      <p>
        {user.name} · {user.email} · <span className="muted">{user.role}</span>
      </p>
      <PasswordForm onChanged={load} />
      <section aria-labelledby="sessions-title">
        <h3 id="sessions-title">Where you are signed in</h3>
        <table className="sessions" data-testid="sessions">
          <thead>
            <tr>
              <th scope="col">Browser</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.userAgent ?? 'unknown'} {s.current && <b>(this browser)</b>}
                </td>
                <td>{s.ip ?? '—'}</td>
                <td title={s.createdAt}>{timeAgo(s.createdAt)}</td>
                <td title={s.lastSeenAt}>{timeAgo(s.lastSeenAt)}</td>
                <td>{s.current ? <span className="muted">current</span> : <button onClick={() => void revoke(s)}>Sign out this session</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button onClick={() => void everywhere()}>Sign out everywhere</button>
      </section>
    </div>
  );
}

function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) return setMsg({ ok: false, text: 'The two new passwords differ.' });
    setBusy(true);
    setMsg(null);
    try {
      await post('/api/account/password', { currentPassword: current, newPassword: next }, { quiet: true });
      setCurrent('');
      setNext('');
      setAgain('');
      setMsg({ ok: true, text: 'Password changed. Every other session was signed out.' });
      onChanged();
    } catch (err) {
      setMsg({ ok: false, text: err instanceof ApiError ? err.message : 'The password could not be changed.' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="password-title">
      <h3 id="password-title">Change password</h3>
      <form onSubmit={(e) => void submit(e)} className="stacked-form" data-testid="password-form">
        <label>
          Current password
          <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" required />
        </label>
        <label>
          New password (at least 10 characters)
          <input type="password" value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" minLength={10} required />
        </label>
        <label>
          New password again
          <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" minLength={10} required />
        </label>
        {msg && (
          <div className={msg.ok ? 'form-ok' : 'form-error'} role={msg.ok ? 'status' : 'alert'}>
            {msg.text}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}
