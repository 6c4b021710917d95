import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNewMention } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';

describe('rising topics for the wall', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const chatter = ['loving the new menu', 'seat was small', 'boarding was slow', 'crew was great'];
    const mentions = [];
    for (let m = 70; m < 12 * 60; m += 3) mentions.push(makeNewMention({ brand: 'Acme Air', createdAt: at(m), text: `${chatter[m % 4]} ${m}` }));
    for (let i = 0; i < 8; i++) mentions.push(makeNewMention({ brand: 'Acme Air', label: i < 6 ? 'negative' : 'neutral', priority: 40 + i, createdAt: at(20 - i), text: `wifi outage on my flight ${i}, wifi outage again` }));
    for (let i = 0; i < 5; i++) mentions.push(makeNewMention({ brand: 'Globex', createdAt: at(30 - i), text: `seat was small ${i}` }));
    await h.hark.store.mentions.insertMany({ mentions });
  });
  afterAll(() => h.close());

  it('lists phrases rising in the window per brand, with counts, lift, negative share and examples', async () => {
    const agent = await h.signIn('agent');
    const r = await agent.get('/api/wall/topics?minutes=60');
    expect(r.status).toBe(200);
    expect(r.body.windowMinutes).toBe(60);
    const top = r.body.items[0];
    expect(top).toMatchObject({ brand: 'Acme Air', phrase: 'wifi outage', count: 8, negativeShare: 0.75 });
    expect(top.lift).toBeGreaterThan(10);
    expect(top.exampleMentionIds).toHaveLength(3);
    // Globex has no history yet: nothing can be said to rise.
    expect(r.body.items.some((i: { brand: string }) => i.brand === 'Globex')).toBe(false);
    const acme = await agent.get('/api/wall/topics?minutes=60&brand=Acme%20Air');
    expect(acme.body.items.length).toBeGreaterThan(0);
    expect(acme.body.items.every((i: { brand: string }) => i.brand === 'Acme Air')).toBe(true);
    expect((await agent.get('/api/wall/topics?minutes=2')).status).toBe(400);
  });

  it('on a young install, compares the last minutes with what came before them', async () => {
    const young = await startHarness();
    try {
      const now = Date.now();
      const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
      const mentions = [];
      for (let s = 0; s < 40; s++) mentions.push(makeNewMention({ brand: 'Nimbus', createdAt: at(40 - s * 0.6), text: `nice app update ${s}` }));
      for (let i = 0; i < 6; i++) mentions.push(makeNewMention({ brand: 'Nimbus', label: 'negative', createdAt: at(3 - i * 0.3), text: `login loop again ${i}` }));
      await young.hark.store.mentions.insertMany({ mentions });
      const r = await (await young.signIn('agent')).get('/api/wall/topics?minutes=60');
      expect(r.body.windowMinutes).toBe(10);
      expect(r.body.items[0]).toMatchObject({ brand: 'Nimbus', phrase: 'login loop', count: 6, negativeShare: 1 });
    } finally {
      await young.close();
    }
  });
});
