import fs from 'node:fs';
import path from 'node:path';
import { readRecords } from '../../connectors/files/index.js';
import type { SentimentLabel } from '../../shared/mention.js';
import { createScorer, type Scorer } from '../../workers/nlp/index.js';
import { normalizeLabel, trainModel } from '../../workers/nlp/training.js';
import { brandWordsOf } from '../../workers/nlp/brand-words.js';
import { DATA_DIR } from './dev-texts.js';

const author = { id: null, handle: 'x', name: null, followers: 1, verified: false, url: null };
const engagement = { likes: 0, reposts: 0, replies: 0 };
const AIRLINES = ['united', 'AmericanAir', 'JetBlue', 'SouthwestAir', 'USAirways', 'VirginAmerica', 'Delta', 'Virgin America', 'American Air', 'Southwest Air', 'US Airways'];

async function rows(file: string, format?: 'csv' | 'jsonl') {
  const out: Array<Record<string, unknown>> = [];
  if (!fs.existsSync(file)) return out;
  for await (const { record } of readRecords(fs.createReadStream(file), format)) if (record) out.push(record);
  return out;
}

function macroF1(pairs: Array<[SentimentLabel, SentimentLabel]>): number {
  return (
    (['negative', 'neutral', 'positive'] as const)
      .map((l) => {
        const tp = pairs.filter(([g, p]) => g === l && p === l).length;
        const pr = tp / Math.max(1, pairs.filter(([, p]) => p === l).length);
        const rc = tp / Math.max(1, pairs.filter(([g]) => g === l).length);
        return (2 * pr * rc) / Math.max(1e-9, pr + rc);
      })
      .reduce((a, b) => a + b) / 3
  );
}

const label = (s: Scorer, text: string, lang: string | null) => s.score({ text, lang, author, engagement, brand: null }).scores.sentiment.label;

function pearson(x: number[], y: number[]) {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b) / n;
  const my = y.reduce((a, b) => a + b) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

export interface QualityResult {
  airline: number | null;
  semevalEn: number | null;
  multilingual: Record<string, number>;
  multilingualLearned: Record<string, number>;
  amazonPearson: number | null;
  curve: Array<{ corrections: number; f1: number }>;
  intent: {
    complaintRecall: number;
    actionable: number;
    byReason: Record<string, { n: number; complaint: number; actionable: number }>;
    praiseOnPositive: number;
    complaintOnPositive: number;
    supportFirstMessagesActionable: number;
    supportFirstMessages: number;
  };
  scorePerSecond: number;
}

