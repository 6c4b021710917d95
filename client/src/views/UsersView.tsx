import { useEffect, useRef, useState, type FormEvent, type Ref } from 'react';
import { DEFAULT_USER_SETTINGS, ROLES, type Role, type User } from '../../../shared/auth.js';
import type { Team } from '../../../shared/routing.js';
import { ApiError, get, patch, post } from '../api/client';
import { useApp } from '../context';
import { Field, fieldId } from './settings/FormBits';

type FieldErrors = Record<string, string>;

/** The server's 400 names the field ("body.capacity"); shown next to it. */
function fieldErrorsOf(err: unknown): FieldErrors {
  if (!(err instanceof ApiError) || err.status !== 400 || !Array.isArray(err.details)) return {};
  const out: FieldErrors = {};
  for (const d of err.details as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof d.field !== 'string' || typeof d.message !== 'string') continue;
    // "body.teams.3" is about the teams field as a whole.
    const f = d.field.replace(/^body\./, '').split('.')[0]!;
    out[f] ??= d.message;
  }
  return out;
}

const CAPACITY_ERROR = 'must be a whole number from 0 to 1000';
/** The same rule the server applies, checked before sending so the field says it at once. */
const capacityError = (s: string) => (/^\d+$/.test(s.trim()) && Number(s) <= 1000 ? null : CAPACITY_ERROR);

