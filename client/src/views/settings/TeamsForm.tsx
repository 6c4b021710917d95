import { useState } from 'react';
import { roleAtLeast, type User } from '../../../../shared/auth.js';
import type { Team } from '../../../../shared/routing.js';
import { useApp } from '../../context';
import { Field, fieldId, SaveBar, slugOf } from './FormBits';
import { useSettingDoc } from './useSettingDoc';

/** Teams: name, approval, members (admins change who is in a team; managers see it). */
export function TeamsForm({ users, onUsersChanged, onSaved }: { users: User[]; onUsersChanged: () => void; onSaved: (teams: Team[]) => void }) {
  const { user } = useApp();
  const admin = roleAtLeast(user.role, 'admin');
  const doc = useSettingDoc<Team[]>('/api/settings/teams', 'teams');
  const [draft, setDraft] = useState<Team[] | null>(null);
  const [members, setMembers] = useState<Record<string, string[]> | null>(null);
  const [newName, setNewName] = useState('');
  const teams = draft ?? doc.value ?? [];
  const memberIds = (teamId: string) => members?.[teamId] ?? users.filter((u) => u.teams.includes(teamId)).map((u) => u.id);
  // "members.<team>" or "members.<team>.<n>" (a user that is not there): shown on that team's members.
  const memberError = (teamId: string) => doc.errors.find((e) => e.field === `members.${teamId}` || e.field.startsWith(`members.${teamId}.`))?.message ?? null;
  const edit = (i: number, p: Partial<Team>) => setDraft(teams.map((t, j) => (j === i ? { ...t, ...p } : t)));
  const add = () => {
    const name = newName.trim();
    if (!name) return;
    setDraft([...teams, { id: slugOf(name) || `team-${teams.length + 1}`, name, approvalRequired: false }]);
    setNewName('');
  };
  const save = async () => {
    // One request: the teams and (admins) who is in each, checked together and saved together by the server.
    // Only the teams whose members were edited: the others keep whoever is in them now (a change made meanwhile stays).
    const sentMembers = admin && members ? Object.fromEntries(Object.entries(members).filter(([id]) => teams.some((t) => t.id === id))) : undefined;
    if (!(await doc.save(teams, sentMembers ? { members: sentMembers } : undefined))) return;
    setDraft(null);
    onSaved(teams);
    if (sentMembers) {
      setMembers(null);
      onUsersChanged();
    }
  };
  return (
    <section aria-labelledby="teams-h">
      <h3 id="teams-h">Teams</h3>
      <p className="muted">Routing rules hand mentions to a team; "n" gives an agent the next mention of their teams.</p>
      {teams.length === 0 && <p className="muted">No teams yet.</p>}
      {teams.map((t, i) => (
        <fieldset key={t.id + i} className="card-form" data-testid={`team-${t.id}`}>
          <legend>{t.name || 'New team'}</legend>
          <Field id={fieldId('team', i, 'name')} label="Name" error={doc.errorFor(`${i}.name`)}>
            <input id={fieldId('team', i, 'name')} value={t.name} onChange={(e) => edit(i, { name: e.target.value })} />
          </Field>
          <Field id={fieldId('team', i, 'id')} label="Id" error={doc.errorFor(`${i}.id`)} hint="Used in routing rules; lowercase letters, digits and -">
            <input id={fieldId('team', i, 'id')} value={t.id} readOnly={doc.value?.some((s) => s.id === t.id)} onChange={(e) => edit(i, { id: e.target.value })} />
          </Field>
          <label>
            <input type="checkbox" checked={t.approvalRequired} onChange={(e) => edit(i, { approvalRequired: e.target.checked })} /> Replies by this team wait for a manager's approval
          </label>
          <fieldset className={`checks${memberError(t.id) ? ' has-error' : ''}`}>
            <legend>Members{admin ? '' : ' (admins change members on the Users page)'}</legend>
            {memberError(t.id) && (
              <span className="field-error" role="alert">
                Members: {memberError(t.id)}
              </span>
            )}
            {users
              .filter((u) => !u.disabled)
              .map((u) => (
                <label key={u.id}>
                  <input
                    type="checkbox"
                    disabled={!admin}
                    checked={memberIds(t.id).includes(u.id)}
                    onChange={(e) => {
                      const cur = memberIds(t.id);
                      setMembers({ ...(members ?? {}), [t.id]: e.target.checked ? [...cur, u.id] : cur.filter((x) => x !== u.id) });
                      setDraft(teams);
                    }}
                  />{' '}
                  {u.name} <span className="muted">({u.role})</span>
                </label>
              ))}
          </fieldset>
          <button type="button" onClick={() => setDraft(teams.filter((_, j) => j !== i))}>
            Remove team
          </button>
        </fieldset>
      ))}
      <div className="inline-form">
        <label htmlFor="new-team-name">New team name</label>
        <input id="new-team-name" value={newName} onChange={(e) => setNewName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), add())} />
        <button type="button" onClick={add}>
          Add team
        </button>
      </div>
      <SaveBar onSave={save} status={doc.status} dirty={draft !== null} onReload={() => (setDraft(null), setMembers(null), void doc.load())} />
    </section>
  );
}
