import type { Mention } from '../../shared/mention.js';
import { feedbackIncrement, sentimentValue, type FeedbackEvent } from '../../shared/reports.js';
import type { ReportStore } from '../../shared/store.js';

/** How long after a reply the author's next mention still counts as feedback on it. */
export const FEEDBACK_WINDOW_MS = 7 * 86_400_000;

const keyOf = (m: Mention) => `${m.platform}\u0000${m.author.handle.toLowerCase()}`;

/**
 * Stage after persist: a stored mention from an author the team replied to
 * (within the window) is a feedback event on that reply, valued by its
 * sentiment, recorded once: the wait is taken out of the store by the one
 * worker that stores the mention, so a second mention is not feedback again.
 * The event is also kept under the mention's id (a later sentiment correction
 * of that mention turns it into a "correction" event: shared/reports.ts).
 */
export async function recordFeedback(inserted: readonly Mention[], deps: { reports: Pick<ReportStore, 'takeFeedback' | 'awaitFeedback' | 'add' | 'noteFeedback'>; now: () => Date }) {
  if (inserted.length === 0) return 0;
  const earliest = new Map<string, Mention>();
  for (const m of inserted) {
    const k = keyOf(m);
    const have = earliest.get(k);
    if (!have || m.createdAt < have.createdAt) earliest.set(k, m);
  }
  const waits = await deps.reports.takeFeedback({ keys: [...earliest.keys()], since: new Date(deps.now().getTime() - FEEDBACK_WINDOW_MS).toISOString() });
  const events: FeedbackEvent[] = [];
  for (const w of waits) {
    const m = earliest.get(w.key)!;
    // A post older than the reply (fetched late) is not an answer to it: the wait goes back.
    if (m.createdAt < w.repliedAt || m.id === w.mentionId) {
      await deps.reports.awaitFeedback({ wait: w });
      continue;
    }
    events.push({ mentionId: m.id, kind: 'reply_followup', value: sentimentValue(m.scores.sentiment.label), at: m.createdAt, brand: w.brand, network: w.network });
  }
  await deps.reports.add({ increments: events.map((e) => feedbackIncrement(e)) });
  // Kept by mention, so an agent correcting this mention's sentiment revises the event (operations/corrections.ts).
  await deps.reports.noteFeedback({ events });
  return events.length;
}
