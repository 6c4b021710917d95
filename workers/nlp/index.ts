import type { Author, Engagement, Scores } from '../../shared/mention.js';
import { computePriority } from '../../shared/priority.js';
import { scoreInfluence } from './influence.js';
import { scoreIntent } from './intent.js';
import { detectLanguage } from './language.js';
import { detectRisks } from './risks.js';
import { scoreSentiment } from './sentiment.js';
import { brandWordsOf } from './brand-words.js';
import { extractFeatures } from './features.js';
import type { IntentModel, SentimentModel } from './model.js';

/** Models learned from agents' corrections for one brand. */
export interface LearnedModels {
  sentiment: SentimentModel | null;
  intent: IntentModel | null;
}

/** A learned model speaks only once it has seen enough corrections to beat the rules. */
export const MIN_LEARNED_EXAMPLES = 20;

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


/**
 * With a trained model, the lexicon's verdict becomes one of the model's
 * features and the model decides; without one, the rule-aware lexicon does.
 */
export function createScorer(opts: { brands?: string[]; model?: SentimentModel | null; learned?: (brand: string | null) => LearnedModels } = {}): Scorer {
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
      const learned = opts.learned?.(input.brand);
      const sentimentModel = learned?.sentiment && learned.sentiment.examples >= MIN_LEARNED_EXAMPLES ? learned.sentiment : opts.model;
      const features = sentimentModel || learned?.intent ? extractFeatures(input.text, sentiment.score, lang) : null;
      if (sentimentModel && features) {
        const { label, probabilities } = sentimentModel.predict(features);
        const [neg, , pos] = probabilities as [number, number, number];
        const source = sentimentModel === opts.model ? 'model' : 'learned from corrections';
        sentiment = { label, score: Math.round((pos - neg) * 1000) / 1000, confidence: Math.round(Math.max(...probabilities) * 100) / 100, method: `${source} (${sentimentModel.examples} examples)+lexicon` };
      }
      const influence = scoreInfluence(input.author, input.engagement);
      let intent = scoreIntent(input.text, sentiment);
      if (learned?.intent && learned.intent.examples >= MIN_LEARNED_EXAMPLES && features) {
        const p = learned.intent.predict(features);
        const confidence = Math.max(...p.probabilities);
        if (confidence >= 0.6 && p.label !== intent.label) intent = { label: p.label, confidence: Math.round(confidence * 100) / 100, cues: ['learned from corrections'] };
      }
      const risks = detectRisks(input.text);
      const priority = computePriority({ sentiment, influence, intent, risks }, input.author.followers);
      return { lang, scores: { sentiment, influence, intent, priority, risks } };
    },
  };
}
