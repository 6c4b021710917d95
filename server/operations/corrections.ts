import type { User } from '../../shared/auth.js';
import { NotFoundError } from '../../shared/errors.js';
import type { Intent, Mention, SentimentLabel } from '../../shared/mention.js';
import { computePriority } from '../../shared/priority.js';
import { correctionIncrements, sentimentValue } from '../../shared/reports.js';
import type { Learner } from '../learning/learner.js';
import { audit, type OpsDeps } from './deps.js';
import { changeMention } from './mention-write.js';

/**
 * An agent relabels a mention's sentiment or intent: the mention shows the
 * agent's label (and a recomputed priority), the correction is kept, and the
 * brand's model learns from it. A corrected sentiment of a customer's
 * follow-up to a reply also revises its feedback event (experience score).
 */
export async function correctMention(
  deps: OpsDeps & { learner: Learner },
  actor: User,
  id: string,
  input: { version: number; sentiment?: SentimentLabel; intent?: Intent },
): Promise<Mention> {
  const before = await deps.store.mentions.get({ id });
  if (!before) throw new NotFoundError(`No mention with id ${id}`);
  const saved = await changeMention(deps, id, input.version, (m) => {
    const sentiment = input.sentiment
      ? { ...m.scores.sentiment, label: input.sentiment, confidence: 1, method: 'corrected by an agent', score: input.sentiment === 'negative' ? Math.min(m.scores.sentiment.score, -0.5) : input.sentiment === 'positive' ? Math.max(m.scores.sentiment.score, 0.5) : 0 }
      : m.scores.sentiment;
    const intent = input.intent ? { label: input.intent, confidence: 1, cues: ['corrected by an agent'] } : m.scores.intent;
    const priority = computePriority({ sentiment, intent, influence: m.scores.influence, risks: m.scores.risks }, m.author.followers);
    return { ...m, scores: { ...m.scores, sentiment, intent, priority } };
  });
  const at = deps.now().toISOString();
  for (const [kind, label] of [['sentiment', input.sentiment], ['intent', input.intent]] as const) {
    if (!label) continue;
    const correction = { mentionId: id, brand: saved.brand, kind, label, text: saved.text, lang: saved.lang, actorId: actor.id, at };
    await deps.store.corrections.add({ correction });
    deps.learner.learn(correction);
  }
  if (input.sentiment) await reviseFeedbackOf(deps, id, input.sentiment);
  await audit(deps, actor, 'mention.corrected', 'mention', id, { sentiment: before.scores.sentiment.label, intent: before.scores.intent.label }, { sentiment: saved.scores.sentiment.label, intent: saved.scores.intent.label });
  return saved;
}

/**
 * The experience score's "correction" event (shared/reports.ts, FEEDBACK_KINDS):
 * if this mention was counted as feedback on a reply, the store swaps its
 * event for a correction valued by the agent's label (one atomic step, so two
 * agents correcting it at once each revise what the other left), and the
 * rollups move the event from its old kind to "correction" in its period.
 * Called after the mention's compare-and-set won, so once per correction.
 */
async function reviseFeedbackOf(deps: Pick<OpsDeps, 'store'>, mentionId: string, label: SentimentLabel) {
  const value = sentimentValue(label);
  const before = await deps.store.reports.reviseFeedback({ mentionId, kind: 'correction', value });
  if (!before) return;
  const { takeBack, add } = correctionIncrements(before, value);
  if (takeBack.length) await deps.store.reports.forget({ increments: takeBack });
  if (add.length) await deps.store.reports.add({ increments: add });
}
