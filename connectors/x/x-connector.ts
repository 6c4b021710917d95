import { ApiResponseError } from 'twitter-api-v2';
import type { Connector, ConnectorContext } from '../connector.js';
import type { FindReplyQuery } from '../../shared/connector-ports.js';
import { abortableSleep, backoffDelay } from '../sleep.js';
import { oncePerKey } from '../once-per-key.js';
import { queriesFor } from '../query/index.js';
import { budgetedInterval, monthKey } from './read-budget.js';
import { createXClient, describeXError } from './x-client.js';
import { createSearchPoller, type RunnableQuery } from './x-search.js';
import { runFilteredStream } from './x-stream.js';
import { AuthorCache } from './author-cache.js';
import { findXReply } from './x-find-reply.js';
import { createXReplyPoster, replyStatusOf, XReplyError, type XUserAuth } from './x-reply.js';

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
  /** `stream` needs a plan with the filtered stream; `poll` works on every plan. */
  mode?: 'poll' | 'stream';
  pollIntervalMs?: number;
  maxPagesPerPoll?: number;
  /** Tests: send every request to this origin (e.g. http://127.0.0.1:4010) instead of api.x.com. */
  baseUrl?: string;
  now?: () => Date;
  /** Backoff after a failed poll or a dropped stream, doubled per failure up to 64×. */
  backoffMs?: number;
  /** A request X has not answered in this time is abandoned and retried later. */
  requestTimeoutMs?: number;
  /** Silence on the stream (no post, no keep-alive) longer than this reconnects. X sends a keep-alive every 20 s. */
  streamKeepAliveTimeoutMs?: number;
  /** The brand's own account: its mentions timeline is read too. */
  brandUserId?: string;
  brand?: string;
  /** The plan's monthly cap on posts read; polls are spaced to make it last. */
  monthlyReadCap?: number;
  /** The brand account's user context, for replies (the bearer token only reads). */
  userAuth?: XUserAuth | null;
}

/**
 * X through twitter-api-v2: recent search per listening query with a saved
 * `since_id` cursor per query, or the filtered stream with search filling the
 * gaps. Every fetched post is re-checked against the query locally. A 429
 * waits for the reset X gave; other failures back off.
 */
