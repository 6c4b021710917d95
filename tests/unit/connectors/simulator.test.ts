import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/log.js';
import { RawMentionSchema, type RawMention } from '../../../shared/raw-mention.js';
import { businessOf, createDemoStream, createSimulator, DEMO_BRANDS, generateMentions, PROFILES, seededRandom, type Business } from '../../../connectors/demo/index.js';
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

describe('simulator: each brand speaks its own business', () => {
  const BRANDS = ['Acme Air', 'Nimbus Mobile', 'Brightbank'];
  // Words that belong to one business only: a post about a brand must not carry another business's words.
  const WORDS: Record<Business, RegExp> = {
    airline: /\b(flight|flights|vuelo|voo|vol|volo|bag|bagaglio|maleta|mala|valise|boarding|check-in|crew|airport|lounge)\b/i,
    mobile: /\b(signal|SIM|eSIM|roaming|coverage|bereik|Netz|réseau|5G|data plan|phone plan)\b/i,
    bank: /\b(debit card|credit card|contactless|carta|tarjeta|Karte|mortgage|fraud|scam|branch|Filiale|filiale|savings|payroll)\b/i,
    retail: /\b(laptop|headphones)\b/,
  };
  const ms = generateMentions(3000, { brands: BRANDS, seed: 21, now: () => new Date(0) });
  const businessOfPost = (brand: string) => {
    const own = Object.entries(DEMO_BRANDS).find(([b, d]) => b === brand || d.competitors.includes(brand));
    return own ? own[1].business : null;
  };

  it('never mixes businesses: no airline words about a bank, no bank words about an airline', () => {
    for (const m of ms) {
      const mine = businessOfPost(String(m.brand));
      expect(mine, String(m.brand)).not.toBeNull();
      for (const [b, re] of Object.entries(WORDS)) {
        if (b === mine || b === 'retail') continue;
        expect(re.test(String(m.text)), `${m.brand}: ${m.text}`).toBe(false);
      }
    }
  });

  it('talks about its own business: flights and bags, coverage and bills, cards and the app', () => {
    for (const brand of BRANDS) {
      const own = ms.filter((m) => m.brand === brand);
      const onTopic = own.filter((m) => WORDS[businessOf(brand)].test(String(m.text)));
      expect(onTopic.length / own.length, brand).toBeGreaterThan(0.3);
    }
  });

  it('posts in every language of each business, and about the competitors too', () => {
    for (const brand of BRANDS) {
      const langs = new Set(ms.filter((m) => m.brand === brand).map((m) => m.lang));
      expect(langs).toEqual(new Set(PROFILES[businessOf(brand)].languages));
    }
    const rivals = Object.values(DEMO_BRANDS).flatMap((d) => d.competitors);
    const about = new Set(ms.map((m) => String(m.brand)).filter((b) => rivals.includes(b)));
    expect(about).toEqual(new Set(rivals));
    // Own brands carry most of the stream.
    expect(ms.filter((m) => BRANDS.includes(String(m.brand))).length / ms.length).toBeGreaterThan(0.7);
  });

  it('has regular customers who post again, with names', () => {
    const byHandle = new Map<string, number>();
    for (const m of ms) byHandle.set(String(m.author!.handle), (byHandle.get(String(m.author!.handle)) ?? 0) + 1);
    expect([...byHandle.values()].filter((n) => n >= 5).length).toBeGreaterThan(10);
    expect(ms.every((m) => typeof m.author!.name === 'string' && m.author!.name.length > 0)).toBe(true);
  });
});

describe('simulator: scenes', () => {
  /** Replays the stream on a clock of its own, one tick per simulated second. */
  function replay(seed: number, untilMs: number) {
    const start = Date.UTC(2026, 11, 1, 9, 0, 0);
    const got: { at: number; m: RawMention }[] = [];
    const scenes: { kind: string; brand: string; at: number }[] = [];
    const stream = createDemoStream({
      brands: ['Acme Air', 'Nimbus Mobile', 'Brightbank'],
      ratePerSecond: 2,
      random: seededRandom(seed),
      startAt: start,
      onScene: (s) => scenes.push({ kind: s.kind, brand: s.brand, at: Date.parse(s.at) - start }),
    });
    for (let t = start; t - start <= untilMs; t += 1000) for (const m of stream.tick(t)) got.push({ at: t - start, m });
    return { got, scenes };
  }

  it('plays an outage from many distinct people within two minutes, then a VIP, a lead and a praise wave within ten', async () => {
    const { got, scenes } = replay(5, 11 * 60_000);
    expect(scenes.map((s) => s.kind).slice(0, 4)).toEqual(['outage', 'vip_complaint', 'sales_lead', 'praise_wave']);
    const outage = scenes[0]!;
    expect(outage.at).toBeLessThan(120_000);
    const burst = got.filter((g) => g.at >= outage.at && g.at < outage.at + 45_000 && g.m.brand === outage.brand && /down|outage/i.test(String(g.m.text)));
    expect(burst.length).toBeGreaterThanOrEqual(20);
    expect(new Set(burst.map((g) => g.m.author!.handle)).size).toBe(burst.length);
    const vip = got.find((g) => g.m.author!.verified && Number(g.m.author!.followers) >= 400_000 && g.at >= scenes[1]!.at);
    expect(vip).toBeDefined();
    expect(got.every((g) => g.m.demo === true)).toBe(true);
  });

  it('is the same run for the same seed', async () => {
    const a = replay(8, 3 * 60_000);
    const b = replay(8, 3 * 60_000);
    expect(a.got.map((g) => g.m.text)).toEqual(b.got.map((g) => g.m.text));
    expect(a.scenes).toEqual(b.scenes);
  });
});
