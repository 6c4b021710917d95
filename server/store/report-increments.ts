import type { Mention } from '../../shared/mention.js';
import { NO_BRAND, type ReportIncrement } from '../../shared/reports.js';
import { casePriorityFor } from '../../shared/sla.js';
import { brandWordsOf } from '../../workers/nlp/brand-words.js';
import { topicTerms } from '../../workers/nlp/topics.js';

/** Topic terms counted per negative mention: enough for what it is about, bounded so one long post cannot flood the rollups. */
const MAX_TOPICS = 6;
const MAX_REASONS = 3;

export const priorityBand = (score: number) => casePriorityFor(score);

/** The reasons a negative mention gives: its intent with the words that decided it, and its risk words. */
export function negativeReasons(m: Pick<Mention, 'scores'>): string[] {
  const { intent, risks } = m.scores;
  const out = intent.cues.length ? intent.cues.slice(0, 3).map((c) => `${intent.label}: ${c.toLowerCase()}`) : [intent.label];
  for (const r of risks) out.push(`risk: ${r}`);
  return [...new Set(out)].slice(0, MAX_REASONS);
}

/**
 * What one stored mention adds to the report rollups: volume by sentiment and
 * intent, "received" for the response rate by team, network, priority and
 * brand, and for negatives their topics and reasons. Written by the store in
 * the write that stores the mention (both adapters call this).
 */
export function mentionIncrements(mentions: readonly Mention[]): ReportIncrement[] {
  const out: ReportIncrement[] = [];
  for (const m of mentions) {
    const base = { at: m.createdAt, brand: m.brand ?? NO_BRAND, network: m.platform, bucket: -1, n: 1, sum: 0 };
    out.push({ ...base, dim: 'sentiment', value: m.scores.sentiment.label, metric: 'mentions', sum: m.scores.sentiment.score });
    out.push({ ...base, dim: 'intent', value: m.scores.intent.label, metric: 'mentions' });
    const received = { ...base, metric: 'received' };
    out.push({ ...received, dim: 'resp.team', value: m.triage.team ?? '(none)' });
    out.push({ ...received, dim: 'resp.network', value: m.platform });
    out.push({ ...received, dim: 'resp.priority', value: priorityBand(m.scores.priority.score) });
    out.push({ ...received, dim: 'resp.brand', value: base.brand });
    if (m.scores.sentiment.label === 'negative') {
      for (const t of topicTerms(m.text, brandWordsOf([m.brand])).slice(0, MAX_TOPICS)) out.push({ ...base, dim: 'neg.topic', value: t.slice(0, 120), metric: 'mentions' });
      for (const r of negativeReasons(m)) out.push({ ...base, dim: 'neg.reason', value: r.slice(0, 120), metric: 'mentions' });
    }
  }
  return out;
}

/** The increments that carry words of the text (negative topics and reasons): what an erasure takes back out. */
export const textIncrements = (mentions: readonly Mention[]): ReportIncrement[] => mentionIncrements(mentions).filter((i) => i.dim === 'neg.topic' || i.dim === 'neg.reason');
