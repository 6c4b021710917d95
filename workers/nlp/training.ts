import type { SentimentLabel } from '../../shared/mention.js';
import { extractFeatures } from './features.js';
import { detectLanguage } from './language.js';
import { SentimentModel } from './model.js';
import { scoreSentiment } from './sentiment.js';

const ALIASES: Record<string, SentimentLabel> = {
  negative: 'negative', neg: 'negative', '-1': 'negative', 'negative emotion': 'negative',
  neutral: 'neutral', neu: 'neutral', '0': 'neutral', none: 'neutral', no_emotion: 'neutral', 'no emotion toward brand or product': 'neutral',
  positive: 'positive', pos: 'positive', '1': 'positive', 'positive emotion': 'positive',
};

/** Reads the common ways data sets spell sentiment; anything else is skipped, not guessed. */
export const normalizeLabel = (v: unknown): SentimentLabel | null => ALIASES[String(v ?? '').trim().toLowerCase()] ?? null;

export interface LabelledText {
  text: string;
  label: SentimentLabel;
  lang?: string | null;
}

/** The features a model sees for a text: the same ones the scorer computes at run time. */
export function featuresFor(text: string, lang: string | null | undefined, brandWords: Set<string> = new Set()) {
  const l = detectLanguage(text, lang);
  return extractFeatures(text, scoreSentiment(text, l, brandWords).score, l);
}

/** A gentler step over more passes: on a few thousand corrections the weights settle instead of chasing the last examples. */
export const TRAINING = { rate: 0.1, l2: 1e-5, epochs: 6 } as const;

export function trainModel(rows: LabelledText[], opts: { epochs?: number; brandWords?: Set<string>; base?: SentimentModel } = {}): SentimentModel {
  const m = opts.base ?? new SentimentModel(TRAINING.rate, TRAINING.l2);
  const data = rows.map((r) => ({ f: featuresFor(r.text, r.lang, opts.brandWords), label: r.label }));
  m.train(data, opts.epochs ?? TRAINING.epochs);
  return m;
}