/** Admins: people who use Hark, their roles, teams, capacity and approval; disabling one signs them out everywhere at once. */
export function UsersView() {
  const { user: me } = useApp();
  const [users, setUsers] = useState<User[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const editButtons = useRef(new Map<string, HTMLButtonElement>());
  const load = () => void get<{ items: User[] }>('/api/users').then((r) => setUsers(r.items), () => undefined);
  useEffect(load, []);
  useEffect(() => void get<{ teams: Team[] }>('/api/settings/teams').then((r) => setTeams(r.teams), () => undefined), []);
  const teamName = (id: string) => teams.find((t) => t.id === id)?.name ?? id;

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
  const closeEdit = (id: string, saved: boolean) => {
    setEditing(null);
    if (saved) load();
    // Back to the button that opened the form, so a keyboard user stays where they were.
    setTimeout(() => editButtons.current.get(id)?.focus(), 0);
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
            <th scope="col">Capacity</th>
            <th scope="col">Replies</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => [
            <tr key={u.id} className={u.disabled ? 'disabled-user' : ''} data-testid={`user-${u.id}`}>
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
              <td>{u.teams.map(teamName).join(', ') || <span className="muted">none</span>}</td>
              <td>{u.capacity}</td>
              <td>{u.needsApproval ? 'need approval' : 'sent at once'}</td>
              <td>{u.disabled ? <b>disabled</b> : 'active'}</td>
              <td className="actions">
                <button
                  type="button"
                  ref={(el) => void (el ? editButtons.current.set(u.id, el) : editButtons.current.delete(u.id))}
                  aria-expanded={editing === u.id}
                  aria-controls={editing === u.id ? `edit-user-${u.id}` : undefined}
                  onClick={() => setEditing(editing === u.id ? null : u.id)}
                  aria-label={`Edit ${u.name}`}
                >
                  Edit
                </button>{' '}
                {u.id !== me.id && (
                  <button onClick={() => toggle(u)} aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.name}`}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                )}
              </td>
            </tr>,
            editing === u.id && (
              <tr key={`${u.id}-edit`} className="user-edit-row">
                <td colSpan={8}>
                  <EditUserForm user={u} teams={teams} onDone={(saved) => closeEdit(u.id, saved)} />
                </td>
              </tr>
            ),
          ])}
        </tbody>
      </table>
      <NewUserForm teams={teams} onCreated={load} />
    </div>
  );
}

/** Team checkboxes: the configured teams, plus any team id the user holds that is no longer configured (so saving does not drop it unseen). */
function TeamChecks({ idPrefix, teams, value, onChange, error }: { idPrefix: string; teams: Team[]; value: string[]; onChange: (v: string[]) => void; error?: string | null }) {
  const extra = value.filter((id) => !teams.some((t) => t.id === id));
  const options = [...teams.map((t) => ({ id: t.id, label: t.name })), ...extra.map((id) => ({ id, label: `${id} (not a configured team)` }))];
  return (
    <fieldset className={`checks${error ? ' has-error' : ''}`} aria-describedby={error ? `${idPrefix}-teams-error` : undefined}>
      <legend>Teams</legend>
      {options.length === 0 && <span className="muted">No teams yet (Settings → Teams).</span>}
      {options.map((o) => (
        <label key={o.id}>
          <input type="checkbox" checked={value.includes(o.id)} onChange={(e) => onChange(e.target.checked ? [...value, o.id] : value.filter((x) => x !== o.id))} /> {o.label}
        </label>
      ))}
      {error && (
        <span className="field-error" role="alert" id={`${idPrefix}-teams-error`}>
          Teams: {error}
        </span>
      )}
    </fieldset>
  );
}

/** One user's teams, capacity and approval, saved with one PATCH; Escape or Cancel closes it unchanged. */
/** Capacity as typed (a string until saved), checked on every keystroke; the error and hint under it are its description. */
function CapacityInput({ id, value, error, onChange, inputRef }: { id: string; value: string; error?: string | null; onChange: (value: string, error: string) => void; inputRef?: Ref<HTMLInputElement> }) {
  return (
    <input
      ref={inputRef}
      id={id}
      type="number"
      inputMode="numeric"
      min={0}
      max={1000}
      step={1}
      value={value}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? `${id}-error` : `${id}-hint`}
      onChange={(e) => onChange(e.target.value, capacityError(e.target.value) ?? '')}
    />
  );
}

function EditUserForm({ user, teams, onDone }: { user: User; teams: Team[]; onDone: (saved: boolean) => void }) {
  const [draft, setDraft] = useState({ teams: user.teams, capacity: String(user.capacity), needsApproval: user.needsApproval });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [msg, setMsg] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const id = (f: string) => fieldId('user', user.id, f);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMsg(null);
    const cap = capacityError(draft.capacity);
    if (cap) return setErrors({ capacity: cap });
    setBusy(true);
    try {
      await patch(`/api/users/${user.id}`, { teams: draft.teams, capacity: Number(draft.capacity), needsApproval: draft.needsApproval }, { quiet: true });
      onDone(true);
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setMsg(err instanceof ApiError ? err.message : 'The changes could not be saved.');
      setBusy(false);
    }
  };
  return (
    <form id={`edit-user-${user.id}`} className="card-form" aria-label={`Edit ${user.name}`} noValidate onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), onDone(false))}>
      <Field id={id('capacity')} label="Capacity" error={errors.capacity} hint="How many mentions and cases they hold at most (0 to 1000); routing skips them when full">
        <CapacityInput inputRef={first} id={id('capacity')} value={draft.capacity} error={errors.capacity} onChange={(capacity, error) => (setDraft({ ...draft, capacity }), setErrors({ ...errors, capacity: error }))} />
      </Field>
      <TeamChecks idPrefix={id('')} teams={teams} value={draft.teams} onChange={(v) => setDraft({ ...draft, teams: v })} error={errors.teams} />
      <label>
        <input type="checkbox" checked={draft.needsApproval} onChange={(e) => setDraft({ ...draft, needsApproval: e.target.checked })} /> Replies need a manager's approval
      </label>
      {errors.needsApproval && (
        <span className="field-error" role="alert">
          Replies need approval: {errors.needsApproval}
        </span>
      )}
      <div className="save-bar">
        <button type="submit" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
        {msg && (
          <span className="form-error" role="status">
            {msg}
          </span>
        )}
      </div>
    </form>
  );
}

function NewUserForm({ teams, onCreated }: { teams: Team[]; onCreated: () => void }) {
  const empty = { name: '', email: '', role: 'agent' as Role, password: '', teams: [] as string[], capacity: String(DEFAULT_USER_SETTINGS.capacity), needsApproval: false };
  const [draft, setDraft] = useState(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [msg, setMsg] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMsg(null);
    const cap = capacityError(draft.capacity);
    if (cap) return setErrors({ capacity: cap });
    try {
      await post('/api/users', { ...draft, capacity: Number(draft.capacity) }, { quiet: true });
      setDraft(empty);
      setErrors({});
      setMsg('User added.');
      onCreated();
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setMsg(err instanceof ApiError ? err.message : 'The user could not be created.');
    }
  };
  const err = (f: string) => errors[f] || null;
  const described = (f: string) => (err(f) ? { 'aria-invalid': true, 'aria-describedby': `new-user-${f}-error` } : {});
  return (
    <section aria-labelledby="new-user-title">
      <h3 id="new-user-title">Add a user</h3>
      <form onSubmit={(e) => void submit(e)} className="card-form" noValidate>
        <Field id="new-user-name" label="Name" error={err('name')}>
          <input id="new-user-name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required {...described('name')} />
        </Field>
        <Field id="new-user-email" label="Email" error={err('email')}>
          <input id="new-user-email" type="email" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.target.value })} required {...described('email')} />
        </Field>
        <Field id="new-user-role" label="Role" error={err('role')}>
          <select id="new-user-role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Field id="new-user-password" label="First password" error={err('password')} hint="At least 10 characters">
          <input id="new-user-password" type="password" autoComplete="new-password" value={draft.password} onChange={(e) => setDraft({ ...draft, password: e.target.value })} required {...described('password')} />
        </Field>
        <Field id="new-user-capacity" label="Capacity" error={err('capacity')} hint="0 to 1000">
          <CapacityInput id="new-user-capacity" value={draft.capacity} error={err('capacity')} onChange={(capacity, error) => (setDraft({ ...draft, capacity }), setErrors({ ...errors, capacity: error }))} />
        </Field>
        <TeamChecks idPrefix="new-user" teams={teams} value={draft.teams} onChange={(v) => setDraft({ ...draft, teams: v })} error={err('teams')} />
        <label>
          <input type="checkbox" checked={draft.needsApproval} onChange={(e) => setDraft({ ...draft, needsApproval: e.target.checked })} /> Replies need a manager's approval
        </label>
        <div className="save-bar">
          <button type="submit">Add user</button>
          {msg && (
            <span className={Object.keys(errors).some((k) => errors[k]) || msg !== 'User added.' ? 'form-error' : 'muted'} role="status">
              {msg}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
