import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mention } from '../../shared/mention.js';
import { startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';

const queries = (extra: object[] = []) => [{ id: 'acme', brand: 'Acme Air', query: 'acme', networks: [], enabled: true, role: 'own', competitorOf: null }, ...extra];

describe('wall, competitors and investigations over HTTP', () => {
  let h: Harness;
  let manager: ApiClient;
  let agent: ApiClient;
  let n = 0;
  const raw = (brand: string, text: string) => ({ platform: 'x', externalId: `w-${++n}-${Math.random().toString(36).slice(2, 8)}`, text, author: { handle: `person${n}`, followers: 100 * n }, brand, createdAt: new Date().toISOString() });
  beforeAll(async () => {
    h = await startHarness();
    manager = await h.signIn('manager');
    agent = await h.signIn('agent');
  });
  afterAll(() => h.close());

  it('refuses a competitor query without an own brand to compete with, naming the field', async () => {
    const none = await manager.request('PUT', '/api/listening-queries', { version: 0, queries: queries([{ id: 'globex', brand: 'Globex', query: 'globex', networks: [], enabled: true, role: 'competitor', competitorOf: null }]) });
    expect(none.status).toBe(400);
    expect(none.body.error.details[0].field).toBe('queries.1.competitorOf');
    const unknown = await manager.request('PUT', '/api/listening-queries', { version: 0, queries: queries([{ id: 'globex', brand: 'Globex', query: 'globex', networks: [], enabled: true, role: 'competitor', competitorOf: 'Initech' }]) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/queries\.1\.competitorOf: .*own brand/);
    const ownWithRival = await manager.request('PUT', '/api/listening-queries', { version: 0, queries: [{ ...queries()[0], competitorOf: 'Globex' }] });
    expect(ownWithRival.status).toBe(400);
    const ok = await manager.request('PUT', '/api/listening-queries', { version: 0, queries: queries([{ id: 'globex', brand: 'Globex', query: 'globex', networks: [], enabled: true, role: 'competitor', competitorOf: 'Acme Air' }]) });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('stores and scores competitor mentions for share of voice but keeps them out of the queue', async () => {
    await h.hark.ingest([raw('Globex', 'Globex lost my bag again, terrible'), raw('Globex', 'Globex crew was lovely'), raw('Acme Air', 'Acme Air my refund is stuck, nobody answers'), raw('Acme Air', 'Acme Air great flight today'), raw('Acme Air', 'Acme Air wifi is fine')]);
    const all = (await agent.get('/api/mentions?status=watching,new,claimed&limit=50')).body.items as Mention[];
    const globex = all.filter((m) => m.brand === 'Globex');
    expect(globex).toHaveLength(2);
    for (const m of globex) expect(m).toMatchObject({ brandRole: 'competitor', triage: { status: 'watching', recommendation: 'watch' }, scores: { priority: { action: 'watch' } } });
    expect(all.filter((m) => m.brand === 'Acme Air').every((m) => m.brandRole === 'own')).toBe(true);
    const queue = (await agent.get('/api/mentions?status=new,claimed&limit=50')).body.items as Mention[];
    expect(queue.some((m) => m.brand === 'Globex')).toBe(false);

    const wall = await agent.get('/api/wall/screen?brands=Acme%20Air&range=60m');
    expect(wall.status).toBe(200);
    const share = wall.body.share.find((s: { brand: string }) => s.brand === 'Acme Air');
    expect(share.rivals.map((r: { brand: string; total: number; share: number }) => [r.brand, r.total, r.share])).toEqual([
      ['Acme Air', 3, 60],
      ['Globex', 2, 40],
    ]);
    const globexNow = wall.body.brands.find((b: { brand: string }) => b.brand === 'Globex');
    expect(globexNow).toMatchObject({ role: 'competitor', competitorOf: 'Acme Air', total: 2 });
    expect(typeof globexNow.net).toBe('number');
    expect(wall.body.queue.unanswered).toBeGreaterThanOrEqual(3);
    expect(wall.body.volume.minutes).toHaveLength(60);
    expect(wall.body.brands.find((b: { brand: string }) => b.brand === 'Acme Air').learning).toMatchObject({ needed: 720 });

    const bad = await agent.get('/api/wall/screen?panels=sentiment,weather');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toMatch(/^panels/);
  });

  it('lets managers, not agents, turn a topic into an investigation that links what carries it, now and later', async () => {
    await h.hark.ingest([raw('Acme Air', 'Acme Air wifi outage on my flight'), raw('Acme Air', 'wifi outage again @AcmeAir'), raw('Acme Air', 'Acme Air the wifi is slow'), raw('Globex', 'Globex wifi outage too')]);
    const denied = await agent.request('POST', '/api/investigations', { brand: 'Acme Air', topic: 'wifi outage' });
    expect(denied.status).toBe(403);
    const missing = await manager.request('POST', '/api/investigations', { brand: 'Acme Air' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe('topic');

    const opened = await manager.request('POST', '/api/investigations', { brand: 'Acme Air', topic: 'wifi outage' });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ created: true, linked: 2, case: { kind: 'investigation', investigation: { brand: 'Acme Air', topic: 'wifi outage', alertId: null }, status: 'open' } });
    const id = opened.body.case.id as string;
    const again = await manager.request('POST', '/api/investigations', { brand: 'Acme Air', topic: 'wifi outage' });
    expect(again.status).toBe(200);
    expect(again.body.case.id).toBe(id);

    await h.hark.ingest([raw('Acme Air', 'still a wifi outage here, Acme Air'), raw('Acme Air', 'Acme Air lunch was cold')]);
    const view = await waitFor(async () => {
      const v = await agent.get(`/api/investigations/${id}`);
      return v.body.linked === 3 ? v.body : undefined;
    }, 10_000, 'the new mention to attach');
    expect(view.mentions.map((m: Mention) => m.text)).toEqual(expect.arrayContaining(['still a wifi outage here, Acme Air', 'Acme Air wifi outage on my flight']));
    expect(view.mentions.every((m: Mention) => m.brand === 'Acme Air')).toBe(true);
    expect(view.series.reduce((s: number, p: { negative: number; neutral: number; positive: number }) => s + p.negative + p.neutral + p.positive, 0)).toBe(3);
    // The mention stays in the queue, for its own reply.
    const linked = view.mentions[0] as Mention;
    expect(linked.caseId).toBeNull();

    const audit = await manager.get(`/api/audit?entityType=case&entityId=${id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('case.investigation_opened');
    expect((await agent.get('/api/investigations/999999')).status).toBe(404);
  });
});
