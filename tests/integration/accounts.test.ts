import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/auth.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { ApiClient, startHarness, type Harness } from '../support/harness.js';

describe('accounts: password, sessions, disabling', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function user(role: Role, password = 'first-password-1') {
    const email = `${role}-${Math.random().toString(36).slice(2, 8)}@test.hark`;
    const u = await h.hark.store.users.create({ email, name: `${role} person`, role, passwordHash: await hashPassword(password) });
    return { u, email, password };
  }
  async function login(email: string, password: string, ua = 'TestBrowser/1.0') {
    const c = new ApiClient(h.hark.url);
    const res = await c.post('/api/auth/login', { email, password }, { 'user-agent': ua });
    return { c, status: res.status, body: res.body };
  }

  it('lists one’s own live sessions with when, where and what, never a token', async () => {
    const { email, password } = await user('agent');
    const a = await login(email, password, 'Firefox/140');
    await login(email, password, 'Chromium/141');
    const res = await a.c.get('/api/account/sessions');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const items = res.body.items as Array<Record<string, unknown>>;
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.find((s) => s.current)).toMatchObject({ userAgent: 'Firefox/140', ip: expect.stringMatching(/127\.0\.0\.1/) });
    for (const s of items) expect(Object.keys(s).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'id', 'ip', 'lastSeenAt', 'userAgent']);
    expect(JSON.stringify(res.body)).not.toContain(a.c.cookie.split('=')[1]!);
  });

  it('revokes one of one’s own sessions, never someone else’s', async () => {
    const me = await user('agent');
    const other = await user('agent');
    const [mine, second] = [await login(me.email, me.password), await login(me.email, me.password)];
    const theirs = await login(other.email, other.password);
    const theirId = ((await theirs.c.get('/api/account/sessions')).body.items as Array<{ id: string }>)[0]!.id;
    const bad = await mine.c.request('DELETE', `/api/account/sessions/${theirId}`);
    expect(bad.status).toBe(404);
    expect((await theirs.c.get('/api/auth/me')).status).toBe(200);
    const secondId = ((await mine.c.get('/api/account/sessions')).body.items as Array<{ id: string; current: boolean }>).find((s) => !s.current)!.id;
    expect((await mine.c.request('DELETE', `/api/account/sessions/${secondId}`)).status).toBe(204);
    expect((await second.c.get('/api/auth/me')).status).toBe(401);
    expect((await mine.c.get('/api/auth/me')).status).toBe(200);
    expect((await mine.c.request('DELETE', '/api/account/sessions/not%20an%20id')).status).toBe(400);
  });

  it('changes the password only with the current one, ending every other session', async () => {
    const { email, password } = await user('agent');
    const [here, there] = [await login(email, password), await login(email, password)];
    const wrong = await here.c.post('/api/account/password', { currentPassword: 'not-it', newPassword: 'second-password-2' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/^currentPassword/);
    const short = await here.c.post('/api/account/password', { currentPassword: password, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toMatch(/^newPassword/);
    expect((await here.c.post('/api/account/password', { currentPassword: password, newPassword: 'second-password-2' })).status).toBe(204);
    expect((await here.c.get('/api/auth/me')).status).toBe(200);
    expect((await there.c.get('/api/auth/me')).status).toBe(401);
    expect((await login(email, password)).status).toBe(401);
    expect((await login(email, 'second-password-2')).status).toBe(200);
    const { items } = await h.hark.store.audit.list({ limit: 100 });
    const entry = items.find((e) => e.action === 'user.password_changed');
    expect(entry).toBeDefined();
    expect(JSON.stringify(items)).not.toContain('second-password-2');
  });

  it('signs out everywhere', async () => {
    const { email, password } = await user('manager');
    const [a, b] = [await login(email, password), await login(email, password)];
    const res = await a.c.post('/api/account/sign-out-everywhere');
    expect(res.status).toBe(200);
    expect(res.body.ended).toBe(2);
    expect((await a.c.get('/api/auth/me')).status).toBe(401);
    expect((await b.c.get('/api/auth/me')).status).toBe(401);
  });

  it('an admin disables a user: sessions end at once, sign-in is refused, enabling restores it; audited', async () => {
    const admin = await h.signIn('admin');
    const { u, email, password } = await user('agent');
    const s = await login(email, password);
    const res = await admin.post(`/api/users/${u.id}/disable`);
    expect(res.status).toBe(200);
    expect(res.body.user.disabled).toBe(true);
    expect((await s.c.get('/api/auth/me')).status).toBe(401);
    const refused = await login(email, password);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/disabled/);
    expect((await admin.get('/api/users')).body.items.find((x: { id: string }) => x.id === u.id).disabled).toBe(true);
    expect((await admin.post(`/api/users/${u.id}/enable`)).body.user.disabled).toBe(false);
    expect((await login(email, password)).status).toBe(200);
    const actions = (await h.hark.store.audit.list({ limit: 100 })).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled']));
    expect((await admin.post('/api/users/999999/disable')).status).toBe(404);
  });

  it('never disables the last active admin, nor demotes them', async () => {
    const h2 = await startHarness();
    try {
      const only = await h2.signIn('admin');
      const me = (await only.get('/api/auth/me')).body.user;
      const self = await only.post(`/api/users/${me.id}/disable`);
      expect(self.status).toBe(409);
      const other = await h2.hark.store.users.create({ email: 'second@test.hark', name: 'Second', role: 'admin', passwordHash: await hashPassword('second-admin-pw') });
      await h2.hark.store.users.setDisabled({ id: other.id, disabled: true });
      expect((await only.request('PATCH', `/api/users/${me.id}`, { role: 'agent' })).status).toBe(409);
      expect((await only.get('/api/auth/me')).body.user.role).toBe('admin');
    } finally {
      await h2.close();
    }
  });
});
