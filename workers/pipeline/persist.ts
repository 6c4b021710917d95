import { isHarkError } from '../../shared/errors.js';
import type { Mention, NewMention } from '../../shared/mention.js';
import type { MentionStore } from '../../shared/store.js';
import type { Rejected } from './normalize.js';

/**
 * Mentions per write. On SQLite a write holds the event loop while it runs
 * (the row, its indexes and ~16 report rollup rows per mention: ~0.2 ms each on
 * a quiet core), so an import batch of 500 written at once kept every request
 * waiting ~100 ms per batch; 100 keeps that wait near 20 ms at a cost of a
 * commit per 100 rows.
 */
export const WRITE_CHUNK = 100;

/**
 * Stage 4: stores the batch in writes of WRITE_CHUNK mentions, letting other
 * work run between them. If a write fails for a reason other than the database
 * being unavailable, that chunk is retried one mention at a time so a single
 * bad record is isolated instead of losing its neighbours. A crash between
 * chunks leaves the first ones stored; a retry finds them as duplicates.
 */
export async function persist(
  batch: Array<{ index: number; mention: NewMention }>,
  deps: { mentions: Pick<MentionStore, 'insertMany'> },
  chunk = WRITE_CHUNK,
): Promise<{ inserted: Mention[]; duplicates: number; rejected: Rejected[] }> {
  if (batch.length <= chunk) return persistChunk(batch, deps);
  const out = { inserted: [] as Mention[], duplicates: 0, rejected: [] as Rejected[] };
  for (let i = 0; i < batch.length; i += chunk) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    const res = await persistChunk(batch.slice(i, i + chunk), deps);
    out.inserted.push(...res.inserted);
    out.duplicates += res.duplicates;
    out.rejected.push(...res.rejected);
  }
  return out;
}

async function persistChunk(
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