/** Sentiment quality on the labelled dev sets in ../shared/data (issue 4's yardsticks). */
export async function benchQuality(): Promise<QualityResult> {
  const cold = createScorer({ brands: AIRLINES });
  const air = (await rows(path.join(DATA_DIR, 'airline-tweets.dev.csv'))).flatMap((r) => {
    const l = normalizeLabel(r.airline_sentiment);
    return l && typeof r.text === 'string' ? [{ text: r.text, label: l, reason: typeof r.negativereason === 'string' ? r.negativereason : '' }] : [];
  });
  const umsab = (await rows(path.join(DATA_DIR, 'umsab-multilingual-tweets.dev.csv'))).flatMap((r) => {
    const l = normalizeLabel(r.label);
    return l && typeof r.text === 'string' ? [{ text: r.text, label: l, lang: String(r.lang), split: String(r.source_split) }] : [];
  });
  const multilingual: Record<string, number> = {};
  for (const code of ['en', 'es', 'pt', 'fr', 'de', 'it']) {
    const set = umsab.filter((r) => r.lang === code);
    if (set.length) multilingual[code] = macroF1(set.map((r) => [r.label, label(cold, r.text, code)]));
  }
  // Learning per language: a model trained on the set's train rows of that language, tested on its val rows.
  const multilingualLearned: Record<string, number> = {};
  for (const code of ['es', 'pt', 'fr', 'de', 'it']) {
    const train = umsab.filter((r) => r.lang === code && r.split === 'train');
    const val = umsab.filter((r) => r.lang === code && r.split === 'val');
    if (!train.length || !val.length) continue;
    const learned = createScorer({ model: trainModel(train) });
    multilingualLearned[code] = macroF1(val.map((r) => [r.label, label(learned, r.text, code)]));
  }
  const amazonFile = path.join(DATA_DIR, 'vader-amazon-snippets.dev.tsv');
  const amazon = fs.existsSync(amazonFile) ? readTsv(amazonFile) : [];
  const amazonPearson = amazon.length ? pearson(amazon.map((a) => a.valence), amazon.map((a) => cold.score({ text: a.text, lang: 'en', author, engagement, brand: null }).scores.sentiment.score)) : null;

  // Learning curve: the first N posts (seeded shuffle) as corrections, the rest as the test.
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const shuffled = [...air];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const test = shuffled.slice(2000);
  const curve = [0, 250, 500, 1000, 2000].map((n) => {
    const scorer = n === 0 ? cold : createScorer({ brands: AIRLINES, model: trainModel(shuffled.slice(0, n), { brandWords: brandWordsOf(AIRLINES) }) });
    return { corrections: n, f1: macroF1(test.map((r) => [r.label, label(scorer, r.text, 'en')])) };
  });

  // Intent, checked against the airline set's negative reasons and the customer-support conversations' first messages.
  const intentOf = (text: string) => cold.score({ text, lang: null, author, engagement, brand: null }).scores.intent.label;
  const share = <T>(xs: T[], f: (x: T) => boolean) => (xs.length ? xs.filter(f).length / xs.length : 0);
  const withReason = air.filter((r) => r.label === 'negative' && r.reason && r.reason !== "Can't Tell").map((r) => ({ ...r, intent: intentOf(r.text) }));
  const byReason: Record<string, { n: number; complaint: number; actionable: number }> = {};
  for (const r of withReason) {
    const b = (byReason[r.reason] ??= { n: 0, complaint: 0, actionable: 0 });
    b.n++;
    if (r.intent === 'complaint') b.complaint++;
    if (r.intent === 'complaint' || r.intent === 'question') b.actionable++;
  }
  const positives = air.filter((r) => r.label === 'positive').map((r) => intentOf(r.text));
  const twcsFile = path.join(DATA_DIR, 'customer-support-twcs.sample.jsonl');
  const firstMessages = (await rows(twcsFile, 'jsonl')).filter((r) => r.inbound === true && r.in_response_to_tweet_id === null && typeof r.text === 'string').map((r) => intentOf(String(r.text)));
  const intent = {
    complaintRecall: share(withReason, (r) => r.intent === 'complaint'),
    actionable: share(withReason, (r) => r.intent === 'complaint' || r.intent === 'question'),
    byReason: Object.fromEntries(Object.entries(byReason).map(([k, v]) => [k, { n: v.n, complaint: v.complaint / v.n, actionable: v.actionable / v.n }])),
    praiseOnPositive: share(positives, (l) => l === 'praise'),
    complaintOnPositive: share(positives, (l) => l === 'complaint'),
    supportFirstMessagesActionable: share(firstMessages, (l) => l === 'complaint' || l === 'question' || l === 'lead'),
    supportFirstMessages: firstMessages.length,
  };

  const texts = air.slice(0, 10_000).map((r) => r.text);
  const t0 = performance.now();
  for (const t of texts) cold.score({ text: t, lang: null, author, engagement, brand: null });
  const scorePerSecond = texts.length / ((performance.now() - t0) / 1000);

  return {
    airline: air.length ? macroF1(air.map((r) => [r.label, label(cold, r.text, 'en')])) : null,
    semevalEn: multilingual.en ?? null,
    multilingual,
    multilingualLearned,
    amazonPearson,
    curve,
    intent,
    scorePerSecond,
  };
}

function readTsv(file: string) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(1);
  return lines.flatMap((l) => {
    const [, , v, ...text] = l.split('\t');
    return v && text.length ? [{ valence: Number(v), text: text.join('\t') }] : [];
  });
}
