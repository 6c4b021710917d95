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
}

/** One page source: recent search or the brand's mentions timeline, both paginated the same way. */
type Paginator = Awaited<ReturnType<TwitterApi['v2']['search']>>;

/**
 * Reads everything newer than the saved cursor, hands it to the sink, and only
 * then saves the cursor: a crash in between re-fetches (the store dedupes)
 * and never skips. Posts are re-checked against the query locally.
 */
async function drain(
  ctx: ConnectorContext,
  args: { connectorId: string; key: string; maxPages: number; now: () => Date; authors: AuthorCache },
  open: (since: string | undefined) => Promise<Paginator>,
  toMention: (t: XTweet, users: Map<string, XUser>) => RawMention | null,
  recent?: RecentIds,
): Promise<PollResult> {
  const since = (await ctx.cursors?.get({ connectorId: args.connectorId, key: args.key })) ?? undefined;
  let page = await open(since);
  const newest = page.meta.newest_id;
  const batch: RawMention[] = [];
  const seen = new Set<string>();
  let fetched = 0;
  for (let pages = 1; ; pages++) {
    const users = args.authors.merge((page.includes?.users ?? []) as XUser[], ((page.tweets ?? []) as XTweet[]).map((t) => t.author_id));
    for (const t of (page.tweets ?? []) as XTweet[]) {
      fetched++;
      if (seen.has(t.id)) continue; // the same post on two pages when new posts shift the pages
      seen.add(t.id);
      const m = toMention(t, users);
      if (m && (!recent || recent.add(t.id))) batch.push(m);
    }
    if (page.done || pages >= args.maxPages || ctx.signal.aborted) break;
    page = await page.next();
  }
  if (batch.length > 0) await ctx.sink(batch);
  if (newest && newerId(newest, since)) await ctx.cursors?.set({ connectorId: args.connectorId, key: args.key, value: newest });
  return { fetched, lagMs: lagOf(batch, args.now) };
}

/** How far behind the newest post of a batch is; null for an empty batch or posts without dates. */
export function lagOf(batch: readonly RawMention[], now: () => Date): number | null {
  const newest = Math.max(...batch.map((m) => (typeof m.createdAt === 'string' ? Date.parse(m.createdAt) : NaN)).filter(Number.isFinite));
  return Number.isFinite(newest) ? now().getTime() - newest : null;
}

export const searchCursorKey = (queryId: string) => `search:${queryId}`;

export function createSearchPoller(client: TwitterApi, opts: { connectorId: string; maxPagesPerPoll: number; now: () => Date; brand: string | null; authors: AuthorCache }) {
  const base = { connectorId: opts.connectorId, maxPages: opts.maxPagesPerPoll, now: opts.now, authors: opts.authors };
  const fields = { max_results: 100, expansions: ['author_id'], 'tweet.fields': TWEET_FIELDS, 'user.fields': USER_FIELDS } as const;
  return {
    /** Recent search for one listening query, with its own since_id cursor. */
    pollQuery(ctx: ConnectorContext, q: RunnableQuery, recent?: RecentIds): Promise<PollResult> {
      return drain(
        ctx,
        { ...base, key: searchCursorKey(q.id) },
        (since) => client.v2.search(q.search, { ...fields, ...(since ? { since_id: since } : {}) } as never),
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
        (since) => client.v2.userMentionTimeline(userId, { ...fields, ...(since ? { since_id: since } : {}) } as never) as unknown as Promise<Paginator>,
        (t, users) => tweetToMention(t, users, { brand: opts.brand, query: null }),
      );
    },
  };
}
