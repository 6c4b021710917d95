import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../workers/nlp/index.js';
import { SentimentModel } from '../../../workers/nlp/model.js';
import { normalizeLabel, trainModel, featuresFor } from '../../../workers/nlp/training.js';
import { readRecords } from '../../../connectors/files/index.js';

const author = { id: null, handle: 'u', name: null, followers: 1, verified: false, url: null };
const engagement = { likes: 0, reposts: 0, replies: 0 };

describe('trainable sentiment model', () => {
  it('learns domain words the lexicon does not know, and survives save/load unchanged', () => {
    // "bumped" and "upgraded" mean nothing to a general lexicon; here they decide.
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => ({ text: `got bumped from flight ${i} again`, label: 'negative' as const })),
      ...Array.from({ length: 40 }, (_, i) => ({ text: `got upgraded on flight ${i} today`, label: 'positive' as const })),
      ...Array.from({ length: 40 }, (_, i) => ({ text: `flight ${i} leaves at noon`, label: 'neutral' as const })),
    ];
    const before = createScorer().score({ text: 'bumped from my flight', lang: 'en', author, engagement, brand: null });
    expect(before.scores.sentiment.label).not.toBe('negative');
    const model = trainModel(rows);
    const scorer = createScorer({ model });
    expect(scorer.score({ text: 'bumped from my flight', lang: 'en', author, engagement, brand: null }).scores.sentiment.label).toBe('negative');
    expect(scorer.score({ text: 'upgraded to first class', lang: 'en', author, engagement, brand: null }).scores.sentiment.label).toBe('positive');

    const copy = SentimentModel.load(JSON.parse(JSON.stringify(model.save())));
    const f = featuresFor('bumped from my flight', 'en');
    expect(copy.predict(f).probabilities.map((p) => p.toFixed(3))).toEqual(model.predict(f).probabilities.map((p) => p.toFixed(3)));
    expect(copy.examples).toBe(120);
    expect(() => SentimentModel.load({ kind: 'something-else' })).toThrow(/not a Hark sentiment model/);
  });

  it('keeps learning from more examples (corrections) on top of a saved model', () => {
    const m = trainModel([{ text: 'meh flight', label: 'neutral' }]);
    const grown = trainModel([{ text: 'the lounge was dreadful', label: 'negative' }], { base: m });
    expect(grown.examples).toBe(2);
  });

  it('reads the usual spellings of labels and refuses to guess the rest', () => {
    expect(['Negative', 'pos', 'neutral', 'Positive emotion', '-1'].map(normalizeLabel)).toEqual(['negative', 'positive', 'neutral', 'positive', 'negative']);
    expect(normalizeLabel("I can't tell")).toBeNull();
  });

  const airline = '../shared/data/airline-tweets.dev.csv';
  it.skipIf(!fs.existsSync(airline))('lifts airline macro-F1 well above the lexicon after 2,000 labelled posts', async () => {
    const rows: Array<{ text: string; label: 'negative' | 'neutral' | 'positive' }> = [];
    for await (const { record } of readRecords(fs.createReadStream(airline))) {
      const label = normalizeLabel(record?.airline_sentiment);
      if (label && typeof record?.text === 'string') rows.push({ text: record.text, label });
    }
    const train = rows.filter((_, i) => i % 5 === 0).slice(0, 2000);
    const test = rows.filter((_, i) => i % 5 !== 0);
    const f1 = (scorer: ReturnType<typeof createScorer>) => {
      const pairs = test.map((r) => [r.label, scorer.score({ text: r.text, lang: 'en', author, engagement, brand: null }).scores.sentiment.label]);
      return (['negative', 'neutral', 'positive'] as const).map((l) => {
        const tp = pairs.filter(([g, p]) => g === l && p === l).length;
        const pr = tp / Math.max(1, pairs.filter(([, p]) => p === l).length);
        const rc = tp / Math.max(1, pairs.filter(([g]) => g === l).length);
        return (2 * pr * rc) / Math.max(1e-9, pr + rc);
      }).reduce((a, b) => a + b) / 3;
    };
    const cold = f1(createScorer());
    const warm = f1(createScorer({ model: trainModel(train) }));
    expect(warm).toBeGreaterThan(cold + 0.08);
    expect(warm).toBeGreaterThan(0.7);
  }, 30_000);
});
