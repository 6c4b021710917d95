import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAVED_VIEWS_MAX } from '../../shared/saved-view.js';
import { makeNewMention } from '../support/fixtures.js';
import { startHarness, type ApiClient, type Harness } from '../support/harness.js';

describe('saved views: /api/views', () => {
  let h: Harness;
  let alice: ApiClient;
  let bob: ApiClient;
  beforeAll(async () => {
    h = await startHarness();
    alice = await h.signIn('agent');
    bob = await h.signIn('manager');
    await h.hark.store.mentions.insertMany({
      mentions: [...Array.from({ length: 4 }, () => makeNewMention({ brand: 'Acme Air' })), ...Array.from({ length: 2 }, () => makeNewMention({ brand: 'Globex', lang: 'es' }))],
    });
  }, 60_000);
  afterAll(() => h.close());

  it('saves a view with the queue filters and lists it with the count of matching mentions', async () => {
    const res = await alice.post('/api/views', { name: '  Acme Air  ', filters: { brand: 'Acme Air', status: 'new,claimed' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Acme Air', filters: { brand: ['Acme Air'], status: ['new', 'claimed'], sort: 'priority' }, count: { n: 4, more: false } });
    expect(res.body.filters).not.toHaveProperty('limit');
    await alice.post('/api/views', { name: 'Spanish Globex', filters: { brand: 'Globex', lang: 'es' } });
    const list = await alice.get('/api/views');
    expect(list.status).toBe(200);
    expect(list.body.max).toBe(SAVED_VIEWS_MAX);
    expect(list.body.items.map((v: { name: string; count: { n: number } }) => [v.name, v.count.n])).toEqual([
      ['Acme Air', 4],
      ['Spanish Globex', 2],
    ]);
  });

  it('shows and changes only the user own views', async () => {
    expect((await bob.get('/api/views')).body.items).toEqual([]);
    const aliceView = (await alice.get('/api/views')).body.items[0] as { id: string };
    const del = await bob.request('DELETE', `/api/views/${aliceView.id}`);
    expect(del.status).toBe(404);
    expect((await alice.get('/api/views')).body.items).toHaveLength(2);
    // The same name is free for another user.
    expect((await bob.post('/api/views', { name: 'Acme Air', filters: {} })).status).toBe(201);
    expect((await alice.request('DELETE', `/api/views/${aliceView.id}`)).status).toBe(204);
    expect((await alice.get('/api/views')).body.items.map((v: { name: string }) => v.name)).toEqual(['Spanish Globex']);
  });

  it('answers 400 naming the field for a bad name or filter, 409 for a repeated name', async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: '', filters: {} }, 'name'],
      [{ name: 'x'.repeat(61), filters: {} }, 'name'],
      [{ filters: {} }, 'name'],
      [{ name: 'ok', filters: { sentiment: 'furious' } }, 'filters.sentiment.0'],
      [{ name: 'ok', filters: { priorityMin: 90, priorityMax: 10 } }, 'filters.priorityMin'],
      [{ name: 'ok', filters: { colour: 'red' } }, 'filters'],
      [{ name: 'ok' }, 'filters'],
    ];
    for (const [body, field] of cases) {
      const res = await alice.post('/api/views', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}`));
    }
    expect((await alice.request('DELETE', '/api/views/abc')).status).toBe(400);
    const dup = await alice.post('/api/views', { name: 'Spanish Globex', filters: {} });
    expect(dup.status).toBe(409);
  });

  it(`refuses more than ${SAVED_VIEWS_MAX} views per user`, async () => {
    const carol = await h.signIn('agent');
    for (let i = 0; i < SAVED_VIEWS_MAX; i++) expect((await carol.post('/api/views', { name: `view ${i}`, filters: { priorityMin: i } })).status).toBe(201);
    const over = await carol.post('/api/views', { name: 'one too many', filters: {} });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toMatch(/30 saved views/);
    expect((await carol.get('/api/views')).body.items).toHaveLength(SAVED_VIEWS_MAX);
  });
});
