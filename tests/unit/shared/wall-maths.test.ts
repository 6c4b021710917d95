import { describe, expect, it } from 'vitest';
import { brandRolesOf, queryRoleIssues } from '../../../shared/brand-roles.js';
import { DEFAULT_SPIKE_RULE, detectYoungSpike } from '../../../shared/spikes.js';
import { netSentiment, shareOfVoice } from '../../../shared/wall-maths.js';
import { WallLayoutSchema } from '../../../shared/wall.js';
import { crowdTopics } from '../../../server/operations/rising-topics.js';

describe('wall maths', () => {
  it('net sentiment is (positive − negative) over all mentions, in percent; none is null', () => {
    expect(netSentiment({ negative: 1, neutral: 2, positive: 1 })).toBe(0);
    expect(netSentiment({ negative: 3, neutral: 0, positive: 1 })).toBe(-50);
    expect(netSentiment({ negative: 0, neutral: 2, positive: 1 })).toBe(33.3);
    expect(netSentiment({ negative: 0, neutral: 0, positive: 0 })).toBeNull();
  });

  it('share of voice divides the brands’ mentions among them', () => {
    expect(shareOfVoice([{ brand: 'A', total: 3 }, { brand: 'B', total: 1 }])).toEqual([
      { brand: 'A', total: 3, share: 75 },
      { brand: 'B', total: 1, share: 25 },
    ]);
    expect(shareOfVoice([{ brand: 'A', total: 0 }]).map((s) => s.share)).toEqual([0]);
    const three = shareOfVoice([{ brand: 'A', total: 1 }, { brand: 'B', total: 1 }, { brand: 'C', total: 1 }]);
    expect(three.reduce((s, x) => s + x.share, 0)).toBeCloseTo(100, 0);
  });

});

describe('brand roles', () => {
  const q = (brand: string, role: 'own' | 'competitor', competitorOf: string | null = null) => ({ brand, role, competitorOf });
  it('a competitor names an own brand of the same list; an own query names none', () => {
    expect(queryRoleIssues([q('Acme', 'own'), q('Globex', 'competitor', 'acme')])).toEqual([]);
    expect(queryRoleIssues([q('Acme', 'own'), q('Globex', 'competitor')])).toMatchObject([{ index: 1, field: 'competitorOf', message: expect.stringMatching(/required/) }]);
    expect(queryRoleIssues([q('Acme', 'own'), q('Globex', 'competitor', 'Initech')])).toMatchObject([{ index: 1, message: expect.stringMatching(/own brand/) }]);
    expect(queryRoleIssues([q('Acme', 'own', 'Globex')])).toMatchObject([{ index: 0 }]);
    expect(queryRoleIssues([q('Acme', 'own'), q('Acme', 'competitor', 'Acme')])).toMatchObject([{ index: 1, message: expect.stringMatching(/own competitor/) }]);
  });
  it('resolves roles case-blind; own wins; unknown brands are own', () => {
    const r = brandRolesOf([q('Acme Air', 'own'), q('Globex', 'competitor', 'Acme Air'), q('Hooli', 'competitor', 'Acme Air'), q('Hooli', 'own')]);
    expect(r.of('globex')).toEqual({ brand: 'Globex', role: 'competitor', competitorOf: 'Acme Air' });
    expect(r.of('Hooli').role).toBe('own');
    expect(r.of('Nimbus').role).toBe('own');
    expect(r.of(null).role).toBe('own');
    expect(r.competitorsOf('acme air')).toEqual(['Globex']);
  });
});

describe('a young brand’s spike rule', () => {
  const people = (n: number) => () => n;
  it('is never a spike before it has levelMinutes of history before the window', () => {
    expect(detectYoungSpike([0, 200], people(100)).spike).toBe(false);
  });
  it('needs a crowd: the count, the people, and 4× its level so far', () => {
    const level = [20, 20, 20, 20]; // a busy brand: 20 negatives a minute
    expect(detectYoungSpike([...level, 22, 25], people(40)).spike).toBe(false); // ordinary
    expect(detectYoungSpike([...level, 200, 220], people(300)).spike).toBe(true); // an outage
    expect(detectYoungSpike([...level, 200, 220], people(5)).spike).toBe(false); // a handful of accounts
    const quiet = [0, 0, 1, 0];
    expect(detectYoungSpike([...quiet, 6, 4], people(10)).spike).toBe(false); // 10 < minCount 12
    const v = detectYoungSpike([...quiet, 8, 7], people(15));
    expect(v.spike).toBe(true);
    expect(v.current).toBeGreaterThanOrEqual(DEFAULT_SPIKE_RULE.young.minCount);
  });
});

describe('crowd topics (a brand without a baseline)', () => {
  it('shows a phrase only when many people and a fifth of the window use it, pairs first', () => {
    const terms = new Map([
      ['outage', 60],
      ['having outage', 58],
      ['working', 70],
      ['refund', 12],
    ]);
    const out = crowdTopics({ minutes: 10, posts: 200, terms }, 5);
    expect(out.map((t) => t.phrase)).toEqual(['having outage', 'working']);
    expect(crowdTopics({ minutes: 10, posts: 30, terms: new Map([['refund', 9]]) }, 5)).toEqual([]);
  });
});

describe('the wall layout in a link', () => {
  it('parses lists and refuses unknown panels naming the field', () => {
    expect(WallLayoutSchema.parse({ brands: 'Acme Air,Globex', panels: 'sentiment,share', range: '4h' })).toEqual({ brands: ['Acme Air', 'Globex'], panels: ['sentiment', 'share'], range: '4h' });
    const bad = WallLayoutSchema.safeParse({ panels: 'sentiment,weather' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path[0]).toBe('panels');
  });
});

describe('a young brand’s spike rule against its own short history', () => {
  const people = (n: number) => () => n;
  // Issue 13: a competitor's ordinary chatter, 1.2 negatives a minute from many people, whose first two minutes happened to be quiet.
  // Judged against "none so far" (floored at one per 12 hours) its 15 minutes looked like a 1,000× burst and paged.
  const ordinary = [0, 0, 1, 2, 1, 1, 2, 1, 2, 1, 1, 2, 1, 2, 1, 1, 1];
  it('does not page on a steady stream whose first minutes were quiet', () => {
    expect(detectYoungSpike(ordinary, people(15)).spike).toBe(false);
    expect(detectYoungSpike([0, 0, 0, ...ordinary.slice(2), 2, 1, 1], people(18)).spike).toBe(false);
  });
  it('still pages when the window is far above everything before it', () => {
    const v = detectYoungSpike([...ordinary.slice(0, 12), 9, 11, 12], people(30));
    expect(v.spike).toBe(true);
    expect(v.windowMinutes).toBeLessThanOrEqual(3);
  });
});
