import type { Author, Engagement, Scores } from '../../shared/mention.js';
import { computePriority } from '../../shared/priority.js';
import { scoreInfluence } from './influence.js';
import { scoreIntent } from './intent.js';
import { detectLanguage } from './language.js';
import { detectRisks } from './risks.js';
import { scoreSentiment } from './sentiment.js';

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

export function createScorer(opts: { brands?: string[] } = {}): Scorer {
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
      const sentiment = scoreSentiment(input.text, lang, words);
      const influence = scoreInfluence(input.author, input.engagement);
      const intent = scoreIntent(input.text, sentiment);
      const risks = detectRisks(input.text);
      const priority = computePriority({ sentiment, influence, intent, risks }, input.author.followers);
      return { lang, scores: { sentiment, influence, intent, priority, risks } };
    },
  };
}
