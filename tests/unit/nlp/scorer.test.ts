import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScoresSchema } from '../../../shared/mention.js';
import { createScorer } from '../../../workers/nlp/index.js';
import { detectLanguage } from '../../../workers/nlp/language.js';
import { scoreInfluence } from '../../../workers/nlp/influence.js';
import { readImportFile } from '../../../connectors/files/index.js';

const scorer = createScorer({ brands: ['Acme Air', 'Delta'] });
const author = { id: null, handle: 'u', name: null, followers: 100, verified: false, url: null };
const engagement = { likes: 0, reposts: 0, replies: 0 };
const score = (text: string, over: Partial<{ lang: string | null; brand: string | null; followers: number; verified: boolean }> = {}) =>
  scorer.score({ text, lang: over.lang ?? null, author: { ...author, followers: over.followers ?? 100, verified: over.verified ?? false }, engagement, brand: over.brand ?? null });

describe('language detection', () => {
  it.each([
    ['en', 'My flight was cancelled and nobody at the desk can tell me anything'],
    ['es', 'Mi vuelo fue cancelado y nadie en el mostrador me dice nada'],
    ['fr', "Mon vol a été annulé et personne au comptoir ne peut m'aider"],
    ['de', 'Mein Flug wurde gestrichen und niemand am Schalter kann mir helfen'],
    ['pt', 'Meu voo foi cancelado e ninguém no balcão consegue me ajudar'],
    ['it', 'Il mio volo è stato cancellato e nessuno al banco mi sa dire niente'],
  ])('detects %s', (lang, text) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('ignores handles and links, trusts a given language, and admits when it cannot tell', () => {
    expect(detectLanguage('@AcmeAir https://t.co/abc')).toBe('und');
    expect(detectLanguage('whatever', 'pt-BR')).toBe('pt');
  });
});

describe('scoring', () => {
  it('reads a complaint as negative, with cues an agent can see', () => {
    const out = score('@AcmeAir flight delayed 5 hours, lost my bag and nobody answers. Worst airline ever.');
    expect(out.scores.sentiment.label).toBe('negative');
    expect(out.scores.intent.label).toBe('complaint');
    expect(out.scores.intent.cues.length).toBeGreaterThan(0);
    expect(ScoresSchema.safeParse(out.scores).success).toBe(true);
  });

  it('handles negation, contrast and emoji', () => {
    expect(score('The crew was not helpful at all').scores.sentiment.label).toBe('negative');
    expect(score('The seat was bad but the crew was amazing, thank you!').scores.sentiment.label).toBe('positive');
    expect(score('Landed 😍😍').scores.sentiment.label).toBe('positive');
  });

  it('never counts the brand name as sentiment', () => {
    // "Delta" is not a feeling; neither is an airline called "Great Air".
    const brandy = createScorer({ brands: ['Great Air'] });
    const out = brandy.score({ text: 'Booked my ticket with Great Air for Monday', lang: 'en', author, engagement, brand: 'Great Air' });
    expect(out.scores.sentiment.label).toBe('neutral');
  });

  it('scores other languages with their own lexicons', () => {
    expect(score('Servicio pésimo, el peor vuelo de mi vida', { lang: 'es' }).scores.sentiment.label).toBe('negative');
    expect(score('Merci beaucoup, service excellent et équipage génial', { lang: 'fr' }).scores.sentiment).toMatchObject({ label: 'positive', method: 'lexicon-fr' });
    expect(score('Das ist eine schreckliche und schlechte App', { lang: 'de' }).scores.sentiment.label).toBe('negative');
  });

  it('tells questions, leads, praise and spam apart', () => {
    expect(score('How do I change the name on my booking?').scores.intent.label).toBe('question');
    expect(score('Thinking about switching to Acme from Globex, is the premium plan worth it?').scores.intent.label).toBe('lead');
    expect(score('Thanks so much, great service today!').scores.intent.label).toBe('praise');
    const spam = score('GIVEAWAY win a free iPhone click here http://x.co/1 #win #free #prize #iphone');
    expect(spam.scores.intent.label).toBe('spam');
    expect(spam.scores.priority.action).toBe('dismiss');
  });

  it('escalates legal and safety risks whatever the reach', () => {
    const out = score('Your charger caught fire, I am calling my lawyer', { followers: 12 });
    expect(out.scores.risks).toEqual(expect.arrayContaining(['legal', 'safety']));
    expect(out.scores.priority.action).toBe('escalate');
  });

  it('ranks influence on a log scale in parts that add up', () => {
    const small = scoreInfluence({ ...author, followers: 10 }, engagement);
    const mid = scoreInfluence({ ...author, followers: 10_000 }, engagement);
    const big = scoreInfluence({ ...author, followers: 2_000_000, verified: true }, { likes: 500, reposts: 100, replies: 40 });
    expect(small.score).toBeLessThan(mid.score);
    expect(mid.score).toBeLessThan(big.score);
    expect(big.score).toBeLessThanOrEqual(100);
    for (const i of [small, mid, big]) expect(i.parts.followers + i.parts.verified + i.parts.engagement).toBeCloseTo(i.score, 5);
  });

  const airline = '../shared/data/airline-tweets.dev.csv';
  it.skipIf(!fs.existsSync(airline))('beats the plain lexicons on the real airline posts (macro-F1 > 0.55)', async () => {
    const pairs: Array<[string, string]> = [];
    for await (const b of readImportFile(fs.createReadStream(airline), { platform: 'x', map: { id: 'tweet_id', brand: 'airline_sentiment' } })) {
      for (const m of b.mentions) pairs.push([String(m.brand), score(String(m.text), { lang: 'en' }).scores.sentiment.label]);
    }
    const f1 = ['negative', 'neutral', 'positive'].map((l) => {
      const tp = pairs.filter(([g, p]) => g === l && p === l).length;
      const prec = tp / Math.max(1, pairs.filter(([, p]) => p === l).length);
      const rec = tp / Math.max(1, pairs.filter(([g]) => g === l).length);
      return (2 * prec * rec) / Math.max(1e-9, prec + rec);
    });
    expect(pairs.length).toBeGreaterThan(10_000);
    expect(f1.reduce((a, b) => a + b) / 3).toBeGreaterThan(0.55);
  });
});
