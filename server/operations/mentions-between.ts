import type { Mention, SentimentLabel } from '../../shared/mention.js';
import type { Store } from '../../shared/store.js';

/**
 * Mentions created in [from, to), newest first, read page by page up to a cap
 * (the newest `cap` win: for baselines a recent sample is what matters).
 */
export async function mentionsBetween(store: Store, args: { from: number; to: number; sentiment?: SentimentLabel[]; cap: number }): Promise<Mention[]> {
  const out: Mention[] = [];
  let cursor: string | undefined;
  while (out.length < args.cap) {
    const page = await store.mentions.list({
      ...(args.sentiment ? { sentiment: args.sentiment } : {}),
      since: new Date(args.from).toISOString(),
      until: new Date(args.to).toISOString(),
      sort: 'recent',
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out.slice(0, args.cap);
}

