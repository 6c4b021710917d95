import { isHarkError } from '../../shared/errors.js';
import type { RawMention } from '../../shared/raw-mention.js';
import type { Connector, ConnectorContext } from '../connector.js';
import { abortableSleep, backoffDelay } from '../sleep.js';
import { oncePerKey } from '../once-per-key.js';
import { findRedditReply } from './reddit-find-reply.js';
import type { FindReplyQuery } from '../../shared/connector-ports.js';
import { matchesListeningQuery, queriesFor } from '../query/index.js';
import { RedditClient, type RedditAuth, type RedditThing } from './reddit-client.js';

export interface RedditConnectorOptions {
  id: string;
  auth: RedditAuth;
  /** Subreddits whose new posts and comments are read (and re-checked against the queries). */
  subreddits: string[];
  queries: Array<{ id: string; brand: string; query: string }>;
  pollIntervalMs?: number;
  backoffMs?: number;
  baseUrl?: string;
  authUrl?: string;
  /** A request Reddit has not answered in this time is abandoned and retried later. */
  requestTimeoutMs?: number;
}

const GONE = new Set(['[deleted]', '[removed]']);

function toMention(t: RedditThing, brand: string, query: string): RawMention | null {
  const d = t.data;
  const text = t.kind === 't3' ? [d.title, d.selftext].filter(Boolean).join('\n\n') : (d.body ?? '');
  if (!text.trim() || GONE.has(text.trim()) || GONE.has(d.author ?? '') || d.removed_by_category) return null;
  return {
    platform: 'reddit',
    externalId: d.name,
    text,
    createdAt: d.created_utc ? d.created_utc * 1000 : undefined,
    url: d.permalink ? `https://www.reddit.com${d.permalink}` : null,
    author: { handle: d.author ?? 'unknown', url: d.author ? `https://www.reddit.com/user/${encodeURIComponent(d.author)}` : null },
    engagement: { likes: Math.max(0, d.score ?? 0), replies: d.num_comments ?? 0 },
    inReplyTo: t.kind === 't1' ? (d.parent_id ?? null) : null,
    conversationId: d.link_id ?? (t.kind === 't3' ? d.name : null),
    brand,
    query,
  };
}

/**
 * Reddit by polling: search per listening query and the new posts and
 * comments of chosen subreddits, each with its own cursor (the newest
 * fullname seen, saved only after the sink accepted). One post reached by two
 * feeds is handed over once.
 */
export function createRedditConnector(opts: RedditConnectorOptions): Connector {
  const client = new RedditClient(opts.auth, { baseUrl: opts.baseUrl, authUrl: opts.authUrl, ...(opts.requestTimeoutMs ? { timeoutMs: opts.requestTimeoutMs } : {}) });

  async function feed(ctx: ConnectorContext, key: string, path: string, params: Record<string, string>, seen: Set<string>, pick: (t: RedditThing) => { brand: string; query: string } | null) {
    const before = (await ctx.cursors?.get({ connectorId: opts.id, key })) ?? undefined;
    const page = await client.listing(path, before ? { ...params, before } : params);
    const out: RawMention[] = [];
    for (const t of page.children) {
      if (seen.has(t.data.name)) continue;
      const hit = pick(t);
      if (!hit) continue;
      const m = toMention(t, hit.brand, hit.query);
      if (!m) continue;
      seen.add(t.data.name);
      out.push(m);
    }
    return { out, newest: page.children[0]?.data.name ?? null, key, fetched: page.children.length };
  }

  return {
    id: opts.id,
    platform: 'reddit',
    async run(ctx) {
      const valid = queriesFor('reddit', opts.queries, ctx.log);
      const firstMatch = (t: RedditThing) => {
        const text = t.kind === 't3' ? `${t.data.title ?? ''} ${t.data.selftext ?? ''}` : (t.data.body ?? '');
        const q = valid.find((v) => matchesListeningQuery(v.tree, { text, platform: 'reddit', lang: null, authorHandle: t.data.author ?? null }));
        return q ? { brand: q.brand, query: q.query } : null;
      };
      let failures = 0;
      let errors = 0;
      let total = 0;
      while (!ctx.signal.aborted) {
        let wait = opts.pollIntervalMs ?? 60_000;
        try {
          const seen = new Set<string>();
          const results = [];
          for (const q of valid) {
            if (q.search) results.push(await feed(ctx, `search:${q.id}`, '/search', { q: q.search, sort: 'new', type: 'link' }, seen, firstMatch));
          }
          for (const sub of opts.subreddits) {
            results.push(await feed(ctx, `r/${sub}/new`, `/r/${encodeURIComponent(sub)}/new`, {}, seen, firstMatch));
            results.push(await feed(ctx, `r/${sub}/comments`, `/r/${encodeURIComponent(sub)}/comments`, {}, seen, firstMatch));
          }
          const batch = results.flatMap((r) => r.out);
          if (batch.length > 0) await ctx.sink(batch);
          for (const r of results) if (r.newest) await ctx.cursors?.set({ connectorId: opts.id, key: r.key, value: r.newest });
          total += results.reduce((s, r) => s + r.fetched, 0);
          failures = 0;
          ctx.health?.report({ state: 'ok', lastSuccessAt: new Date().toISOString(), fetched: total, rateLimit: { remaining: client.rateLimit.remaining, resetAt: client.rateLimit.resetAt ? new Date(client.rateLimit.resetAt).toISOString() : null } });
        } catch (e) {
          errors++;
          const message = e instanceof Error ? e.message : String(e);
          if (isHarkError(e) && e.code === 'rate_limited') {
            wait = Math.max(wait, (e.details as { retryAfterMs: number }).retryAfterMs);
            ctx.health?.report({ state: 'rate_limited', errors, lastErrorAt: new Date().toISOString(), lastError: message, rateLimit: { remaining: 0, resetAt: new Date(Date.now() + wait).toISOString() } });
          } else {
            failures++;
            wait = backoffDelay(opts.backoffMs ?? 2000, failures);
            ctx.health?.report({ state: 'degraded', errors, lastErrorAt: new Date().toISOString(), lastError: message });
          }
          ctx.log.warn('reddit poll failed', { err: message, retryInMs: wait });
        }
        await abortableSleep(wait, ctx.signal);
      }
      ctx.health?.report({ state: 'stopped' });
    },
    reply: oncePerKey((req) => client.comment(req.inReplyToExternalId, req.text).then((c) => ({ externalId: c.name, url: c.permalink ? `https://www.reddit.com${c.permalink}` : null }))),
    // Only a script app signs in as the account that comments; app-only access has no account to look at.
    ...(opts.auth.username ? { findReply: (q: FindReplyQuery) => findRedditReply(client, opts.auth.username!, q) } : {}),
  };
}
