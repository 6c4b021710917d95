import type { TwitterApi } from 'twitter-api-v2';
import type { RawMention } from '../../shared/raw-mention.js';
import type { ConnectorContext } from '../connector.js';
import { matchesListeningQuery, type QueryNode } from '../query/index.js';
import { newerId } from './tweet-ids.js';
import type { RecentIds } from './recent-ids.js';
import type { AuthorCache } from './author-cache.js';
import { tweetToMention, type XTweet, type XUser } from './map-tweet.js';

export const TWEET_FIELDS = ['created_at', 'lang', 'public_metrics', 'conversation_id', 'referenced_tweets', 'author_id'];
export const USER_FIELDS = ['public_metrics', 'verified', 'username', 'name'];

export interface RunnableQuery {
  id: string;
  brand: string;
  query: string;
  tree: QueryNode;
  /** The query compiled to X's search syntax (wider than the query, never narrower). */
  search: string;
}

export interface PollResult {
  fetched: number;
  lagMs: number | null;
  /** True while a burst is only partly fetched: the next poll continues down it. */
  pending: boolean;
}

/** One page source: recent search or the brand's mentions timeline, both paginated the same way. */
type Paginator = Awaited<ReturnType<TwitterApi['v2']['search']>>;

/**
 * Where a feed stands. Everything up to `since` is stored. While a burst
 * longer than one poll's pages is being read, `pending` says what is left:
 * the posts between `since` and `until` (X pages newest → oldest, so the
 * fetched part is at the top), and `newest`, where `since` moves once the
 * burst is drained. Saved as the plain id when nothing is pending, as
 * before, so existing cursors keep working.
 */
export interface FeedCursor {
  since: string | null;
  pending: { until: string; newest: string } | null;
}

export function parseCursor(value: string | null | undefined): FeedCursor {
  if (!value) return { since: null, pending: null };
  if (!value.startsWith('{')) return { since: value, pending: null };
  try {
    const o = JSON.parse(value) as { since?: string | null; until?: string; newest?: string };
    return { since: o.since ?? null, pending: o.until && o.newest ? { until: o.until, newest: o.newest } : null };
  } catch {
    return { since: null, pending: null };
  }
}

export const formatCursor = (c: FeedCursor): string => (c.pending ? JSON.stringify({ since: c.since, until: c.pending.until, newest: c.pending.newest }) : (c.since ?? ''));

/**
 * Moves a feed's cursor to a post delivered elsewhere (the stream), only
 * after the sink accepted it. During a burst only its `newest` moves: the
 * rest of the burst is still to be read.
 */
export async function advanceCursor(ctx: ConnectorContext, connectorId: string, key: string, id: string): Promise<void> {
  const cur = parseCursor(await ctx.cursors?.get({ connectorId, key }));
  if (cur.pending ? !newerId(id, cur.pending.newest) : !newerId(id, cur.since)) return;
  const next: FeedCursor = cur.pending ? { since: cur.since, pending: { ...cur.pending, newest: id } } : { since: id, pending: null };
  await ctx.cursors?.set({ connectorId, key, value: formatCursor(next) });
}

/**
 * Reads what is newer than the saved cursor (or the rest of a pending
 * burst), at most `maxPages` pages, hands it to the sink, and only then saves
 * the cursor: a crash in between re-fetches (the store dedupes) and never
 * skips. A poll that stops before the last page leaves the cursor where the
 * fetched pages end, so the next one continues there. Posts are re-checked
 * against the query locally.
 */
