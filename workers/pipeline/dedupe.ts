import { mentionKey } from '../../shared/mention.js';
import type { MentionStore } from '../../shared/store.js';

/**
 * Stage 2: drops mentions already stored or repeated inside the batch, before
 * the costly scoring. The store's unique key is still the final guard (a race
 * between two workers is settled there).
 */
export async function dedupe<T extends { mention: { platform: string; externalId: string } }>(
  batch: T[],
  deps: { mentions: Pick<MentionStore, 'existingKeys'> },
): Promise<{ fresh: T[]; duplicates: number }> {
  if (batch.length === 0) return { fresh: [], duplicates: 0 };
  const existing = await deps.mentions.existingKeys({ keys: batch.map((b) => b.mention) });
  const seen = new Set<string>();
  const fresh: T[] = [];
  for (const item of batch) {
    const key = mentionKey(item.mention);
    if (existing.has(key) || seen.has(key)) continue;
    seen.add(key);
    fresh.push(item);
  }
  return { fresh, duplicates: batch.length - fresh.length };
}
