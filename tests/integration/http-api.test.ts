import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.js';
import { ApiClient, rawMention, startHarness, type Harness } from '../support/harness.js';

describe('HTTP API', () => {
  let h: Harness;
  let anon: ApiClient;
  beforeAll(async () => {
    h = await startHarness();
    anon = new ApiClient(h.hark.url);
  });
  afterAll(() => h.close());

  it('answers health without a session', async () => {
    const res = await anon.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers 401 on every other route without a session, in the one error shape', async () => {
    for (const url of ['/api/mentions', '/api/mentions/1', '/api/wall', '/api/auth/me', '/api/nowhere']) {
      const res = await anon.get(url);
      expect(res.status, url).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    expect((await anon.post('/api/import', 'x')).status).toBe(401);
  });

  it('refuses bad sign-ins with a clear error and accepts good ones with an HTTP-only cookie', async () => {
    const bad = await anon.post('/api/auth/login', { email: 'not-an-email', password: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^email/);
    const missing = await anon.post('/api/auth/login', { email: 'a@b.co' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^password/);
    const garbled = await anon.request('POST', '/api/auth/login', '{nope', { 'content-type': 'application/json' });
    expect(garbled.status).toBe(400);
    const wrong = await anon.post('/api/auth/login', { email: 'nobody@test.hark', password: 'whatever' });
    expect(wrong.status).toBe(401);

    const agent = await h.signIn('agent');
    const me = await agent.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.role).toBe('agent');
    expect(me.body.user.passwordHash).toBeUndefined();
    const out = await agent.post('/api/auth/logout');
    expect(out.status).toBe(204);
    expect((await agent.get('/api/auth/me')).status).toBe(401);
  });

  it('sets the session cookie HttpOnly and SameSite', async () => {
    const c = new ApiClient(h.hark.url);
    await h.hark.store.users.create({ email: 'cookie@test.hark', name: 'C', role: 'agent', passwordHash: await hashPassword('pw-cookie') });
    const res = await fetch(c.base + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'cookie@test.hark', password: 'pw-cookie' }) });
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/hark_session=/);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
  });

  it('lists stored mentions with filters, sort and cursor, and gets one by id', async () => {
    const agent = await h.signIn('agent');
    const report = await h.hark.ingest(Array.from({ length: 30 }, (_, i) => rawMention(i)));
    expect(report.stored).toHaveLength(30);

    const page1 = await agent.get('/api/mentions?limit=10');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(10);
    const scores = page1.body.items.map((m: any) => m.scores.priority.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const page2 = await agent.get(`/api/mentions?limit=10&cursor=${encodeURIComponent(page1.body.nextCursor)}`);
    const ids = new Set([...page1.body.items, ...page2.body.items].map((m: any) => m.id));
    expect(ids.size).toBe(20);

    const neg = await agent.get('/api/mentions?sentiment=negative&limit=200');
    expect(neg.body.items.length).toBeGreaterThan(0);
    expect(neg.body.items.every((m: any) => m.scores.sentiment.label === 'negative')).toBe(true);

    const search = await agent.get('/api/mentions?q=refund&sort=recent');
    expect(search.body.items).toHaveLength(15);

    const one = await agent.get(`/api/mentions/${page1.body.items[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body.mention.scores.priority.reasons.length).toBeGreaterThan(0);
    expect((await agent.get('/api/mentions/999999')).status).toBe(404);
  });

  it('answers 400 naming the field for bad filters', async () => {
    const agent = await h.signIn('agent');
    const cases: Array<[string, RegExp]> = [
      ['sentiment=angry', /^sentiment/],
      ['limit=5000', /^limit/],
      ['priorityMin=90&priorityMax=10', /^priorityMin/],
      ['since=last-tuesday', /^since/],
      ['cursor=garbage', /cursor/],
      ['colour=red', /colour|Unrecognized/i],
    ];
    for (const [qs, msg] of cases) {
      const res = await agent.get(`/api/mentions?${qs}`);
      expect(res.status, qs).toBe(400);
      expect(res.body.error.message, qs).toMatch(msg);
    }
  });

  it('serves the wall rollups', async () => {
    const agent = await h.signIn('agent');
    await h.hark.ingest([rawMention(1000, { createdAt: new Date().toISOString() })]);
    const wall = await agent.get('/api/wall');
    expect(wall.status).toBe(200);
    const total = wall.body.buckets.reduce((s: number, b: any) => s + b.negative + b.neutral + b.positive, 0);
    expect(total).toBeGreaterThan(0);
  });

  it('imports an uploaded JSONL file for managers, reports bad lines, and never duplicates', async () => {
    const manager = await h.signIn('manager');
    const agent = await h.signIn('agent');
    const lines = [
      JSON.stringify({ id: 'imp-1', text: 'The checkout page keeps crashing', author: 'dora', author_followers: 12000 }),
      '{broken json',
      JSON.stringify({ id: 'imp-2', text: 'Where can I buy the new model?', lang: 'en', created_at: '2026-11-20T10:00:00Z' }),
      JSON.stringify({ id: 'imp-3' }),
    ].join('\n');
    expect((await agent.post('/api/import?platform=upload', lines)).status).toBe(403);
    const res = await manager.post('/api/import?platform=upload', lines);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 4, stored: 2, duplicates: 0, rejected: 2 });
    expect(res.body.errors.map((e: any) => e.line)).toEqual([2, 4]);
    const again = await manager.post('/api/import?platform=upload', lines);
    expect(again.body).toMatchObject({ stored: 0, duplicates: 2 });
    const found = await agent.get('/api/mentions?platform=upload&limit=10');
    expect(found.body.items.map((m: any) => m.externalId).sort()).toEqual(['imp-1', 'imp-2']);
    const badMap = await manager.post('/api/import?platform=upload&map=colour=text', lines);
    expect(badMap.status).toBe(400);
    expect(badMap.body.error.message).toMatch(/^map/);
  });

  it('never leaks internal errors', async () => {
    const agent = await h.signIn('agent');
    const original = h.hark.store.mentions.get;
    h.hark.store.mentions.get = async () => {
      throw new Error('SELECT secret FROM internals');
    };
    try {
      const res = await agent.get('/api/mentions/1');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal', message: 'Internal error' } });
    } finally {
      h.hark.store.mentions.get = original;
    }
  });
});