export function createXConnector(opts: XConnectorOptions): Connector {
  const clientOpts = { ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}), ...(opts.requestTimeoutMs ? { requestTimeoutMs: opts.requestTimeoutMs } : {}) };
  const client = createXClient({ token: opts.bearerToken, ...clientOpts });
  const userAuth = opts.userAuth ?? null;
  let health: ConnectorContext['health'];
  const poster = createXReplyPoster(userAuth, clientOpts);
  const now = opts.now ?? (() => new Date());
  const authors = new AuthorCache();
  const poller = createSearchPoller(client, { connectorId: opts.id, maxPagesPerPoll: opts.maxPagesPerPoll ?? 10, now, brand: opts.brand ?? null, authors });
  const redact = (s: string) => s.split(opts.bearerToken).join('***');

  function runnableQueries(ctx: ConnectorContext): RunnableQuery[] {
    return queriesFor('x', opts.queries, ctx.log).flatMap((q) => {
      if (q.search) return [{ ...q, search: q.search }];
      ctx.log.warn('listening query cannot be searched on X', { query: q.id });
      return [];
    });
  }

  async function poll(ctx: ConnectorContext, runnable: RunnableQuery[]) {
    let failures = 0;
    let total = 0;
    let errors = 0;
    while (!ctx.signal.aborted) {
      let wait = opts.pollIntervalMs ?? 60_000;
      try {
        let reads = 0;
        for (const q of runnable) {
          const r = await poller.pollQuery(ctx, q);
          total += r.fetched;
          reads += r.fetched;
          ctx.health?.report({ state: 'ok', lastSuccessAt: now().toISOString(), lagMs: r.lagMs, fetched: total, rateLimit: null });
        }
        if (opts.brandUserId) {
          const r = await poller.pollMentions(ctx, opts.brandUserId);
          total += r.fetched;
          reads += r.fetched;
          ctx.health?.report({ state: 'ok', lastSuccessAt: now().toISOString(), fetched: total, rateLimit: null });
        }
        if (opts.monthlyReadCap) wait = await spendBudget(ctx, reads, Math.max(reads, runnable.length), wait);
        failures = 0;
      } catch (e) {
        errors++;
        const t = now().getTime();
        if (e instanceof ApiResponseError && e.code === 429) {
          const resetMs = (e.rateLimit?.reset ?? Math.ceil(t / 1000) + 60) * 1000;
          wait = Math.max(1000, resetMs - t);
          ctx.health?.report({ state: 'rate_limited', errors, lastErrorAt: new Date(t).toISOString(), lastError: 'rate limited by X', rateLimit: { remaining: 0, resetAt: new Date(resetMs).toISOString() } });
          ctx.log.warn('x rate limited', { waitMs: wait });
        } else {
          failures++;
          wait = backoffDelay(opts.backoffMs ?? 2000, failures);
          const message = redact(describeXError(e));
          ctx.health?.report({ state: e instanceof ApiResponseError && e.code === 401 ? 'error' : 'degraded', errors, lastErrorAt: new Date(t).toISOString(), lastError: message });
          ctx.log.warn('x poll failed', { err: message, retryInMs: wait });
        }
      }
      await abortableSleep(wait, ctx.signal);
    }
  }

  /** Posts read this month are counted in the cursor store, so a restart does not reset the budget. */
  async function spendBudget(ctx: ConnectorContext, reads: number, expectedReads: number, baseMs: number): Promise<number> {
    const t = now();
    const key = `budget:${monthKey(t)}`;
    const cap = opts.monthlyReadCap!;
    const used = Number((await ctx.cursors?.get({ connectorId: opts.id, key })) ?? 0) + reads;
    await ctx.cursors?.set({ connectorId: opts.id, key, value: String(used) });
    const end = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1)).toISOString();
    ctx.health?.report({ budget: { used, cap, periodEnd: end } });
    return budgetedInterval({ now: t, cap, used, lastPollReads: expectedReads, baseMs });
  }

  return {
    id: opts.id,
    platform: 'x',
    async run(ctx) {
      const runnable = runnableQueries(ctx);
      health = ctx.health;
      ctx.health?.report({ state: 'starting', fetched: 0, errors: 0, replies: replyStatusOf(userAuth) });
      if (opts.mode === 'stream') {
        // The brand's mentions timeline has no stream of its own; it keeps polling beside the stream.
        const mentions = opts.brandUserId ? poll(ctx, []) : Promise.resolve();
        const report = (patch: Parameters<NonNullable<ConnectorContext['health']>['report']>[0]) =>
          ctx.health?.report(patch.lastError ? { ...patch, lastError: redact(patch.lastError) } : patch);
        await Promise.all([
          runFilteredStream(client, ctx, runnable, poller, { connectorId: opts.id, keepAliveTimeoutMs: opts.streamKeepAliveTimeoutMs ?? 60_000, connectTimeoutMs: opts.requestTimeoutMs ?? 30_000, backoffMs: opts.backoffMs ?? 2000, now, authors }, report),
          mentions,
        ]);
      } else {
        await poll(ctx, runnable);
      }
      ctx.health?.report({ state: 'stopped' });
    },
    reply: oncePerKey(async (req) => {
      try {
        const r = await poster.post(req);
        health?.report({ replies: replyStatusOf(userAuth) });
        return r;
      } catch (e) {
        // X refusing the user context (revoked, expired) is what an admin must fix: health says so.
        if (userAuth && e instanceof XReplyError && e.refused) health?.report({ replies: { ...replyStatusOf(userAuth), authorised: false, problem: e.message } });
        throw e;
      }
    }),
    replyStatus: () => replyStatusOf(userAuth),
    ...(opts.brandUserId ? { findReply: (q: FindReplyQuery) => findXReply(client, opts.brandUserId!, q) } : {}),
  };
}
