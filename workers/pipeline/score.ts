import { newTriage, type NewMention } from '../../shared/mention.js';
import type { Scorer } from '../nlp/index.js';
import type { NormalizedMention, Rejected } from './normalize.js';

/** Stage 3: language, sentiment, influence, intent, priority and the recommended action. */
export function score(
  batch: Array<{ index: number; mention: NormalizedMention }>,
  deps: { scorer: Scorer },
): { scored: Array<{ index: number; mention: NewMention }>; rejected: Rejected[] } {
  const scored: Array<{ index: number; mention: NewMention }> = [];
  const rejected: Rejected[] = [];
  for (const { index, mention } of batch) {
    try {
      const { langHint, ...rest } = mention;
      const out = deps.scorer.score({ text: rest.text, lang: langHint, author: rest.author, engagement: rest.engagement, brand: rest.brand });
      scored.push({
        index,
        mention: {
          ...rest,
          lang: out.lang,
          scores: out.scores,
          triage: newTriage(out.scores.priority.action),
          customerId: null,
        },
      });
    } catch (e) {
      // One unscorable text must not cost the batch; it is reported, not retried.
      rejected.push({ index, message: `scoring failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return { scored, rejected };
}
