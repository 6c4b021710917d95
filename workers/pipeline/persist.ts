import { isHarkError } from '../../shared/errors.js';
import type { Mention, NewMention } from '../../shared/mention.js';
import type { MentionStore } from '../../shared/store.js';
import type { Rejected } from './normalize.js';

/**
 * Mentions per write in a process that answers requests. On SQLite a write
 * holds the event loop while it runs (the row, its indexes and ~9 report
 * rollup rows per mention), so an import batch of 500 written at once kept
 * every request waiting behind it. Measured on a 100k-line server import:
 * 100 gave /api/health p50 15 / p95 56 ms, 250 gave 72 / 155 ms, at a cost of
 * ~20% of the write throughput against whole batches (more commits, rollups
 * summed over fewer mentions), which is why only such processes chunk.
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
