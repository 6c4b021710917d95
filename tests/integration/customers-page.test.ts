import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawMention, startHarness, type ApiClient, type Harness } from '../support/harness.js';

const at = (min: number) => new Date(Date.UTC(2026, 11, 1, 9, min)).toISOString();
const NEGATIVE = 'My flight was cancelled again and nobody answers, I want a refund';
const POSITIVE = 'Loving the new app update, great job, thank you so much';

describe('GET /api/customers: the Customers page', () => {
  let h: Harness;
  let agent: ApiClient;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    h = await startHarness();
    agent = await h.signIn('agent');
    const make = async (name: string, identities: Array<{ platform: string; handle: string }>) => {
      const r = await agent.post('/api/customers', { name, identities });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.customer.id as string;
    };
    // Marta's older mentions are angry, her newer ones happy: an improving trend.
    await h.hark.ingest([
      ...[1, 2, 3].map((i) => rawMention(i, { author: { handle: 'marta_v', followers: 10 }, text: `${NEGATIVE} ${i}`, createdAt: at(i) })),
      ...[4, 5, 6].map((i) => rawMention(i, { platform: 'reddit', author: { handle: 'MartaV', followers: 10 }, text: `${POSITIVE} ${i}`, createdAt: at(i) })),
    ]);
    ids.marta = await make('Marta Vidal', [{ platform: 'x', handle: 'marta_v' }, { platform: 'reddit', handle: 'MartaV' }, { platform: 'email', handle: 'marta.vidal@example.org' }]);
    ids.tom = await make('Tom Okafor', [{ platform: 'x', handle: 'tomo' }]);
    ids.lee = await make('Lee Park', [{ platform: 'mastodon', handle: 'leep@social.example' }]);
  });
  afterAll(() => h.close());

  it('finds customers by part of the name, a handle or an email, with networks, open cases, last contact and sentiment trend', async () => {
    const byName = await agent.get('/api/customers?q=vidal');
    expect(byName.status).toBe(200);
    expect(byName.body.items.map((c: { id: string }) => c.id)).toEqual([ids.marta]);
    const marta = byName.body.items[0];
    expect(marta.summary).toMatchObject({ networks: ['email', 'reddit', 'x'], openCases: 0, openCasesMore: false, lastContactAt: at(6) });
    expect(marta.summary.sentiment).toMatchObject({ mentions: 6, trend: 'improving' });
    expect(marta.summary.sentiment.recent).toBeGreaterThan(marta.summary.sentiment.earlier);
    expect((await agent.get('/api/customers?q=TOMO')).body.items.map((c: { name: string }) => c.name)).toEqual(['Tom Okafor']);
    expect((await agent.get('/api/customers?q=marta.vidal%40example')).body.items.map((c: { id: string }) => c.id)).toEqual([ids.marta]);
    expect((await agent.get('/api/customers?q=nobody-like-this')).body).toEqual({ items: [], nextCursor: null });
    const quiet = (await agent.get('/api/customers?q=lee')).body.items[0];
    expect(quiet.summary).toMatchObject({ networks: ['mastodon'], lastContactAt: null, sentiment: { mentions: 0, trend: 'unknown' } });
  });

  it('counts the open cases of the customer', async () => {
    const m = (await agent.get('/api/mentions?limit=50')).body.items.find((x: { author: { handle: string } }) => x.author.handle === 'marta_v');
    const c = await agent.post('/api/cases', { mentionIds: [m.id] });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const marta = (await agent.get('/api/customers?q=vidal')).body.items[0];
    expect(marta.summary.openCases).toBe(1);
  });

  it('pages newest first with a cursor, every customer once', async () => {
    const first = await agent.get('/api/customers?limit=2');
    expect(first.body.items.map((c: { name: string }) => c.name)).toEqual(['Lee Park', 'Tom Okafor']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await agent.get(`/api/customers?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items.map((c: { name: string }) => c.name)).toEqual(['Marta Vidal']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses a bad limit or cursor with a 400 naming the field', async () => {
    for (const bad of ['0', '51', 'ten']) {
      const r = await agent.get(`/api/customers?limit=${bad}`);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.error)).toContain('limit');
    }
    const r = await agent.get('/api/customers?cursor=not-a-cursor');
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.error)).toContain('cursor');
    expect((await agent.get('/api/customers?sort=name')).status).toBe(400);
  });
});
