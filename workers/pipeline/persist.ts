import { isHarkError } from '../../shared/errors.js';
import type { Mention, NewMention } from '../../shared/mention.js';
import type { MentionStore } from '../../shared/store.js';
import type { Rejected } from './normalize.js';

/**
 * Stage 4: stores the batch in one write. If the write fails for a reason
 * other than the database being unavailable, the batch is retried one mention
 * at a time so a single bad record is isolated instead of losing its neighbours.
 */
export async function persist(
  batch: Array<{ index: number; mention: NewMention }>,
  deps: { mentions: Pick<MentionStore, 'insertMany'> },
): Promise<{ inserted: Mention[]; duplicates: number; rejected: Rejected[] }> {
  if (batch.length === 0) return { inserted: [], duplicates: 0, rejected: [] };
  try {
    const res = await deps.mentions.insertMany({ mentions: batch.map((b) => b.mention) });
    return { ...res, rejected: [] };
  } catch (e) {
    if (isHarkError(e) && e.code === 'unavailable') throw e;
    const inserted: Mention[] = [];
    const rejected: Rejected[] = [];
    let duplicates = 0;
    for (const { index, mention } of batch) {
      try {
        const res = await deps.mentions.insertMany({ mentions: [mention] });
        inserted.push(...res.inserted);
        duplicates += res.duplicates;
      } catch (err) {
        if (isHarkError(err) && err.code === 'unavailable') throw err;
        rejected.push({ index, message: `store refused it: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    return { inserted, duplicates, rejected };
  }
}
