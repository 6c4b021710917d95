import http from 'node:http';
import { ApiResponseError, TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { ReplyResult } from '../../shared/connector-ports.js';
import type { RawMention } from '../../shared/raw-mention.js';
import type { Connector, ConnectorContext } from '../connector.js';
import { abortableSleep } from '../sleep.js';
import { compileForX, isQueryError, matchesListeningQuery, networksOf, parseQuery, type QueryNode } from '../query/index.js';
import { tweetToMention, type XTweet, type XUser } from './map-tweet.js';
import { budgetedInterval, monthKey } from './read-budget.js';

export interface XQuery {
  id: string;
  brand: string;
  /** In Hark's listening query language. */
  query: string;
}

export interface XConnectorOptions {
  id: string;
  bearerToken: string;
  queries: XQuery[];
  pollIntervalMs?: number;
  maxPagesPerPoll?: number;
  /** Tests: send every request to this origin (e.g. http://127.0.0.1:4010) instead of api.x.com. */
  baseUrl?: string;
  now?: () => Date;
  /** Backoff after a failed poll, doubled per failure up to 64×. */
  backoffMs?: number;
  /** The brand's own account: its mentions timeline is read too. */
  brandUserId?: string;
  brand?: string;
  /** The plan's monthly cap on posts read; polls are spaced to make it last. */
  monthlyReadCap?: number;
}

/** A plugin that rewrites every request to a local server speaking the same API. */
function redirectTo(baseUrl: string): ITwitterApiClientPlugin {
  const target = new URL(baseUrl);
  return {
    onBeforeRequest(args) {
      args.computedParams.url.protocol = target.protocol;
      args.computedParams.url.host = target.host;
    },
  };
}

const TWEET_FIELDS = ['created_at', 'lang', 'public_metrics', 'conversation_id', 'referenced_tweets', 'author_id'];

/**
 * X by polling recent search per listening query, with a saved `since_id`
 * cursor per query. The cursor is saved only after the sink accepted the
 * mentions, so a crash re-fetches (the store dedupes) and never loses. Every
 * fetched post is re-checked against the query locally. A 429 waits for the
 * reset X gave; other failures back off.
 */
export function createXConnector(opts: XConnectorOptions): Connector {
  const client = new TwitterApi(opts.bearerToken, opts.baseUrl ? { httpAgent: new http.Agent({ keepAlive: true }), plugins: [redirectTo(opts.baseUrl)] } : undefined);
  const parsed = opts.queries.map((q) => ({ ...q, tree: parseQuery(q.query) }));
  const replies = new Map<string, Promise<ReplyResult>>();

  async function pollQuery(ctx: ConnectorContext, q: XQuery & { tree: QueryNode }, search: string) {
    const key = `search:${q.id}`;
    const since = (await ctx.cursors?.get({ connectorId: opts.id, key })) ?? undefined;
    let page = await client.v2.search(search, {
      max_results: 100,
      ...(since ? { since_id: since } : {}),
      expansions: ['author_id'],
      'tweet.fields': TWEET_FIELDS as never,
      'user.fields': ['public_metrics', 'verified', 'username', 'name'],
    });
    const newest = page.meta.newest_id;
    const batch: RawMention[] = [];
    let fetched = 0;
    for (let pages = 1; ; pages++) {
      const users = new Map<string, XUser>((page.includes?.users ?? []).map((u) => [u.id, u as XUser]));
      for (const t of (page.tweets ?? []) as XTweet[]) {
        fetched++;
        const author = t.author_id ? users.get(t.author_id) : undefined;
        if (!matchesListeningQuery(q.tree, { text: t.text, platform: 'x', lang: t.lang ?? null, authorHandle: author?.username ?? null })) continue;
        batch.push(tweetToMention(t, users, { brand: q.brand, query: q.query }));
      }
      if (page.done || pages >= (opts.maxPagesPerPoll ?? 10) || ctx.signal.aborted) break;
      page = await page.next();
    }
    if (batch.length > 0) await ctx.sink(batch);
    if (newest && newest !== since) await ctx.cursors?.set({ connectorId: opts.id, key, value: newest });
    const newestAt = batch.map((m) => (typeof m.createdAt === 'string' ? Date.parse(m.createdAt) : NaN)).filter(Number.isFinite).sort((a, b) => b - a)[0];
    return { fetched, lagMs: newestAt ? (opts.now?.() ?? new Date()).getTime() - newestAt : null };
  }

  /** Mentions of the brand's own account (everyone who @-mentions it), with its own since_id cursor. */
  async function pollMentions(ctx: ConnectorContext, userId: string) {
    const key = `mentions:${userId}`;
    const since = (await ctx.cursors?.get({ connectorId: opts.id, key })) ?? undefined;
    let page = await client.v2.userMentionTimeline(userId, {
      max_results: 100,
      ...(since ? { since_id: since } : {}),
      expansions: ['author_id'],
      'tweet.fields': TWEET_FIELDS as never,
      'user.fields': ['public_metrics', 'verified', 'username', 'name'],
    });
    const newest = page.meta.newest_id;
    const batch: RawMention[] = [];
    let fetched = 0;
    for (let pages = 1; ; pages++) {
      const users = new Map<string, XUser>((page.includes?.users ?? []).map((u) => [u.id, u as XUser]));
      for (const t of (page.tweets ?? []) as XTweet[]) {
        fetched++;
        batch.push(tweetToMention(t, users, { brand: opts.brand ?? null, query: null }));
      }
      if (page.done || pages >= (opts.maxPagesPerPoll ?? 10) || ctx.signal.aborted) break;
      page = await page.next();
    }
    if (batch.length > 0) await ctx.sink(batch);
    if (newest && newest !== since) await ctx.cursors?.set({ connectorId: opts.id, key, value: newest });
    return { fetched, lagMs: null };
  }

  return {
    id: opts.id,
    platform: 'x',
    async run(ctx) {
      const runnable = parsed.flatMap((q) => {
        if (isQueryError(q.tree)) {
          ctx.log.error('listening query is invalid', { query: q.id, error: q.tree.message, position: q.tree.position });
          return [];
        }
        const nets = networksOf(q.tree);
        if (nets !== 'any' && !nets.has('x')) return [];
        const compiled = compileForX(q.tree);
        if (!compiled.q) {
          ctx.log.warn('listening query cannot be searched on X', { query: q.id });
          return [];
        }
        return [{ ...q, tree: q.tree, search: compiled.q }];
      });
      let failures = 0;
      let total = 0;
      let errors = 0;
      ctx.health?.report({ state: 'starting', fetched: 0, errors: 0 });
      while (!ctx.signal.aborted) {
        let wait = opts.pollIntervalMs ?? 60_000;
        try {
          let reads = 0;
          for (const q of runnable) {
            const r = await pollQuery(ctx, q, q.search);
            total += r.fetched;
            reads += r.fetched;
            ctx.health?.report({ state: 'ok', lastSuccessAt: (opts.now?.() ?? new Date()).toISOString(), lagMs: r.lagMs, fetched: total, rateLimit: null });
          }
          if (opts.brandUserId) {
            const r = await pollMentions(ctx, opts.brandUserId);
            total += r.fetched;
            reads += r.fetched;
            ctx.health?.report({ state: 'ok', lastSuccessAt: (opts.now?.() ?? new Date()).toISOString(), fetched: total, rateLimit: null });
          }
          if (opts.monthlyReadCap) {
            // Posts read this month are counted in the cursor store, so a restart does not reset the budget.
            const now = opts.now?.() ?? new Date();
            const key = `budget:${monthKey(now)}`;
            const used = Number((await ctx.cursors?.get({ connectorId: opts.id, key })) ?? 0) + reads;
            await ctx.cursors?.set({ connectorId: opts.id, key, value: String(used) });
            const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
            wait = budgetedInterval({ now, cap: opts.monthlyReadCap, used, lastPollReads: Math.max(reads, runnable.length), baseMs: wait });
            ctx.health?.report({ budget: { used, cap: opts.monthlyReadCap, periodEnd: end } });
          }
          failures = 0;
        } catch (e) {
          errors++;
          const now = (opts.now?.() ?? new Date()).getTime();
          if (e instanceof ApiResponseError && e.code === 429) {
            const resetMs = (e.rateLimit?.reset ?? Math.ceil(now / 1000) + 60) * 1000;
            wait = Math.max(1000, resetMs - now);
            ctx.health?.report({ state: 'rate_limited', errors, lastErrorAt: new Date(now).toISOString(), lastError: 'rate limited by X', rateLimit: { remaining: 0, resetAt: new Date(resetMs).toISOString() } });
            ctx.log.warn('x rate limited', { waitMs: wait });
          } else {
            failures++;
            wait = (opts.backoffMs ?? 2000) * 2 ** Math.min(6, failures - 1);
            const message = e instanceof Error ? e.message.replace(opts.bearerToken, '***') : String(e);
            ctx.health?.report({ state: 'degraded', errors, lastErrorAt: new Date(now).toISOString(), lastError: message });
            ctx.log.warn('x poll failed', { err: message, retryInMs: wait });
          }
        }
        await abortableSleep(wait, ctx.signal);
      }
      ctx.health?.report({ state: 'stopped' });
    },
    reply(req) {
      let p = replies.get(req.idempotencyKey);
      if (!p) {
        p = client.v2.reply(req.text, req.inReplyToExternalId).then((r) => ({ externalId: r.data.id, url: `https://x.com/i/web/status/${r.data.id}` }));
        // A failed attempt may be retried with the same key; only successes are remembered.
        p.catch(() => replies.delete(req.idempotencyKey));
        replies.set(req.idempotencyKey, p);
      }
      return p;
    },
  };
}
