import type { Author, Engagement, Scores } from '../../shared/mention.js';
import { computePriority } from '../../shared/priority.js';
import { scoreInfluence } from './influence.js';
import { scoreIntent } from './intent.js';
import { detectLanguage } from './language.js';
import { detectRisks } from './risks.js';
import { scoreSentiment } from './sentiment.js';
import { extractFeatures } from './features.js';
import type { SentimentModel } from './model.js';

export interface ScoreInput {
  text: string;
  lang?: string | null;
  author: Author;
  engagement: Engagement;
  brand: string | null;
}
export interface ScoreOutput {
  lang: string;
  scores: Scores;
}
export interface Scorer {
  score(input: ScoreInput): ScoreOutput;
}

/** Words of the brands' own names, which must never count as sentiment ("Virgin", "Delta", "Nimbus"). */
const brandWordsOf = (brands: string[]) => new Set(brands.flatMap((b) => b.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length > 1));

/**
 * With a trained model, the lexicon's verdict becomes one of the model's
 * features and the model decides; without one, the rule-aware lexicon does.
 */
export function createScorer(opts: { brands?: string[]; model?: SentimentModel | null } = {}): Scorer {
  const configured = brandWordsOf(opts.brands ?? []);
  const perBrand = new Map<string, Set<string>>();
  return {
    score(input) {
      const lang = detectLanguage(input.text, input.lang);
      let words = configured;
      if (input.brand) {
        words = perBrand.get(input.brand) ?? new Set([...configured, ...brandWordsOf([input.brand])]);
        perBrand.set(input.brand, words);
      }
      let sentiment = scoreSentiment(input.text, lang, words);
      if (opts.model) {
        const { label, probabilities } = opts.model.predict(extractFeatures(input.text, sentiment.score, lang));
        const [neg, , pos] = probabilities as [number, number, number];
        sentiment = { label, score: Math.round((pos - neg) * 1000) / 1000, confidence: Math.round(Math.max(...probabilities) * 100) / 100, method: `model(${opts.model.examples} examples)+lexicon` };
      }
      const influence = scoreInfluence(input.author, input.engagement);
      const intent = scoreIntent(input.text, sentiment);
      const risks = detectRisks(input.text);
      const priority = computePriority({ sentiment, influence, intent, risks }, input.author.followers);
      return { lang, scores: { sentiment, influence, intent, priority, risks } };
    },
  };
}
