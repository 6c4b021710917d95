import { useEffect, useState, type FormEvent } from 'react';
import { ROLES, type Role, type User } from '../../../shared/auth.js';
import { ApiError, get, patch, post } from '../api/client';
import { useApp } from '../context';

/** Admins: people who use Hark, their roles and teams; disabling one signs them out everywhere at once. */
export function UsersView() {
  const { user: me } = useApp();
  const [users, setUsers] = useState<User[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = () => void get<{ items: User[] }>('/api/users').then((r) => setUsers(r.items), () => undefined);
  useEffect(load, []);

  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      load();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'That did not work.');
    }
  };
  const toggle = (u: User) => {
    if (!u.disabled && !window.confirm(`Disable ${u.name}? Their sessions end at once and they cannot sign in.`)) return;
    void act(() => post(`/api/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`, undefined, { quiet: true }));
  };

  return (
    <div className="users">
      <h2>Users</h2>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      <table className="users-table" data-testid="users">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Teams</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className={u.disabled ? 'disabled-user' : ''}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>
                <label>
                  <span className="visually-hidden">Role of {u.name}</span>
                  <select value={u.role} onChange={(e) => void act(() => patch(`/api/users/${u.id}`, { role: e.target.value as Role }, { quiet: true }))}>
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </label>
              </td>
              <td>{u.teams.join(', ') || <span className="muted">none</span>}</td>
              <td>{u.disabled ? <b>disabled</b> : 'active'}</td>
              <td>
                {u.id !== me.id && (
                  <button onClick={() => toggle(u)} aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.name}`}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <NewUserForm onCreated={load} />
    </div>
  );
}

function NewUserForm({ onCreated }: { onCreated: () => void }) {
  const empty = { name: '', email: '', role: 'agent' as Role, password: '' };
  const [draft, setDraft] = useState(empty);
  const [msg, setMsg] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMsg(null);
    try {
      await post('/api/users', draft, { quiet: true });
      setDraft(empty);
      onCreated();
    } catch (err) {
      setMsg(err instanceof ApiError ? err.message : 'The user could not be created.');
    }
  };
  return (
    <section aria-labelledby="new-user-title">
      <h3 id="new-user-title">Add a user</h3>
      <form onSubmit={(e) => void submit(e)} className="inline-form">
        <label>
          Name <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required />
        </label>
        <label>
          Email <input type="email" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} required />
        </label>
        <label>
          Role{' '}
          <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          First password <input type="password" autoComplete="new-password" minLength={10} value={draft.password} onChange={(e) => setDraft({ ...draft, password: e.target.value })} required />
        </label>
        <button type="submit">Add user</button>
        {msg && (
          <span className="form-error" role="alert">
            {msg}
          </span>
        )}
      </form>
    </section>
  );
}
