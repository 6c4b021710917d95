import type { Action, InfluenceScore, IntentScore, PriorityScore, SentimentScore } from './mention.js';

export interface PriorityInput {
  sentiment: SentimentScore;
  influence: InfluenceScore;
  intent: IntentScore;
  /** Legal, safety or security words found in the text. */
  risks: readonly string[];
}

const INTENT_WEIGHT: Record<IntentScore['label'], number> = {
  complaint: 22,
  question: 16,
  lead: 18,
  praise: 4,
  other: 0,
  spam: -60,
};

const compact = (n: number): string =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M` : n >= 1000 ? `${Math.round(n / 1000)}k` : String(n);

/**
 * Priority 0-100 and the recommended action, with reasons an agent can read.
 * A legitimate gripe and reach raise priority; spam and low-reach neutral chatter sink.
 */
export function computePriority(input: PriorityInput, followers: number): PriorityScore {
  const { sentiment, influence, intent, risks } = input;
  const reasons: string[] = [];
  let score = 20;

  if (sentiment.label === 'negative') {
    const add = 12 + Math.round(18 * Math.min(1, -sentiment.score));
    score += add;
    reasons.push(sentiment.score <= -0.6 ? 'strongly negative' : 'negative');
  } else if (sentiment.label === 'positive') {
    score -= 4;
    reasons.push('positive');
  } else {
    reasons.push('neutral');
  }

  // Reach matters more when something is wrong: a complaint seen by 2M is a fire.
  const reach = influence.score * (sentiment.label === 'negative' ? 0.4 : 0.25);
  score += reach;
  if (influence.score >= 55) reasons.push(`${compact(followers)} followers`);
  if (influence.parts.verified > 0) reasons.push('verified author');

  score += INTENT_WEIGHT[intent.label];
  if (intent.label !== 'other') {
    const cue = intent.cues[0];
    reasons.push(cue ? `${intent.label} ("${cue}")` : intent.label);
  }

  if (risks.length > 0) {
    score += 25;
    reasons.push(`risk: ${risks.join(', ')}`);
  }

  const final = Math.max(0, Math.min(100, Math.round(score)));
  return { score: final, action: recommend(final, input), reasons };
}

function recommend(score: number, { sentiment, intent, influence, risks }: PriorityInput): Action {
  if (intent.label === 'spam') return 'dismiss';
  if (risks.length > 0) return 'escalate';
  if (sentiment.label === 'negative' && influence.score >= 70 && score >= 75) return 'escalate';
  if (intent.label === 'complaint' || intent.label === 'question' || intent.label === 'lead') return 'respond';
  if (score >= 55) return 'respond';
  if (score >= 30 || influence.score >= 50) return 'watch';
  return 'dismiss';
}
