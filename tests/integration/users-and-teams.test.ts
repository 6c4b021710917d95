import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../shared/auth.js';
import { startHarness, type ApiClient, type Harness } from '../support/harness.js';

/** The Users form (create with teams, capacity, approval) and the teams form saving teams and members in one step. */
describe('users form and teams with their members', () => {
  let h: Harness;
  let admin: ApiClient;
  let mgr: ApiClient;
  const users = async (): Promise<User[]> => (await admin.get('/api/users')).body.items;
  const teamsOf = async (id: string) => (await users()).find((u) => u.id === id)!.teams;
  const teamsDoc = async () => (await admin.get('/api/settings/teams')).body as { version: number; teams: Array<{ id: string; name: string }> };
  beforeAll(async () => {
    h = await startHarness();
    admin = await h.signIn('admin');
    mgr = await h.signIn('manager');
  });
  afterAll(async () => {
    await h.close();
  });

  let ana: User;
  let ben: User;

  it('creates a user with teams, capacity and approval, and refuses a bad value naming the field', async () => {
    const res = await admin.post('/api/users', { name: 'Ana Agent', email: 'ana@t.hark', role: 'agent', password: 'long-enough-pw', teams: ['air', 'air'], capacity: 7, needsApproval: true });
    expect(res.status).toBe(201);
    ana = res.body.user;
    expect(ana).toMatchObject({ teams: ['air'], capacity: 7, needsApproval: true });
    const plain = await admin.post('/api/users', { name: 'Ben', email: 'ben@t.hark', role: 'agent', password: 'long-enough-pw' });
    ben = plain.body.user;
    expect(ben).toMatchObject({ teams: [], capacity: 25, needsApproval: false });

    const big = await admin.post('/api/users', { name: 'Cy', email: 'cy@t.hark', role: 'agent', password: 'long-enough-pw', capacity: 1001 });
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(/^capacity: /);
    expect(big.body.error.details[0].field).toBe('capacity');
    const str = await admin.post('/api/users', { name: 'Cy', email: 'cy@t.hark', role: 'agent', password: 'long-enough-pw', needsApproval: 'yes' });
    expect(str.status).toBe(400);
    expect(str.body.error.details[0].field).toBe('needsApproval');
    expect((await users()).some((u) => u.email === 'cy@t.hark')).toBe(false);
  });

  it('edits teams, capacity and approval with one PATCH; a bad capacity is a 400 naming it', async () => {
    const ok = await admin.request('PATCH', `/api/users/${ben.id}`, { teams: ['bank'], capacity: 0, needsApproval: true });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ teams: ['bank'], capacity: 0, needsApproval: true });
    const bad = await admin.request('PATCH', `/api/users/${ben.id}`, { capacity: 2.5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ field: 'capacity', message: 'must be a whole number from 0 to 1000' });
  });

  it('saves the teams and who is in each in one request (admins)', async () => {
    const before = await teamsDoc();
    const res = await admin.request('PUT', '/api/settings/teams', {
      version: before.version,
      teams: [
        { id: 'air', name: 'Air' },
        { id: 'bank', name: 'Bank' },
      ],
      members: { air: [ben.id], bank: [ana.id, ben.id] },
    });
    expect(res.status).toBe(200);
    expect(res.body.teams.map((t: { id: string }) => t.id)).toEqual(['air', 'bank']);
    expect(res.body.version).toBe(before.version + 1);
    expect(new Set(res.body.usersChanged)).toEqual(new Set([ana.id, ben.id]));
    expect(await teamsOf(ana.id)).toEqual(['bank']);
    expect(new Set(await teamsOf(ben.id))).toEqual(new Set(['air', 'bank']));

    // A team left out of `members` keeps its members.
    const next = await admin.request('PUT', '/api/settings/teams', { version: res.body.version, teams: res.body.teams, members: { air: [] } });
    expect(next.status).toBe(200);
    expect(next.body.usersChanged).toEqual([ben.id]);
    expect(await teamsOf(ben.id)).toEqual(['bank']);
    expect(await teamsOf(ana.id)).toEqual(['bank']);
  });

  it('checks every member before writing anything: an unknown user or team is a 400 naming it, and nothing changes', async () => {
    const before = await teamsDoc();
    const snapshot = await users();
    const teams = [...before.teams, { id: 'cards', name: 'Cards' }];
    const ghostUser = await admin.request('PUT', '/api/settings/teams', { version: before.version, teams, members: { cards: [ana.id], air: [ben.id, '999999'] } });
    expect(ghostUser.status).toBe(400);
    expect(ghostUser.body.error.details[0].field).toBe('members.air.1');
    const ghostTeam = await admin.request('PUT', '/api/settings/teams', { version: before.version, teams, members: { cards: [ana.id], nope: [ben.id] } });
    expect(ghostTeam.status).toBe(400);
    expect(ghostTeam.body.error.details[0].field).toBe('members.nope');
    const badShape = await admin.request('PUT', '/api/settings/teams', { version: before.version, teams, members: { cards: ana.id } });
    expect(badShape.status).toBe(400);
    expect(badShape.body.error.message).toMatch(/^members\.cards: /);
    expect(await teamsDoc()).toEqual(before);
    expect(await users()).toEqual(snapshot);
  });

  it('a stale version is a 409 and changes no member', async () => {
    const before = await teamsDoc();
    const snapshot = await users();
    const res = await admin.request('PUT', '/api/settings/teams', { version: before.version - 1, teams: before.teams, members: { air: [ana.id] } });
    expect(res.status).toBe(409);
    expect(await users()).toEqual(snapshot);
    expect(await teamsDoc()).toEqual(before);
  });

  it('managers save teams without members as before; with members it is a 403 and nothing is written', async () => {
    const before = await teamsDoc();
    const snapshot = await users();
    const refused = await mgr.request('PUT', '/api/settings/teams', { version: before.version, teams: before.teams, members: { air: [ana.id] } });
    expect(refused.status).toBe(403);
    expect(await teamsDoc()).toEqual(before);
    expect(await users()).toEqual(snapshot);
    const ok = await mgr.request('PUT', '/api/settings/teams', { version: before.version, teams: [...before.teams, { id: 'vip', name: 'VIP', approvalRequired: true }] });
    expect(ok.status).toBe(200);
    expect(ok.body.usersChanged).toEqual([]);
    expect(ok.body.teams.at(-1)).toEqual({ id: 'vip', name: 'VIP', approvalRequired: true });
    expect(await users()).toEqual(snapshot);
  });

  it('a team taken out of the document is taken out of its members\' teams, whoever saves it', async () => {
    const before = await teamsDoc();
    expect(await teamsOf(ana.id)).toEqual(['bank']);
    const res = await mgr.request('PUT', '/api/settings/teams', { version: before.version, teams: before.teams.filter((t) => t.id !== 'bank') });
    expect(res.status).toBe(200);
    expect(new Set(res.body.usersChanged)).toEqual(new Set([ana.id, ben.id]));
    expect(await teamsOf(ana.id)).toEqual([]);
    expect(await teamsOf(ben.id)).toEqual([]);
  });
});
