import { newTriage, type NewMention } from '../../shared/mention.js';
import type { Scorer } from '../nlp/index.js';
import type { NormalizedMention, Rejected } from './normalize.js';
import { inThisThread, type BatchScorer } from './score-pool.js';

/**
 * Stage 3: language, sentiment, influence, intent, priority and the recommended
 * action, for the whole batch at once: in this thread, or in the scoring pool's
 * threads (PIPELINE_THREADS). Mentions keep their order.
 */
export async function score(
  batch: Array<{ index: number; mention: NormalizedMention }>,
  deps: { scorer: Scorer | BatchScorer },
): Promise<{ scored: Array<{ index: number; mention: NewMention }>; rejected: Rejected[] }> {
  const scored: Array<{ index: number; mention: NewMention }> = [];
  const rejected: Rejected[] = [];
  if (batch.length === 0) return { scored, rejected };
  const scorer = 'scoreMany' in deps.scorer ? deps.scorer : inThisThread(deps.scorer);
  const results = await scorer.scoreMany(batch.map(({ mention: m }) => ({ text: m.text, lang: m.langHint, author: m.author, engagement: m.engagement, brand: m.brand })));
  batch.forEach(({ index, mention }, i) => {
    const out = results[i];
    // One unscorable text must not cost the batch; it is reported, not retried.
    if (!out || 'error' in out) {
      rejected.push({ index, message: `scoring failed: ${out ? out.error : 'no result'}` });
      return;
    }
    const { langHint: _hint, ...rest } = mention;
    scored.push({ index, mention: { ...rest, lang: out.lang, scores: out.scores, triage: newTriage(out.scores.priority.action), customerId: null } });
  });
  return { scored, rejected };
}