async function drain(
  ctx: ConnectorContext,
  args: { connectorId: string; key: string; maxPages: number; now: () => Date; authors: AuthorCache },
  open: (range: { since?: string; until?: string }) => Promise<Paginator>,
  toMention: (t: XTweet, users: Map<string, XUser>) => RawMention | null,
  recent?: RecentIds,
): Promise<PollResult> {
  const cur = parseCursor(await ctx.cursors?.get({ connectorId: args.connectorId, key: args.key }));
  let page = await open({ ...(cur.since ? { since: cur.since } : {}), ...(cur.pending ? { until: cur.pending.until } : {}) });
  const newest = cur.pending?.newest ?? page.meta.newest_id;
  const batch: RawMention[] = [];
  const seen = new Set<string>();
  let oldest: string | null = null;
  let fetched = 0;
  let drained = false;
  for (let pages = 1; ; pages++) {
    const users = args.authors.merge((page.includes?.users ?? []) as XUser[], ((page.tweets ?? []) as XTweet[]).map((t) => t.author_id));
    for (const t of (page.tweets ?? []) as XTweet[]) {
      fetched++;
      if (oldest === null || newerId(oldest, t.id)) oldest = t.id;
      if (seen.has(t.id)) continue; // the same post on two pages when new posts shift the pages
      seen.add(t.id);
      const m = toMention(t, users);
      if (m && (!recent || recent.add(t.id))) batch.push(m);
    }
    if (page.done) {
      drained = true;
      break;
    }
    if (pages >= args.maxPages || ctx.signal.aborted) break;
    page = await page.next();
  }
  if (batch.length > 0) await ctx.sink(batch);
  let next: FeedCursor = cur;
  if (drained) next = { since: newest && newerId(newest, cur.since) ? newest : cur.since, pending: null };
  else if (newest && oldest) next = { since: cur.since, pending: { until: oldest, newest } };
  const value = formatCursor(next);
  if (value !== formatCursor(cur)) await ctx.cursors?.set({ connectorId: args.connectorId, key: args.key, value });
  return { fetched, lagMs: lagOf(batch, args.now), pending: next.pending !== null };
}

/** How far behind the newest post of a batch is; null for an empty batch or posts without dates. */
export function lagOf(batch: readonly RawMention[], now: () => Date): number | null {
  const newest = Math.max(...batch.map((m) => (typeof m.createdAt === 'string' ? Date.parse(m.createdAt) : NaN)).filter(Number.isFinite));
  return Number.isFinite(newest) ? now().getTime() - newest : null;
}

export const searchCursorKey = (queryId: string) => `search:${queryId}`;

export function createSearchPoller(client: TwitterApi, opts: { connectorId: string; maxPagesPerPoll: number; now: () => Date; brand: string | null; authors: AuthorCache }) {
  const base = { connectorId: opts.connectorId, maxPages: opts.maxPagesPerPoll, now: opts.now, authors: opts.authors };
  const range = (r: { since?: string; until?: string }) => ({ ...(r.since ? { since_id: r.since } : {}), ...(r.until ? { until_id: r.until } : {}) });
  const fields = { max_results: 100, expansions: ['author_id'], 'tweet.fields': TWEET_FIELDS, 'user.fields': USER_FIELDS } as const;
  return {
    /** Recent search for one listening query, with its own since_id cursor. */
    pollQuery(ctx: ConnectorContext, q: RunnableQuery, recent?: RecentIds): Promise<PollResult> {
      return drain(
        ctx,
        { ...base, key: searchCursorKey(q.id) },
        (r) => client.v2.search(q.search, { ...fields, ...range(r) } as never),
        (t, users) => {
          const author = t.author_id ? users.get(t.author_id) : undefined;
          if (!matchesListeningQuery(q.tree, { text: t.text, platform: 'x', lang: t.lang ?? null, authorHandle: author?.username ?? null })) return null;
          return tweetToMention(t, users, { brand: q.brand, query: q.query });
        },
        recent,
      );
    },
    /** Mentions of the brand's own account (everyone who @-mentions it). */
    pollMentions(ctx: ConnectorContext, userId: string): Promise<PollResult> {
      return drain(
        ctx,
        { ...base, key: `mentions:${userId}` },
        (r) => client.v2.userMentionTimeline(userId, { ...fields, ...range(r) } as never) as unknown as Promise<Paginator>,
        (t, users) => tweetToMention(t, users, { brand: opts.brand, query: null }),
      );
    },
  };
}
