import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/log.js';
import { RawMentionSchema, type RawMention } from '../../../shared/raw-mention.js';
import { createSimulator, generateMentions, seededRandom } from '../../../connectors/demo/index.js';
import { createScorer } from '../../../workers/nlp/index.js';

describe('simulator', () => {
  it('is repeatable with a seed and makes valid, unique, demo-labelled mentions', () => {
    const a = generateMentions(500, { brands: ['Acme'], seed: 3, now: () => new Date(0) });
    const b = generateMentions(500, { brands: ['Acme'], seed: 3, now: () => new Date(0) });
    expect(a).toEqual(b);
    expect(new Set(a.map((m) => m.externalId)).size).toBe(500);
    for (const m of a) {
      expect(RawMentionSchema.safeParse(m).success).toBe(true);
      expect(m.demo).toBe(true);
    }
  });

  it('varies: every intent, several languages, 10 to 1M+ followers', () => {
    const ms = generateMentions(2000, { brands: ['Acme Air', 'Brightbank'], seed: 9 });
    const scorer = createScorer({ brands: ['Acme Air', 'Brightbank'] });
    const out = ms.map((m) => scorer.score({ text: String(m.text), lang: null, author: { id: null, handle: 'x', name: null, followers: Number(m.author!.followers), verified: false, url: null }, engagement: { likes: 0, reposts: 0, replies: 0 }, brand: String(m.brand) }));
    expect(new Set(out.map((o) => o.scores.intent.label))).toEqual(new Set(['complaint', 'question', 'praise', 'lead', 'spam', 'other']));
    expect(new Set(out.map((o) => o.lang)).size).toBeGreaterThanOrEqual(5);
    const followers = ms.map((m) => Number(m.author!.followers));
    expect(Math.min(...followers)).toBeLessThan(50);
    expect(Math.max(...followers)).toBeGreaterThan(1_000_000);
  });

  it('emits at about its rate and stops promptly when aborted', async () => {
    const got: RawMention[] = [];
    const sim = createSimulator({ brands: ['Acme'], ratePerSecond: 100, tickMs: 20, random: seededRandom(1), burstEverySeconds: 1e9 });
    const ctl = new AbortController();
    const run = sim.run({ sink: async (b) => void got.push(...b), signal: ctl.signal, log: silentLogger });
    await new Promise((r) => setTimeout(r, 500));
    ctl.abort();
    const t = Date.now();
    await run;
    expect(Date.now() - t).toBeLessThan(100);
    expect(got.length).toBeGreaterThan(25);
    expect(got.length).toBeLessThan(75);
  });
});
