import { roleAtLeast, type User } from '../../shared/auth.js';
import { ForbiddenError, ValidationError } from '../../shared/errors.js';
import type { Team } from '../../shared/routing.js';
import { audit, type OpsDeps } from './deps.js';
import { readListSetting, replaceListSetting, teamsSetting } from './list-settings.js';
import { updateUser } from './accounts.js';

export interface SaveTeamsInput {
  version: number;
  teams: Team[];
  /** Who is in each team after the save (the exact list for each team named); teams left out keep their members. */
  members?: Record<string, string[]>;
}

/**
 * Saves the teams document and, when `members` is given (admins only), who is
 * in each team, as one operation: everything is checked before anything is
 * written, so a bad member list leaves both the document and the users as they
 * were. Membership lives on each user (`user.teams`); only users whose teams
 * change are written, after the document's compare-and-set succeeded (a
 * concurrent save of the document is a 409 and changes nobody). A team taken
 * out of the document is taken out of its members' teams as well.
 */
export async function saveTeams(deps: OpsDeps, actor: User, input: SaveTeamsInput): Promise<{ teams: Team[]; version: number; usersChanged: string[] }> {
  const members = input.members;
  if (members && !roleAtLeast(actor.role, 'admin')) throw new ForbiddenError('Only admins change team members; save the teams without members.');
  // A team taken out of the document leaves its members' lists too (whoever saves it): nobody stays in a team that does not exist.
  const before = (await readListSetting(deps, teamsSetting).catch(() => ({ teams: [] }))).teams as Team[];
  const kept = new Set(input.teams.map((t) => t.id));
  const removed = before.map((t) => t.id).filter((id) => !kept.has(id));
  const plan = members || removed.length > 0 ? await planMembership(deps, input.teams, members ?? {}, removed) : [];
  const saved = await replaceListSetting(deps, actor, teamsSetting, { version: input.version, teams: input.teams }, () => ({ version: input.version, items: input.teams }));
  const usersChanged: string[] = [];
  for (const { user, teams } of plan) {
    await updateUser(deps, actor, user.id, { teams });
    usersChanged.push(user.id);
  }
  if (members || usersChanged.length > 0) await audit(deps, actor, 'settings.team_members_changed', 'settings', 'teams', null, { members: members ?? {}, removedTeams: removed, usersChanged });
  return { teams: saved.teams as Team[], version: saved.version, usersChanged };
}

/** The users whose teams change, and to what; a 400 naming the field for a team or user that does not exist. */
async function planMembership(deps: OpsDeps, teams: Team[], members: Record<string, string[]>, removed: readonly string[]): Promise<Array<{ user: User; teams: string[] }>> {
  const teamIds = new Set(teams.map((t) => t.id));
  const users = await deps.store.users.list();
  const byId = new Map(users.map((u) => [u.id, u]));
  for (const [teamId, ids] of Object.entries(members)) {
    if (!teamIds.has(teamId)) throw new ValidationError(`members.${teamId}: no team ${teamId} in teams`, [{ field: `members.${teamId}`, message: `no team ${teamId} in teams` }]);
    ids.forEach((id, i) => {
      if (!byId.has(id)) throw new ValidationError(`members.${teamId}.${i}: no user with id ${id}`, [{ field: `members.${teamId}.${i}`, message: `no user with id ${id}` }]);
    });
  }
  const plan: Array<{ user: User; teams: string[] }> = [];
  for (const u of users) {
    const next = new Set(u.teams);
    for (const teamId of removed) next.delete(teamId);
    for (const [teamId, ids] of Object.entries(members)) {
      if (ids.includes(u.id)) next.add(teamId);
      else next.delete(teamId);
    }
    const list = [...next];
    if (list.length > 50) throw new ValidationError(`members: ${u.name} would be in more than 50 teams`, [{ field: 'members', message: `${u.name} would be in more than 50 teams` }]);
    if (list.length !== u.teams.length || list.some((t) => !u.teams.includes(t))) plan.push({ user: u, teams: list });
  }
  return plan;
}
