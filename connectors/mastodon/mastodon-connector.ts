import { HarkError, isHarkError } from '../../shared/errors.js';
import type { ConnectorHealth } from '../../shared/connector-ports.js';
import type { RawMention } from '../../shared/raw-mention.js';
import type { Connector, ConnectorContext } from '../connector.js';
import { oncePerKey } from '../once-per-key.js';
import { matchesListeningQuery, queriesFor, type QueryNode } from '../query/index.js';
import { abortableSleep, backoffDelay } from '../sleep.js';
import { handshakeStatus, openWsSession } from '../ws-session.js';
import { RecentIds } from '../x/recent-ids.js';
import { createInstanceClient, type InstanceClient } from './mastodon-api.js';
import { camelize, matchable, newerStatusId, statusToMention, type MastoStatus } from './mastodon-status.js';

export interface MastodonConnectorOptions {
  id: string;
  queries: Array<{ id: string; brand: string; query: string }>;
  /** Instance origins, e.g. https://mastodon.social. */
  instances: string[];
  /** Access token per instance host; needed to reply, and by instances that keep their public timelines to signed-in users. */
  tokens: Record<string, string>;
  hashtags: string[];
  timeline: 'public' | 'local' | 'none';
  /** The instance of the account that replies; null: the first instance with a token. */
  replyInstance: string | null;
  /** Pages (40 statuses each) read per timeline to fill the gap after a (re)connect. */
  backfillPages?: number;
  backoffMs?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
  now?: () => Date;
}

type Runnable = { id: string; brand: string; query: string; tree: QueryNode };
type Feed = { key: string; subscribe: Record<string, string>; rest: { kind: 'public' | 'local' } | { kind: 'tag'; tag: string } };
type Report = (patch: Partial<Omit<ConnectorHealth, 'connectorId' | 'platform'>>) => void;

export const feedCursorKey = (host: string, feed: string) => `${host}:${feed}`;

function feedsOf(opts: MastodonConnectorOptions): Feed[] {
  const feeds: Feed[] = [];
  if (opts.timeline === 'public') feeds.push({ key: 'public', subscribe: { stream: 'public' }, rest: { kind: 'public' } });
  if (opts.timeline === 'local') feeds.push({ key: 'local', subscribe: { stream: 'public:local' }, rest: { kind: 'local' } });
  for (const tag of new Set(opts.hashtags.map((t) => t.toLowerCase()))) feeds.push({ key: `tag:${tag}`, subscribe: { stream: 'hashtag', tag }, rest: { kind: 'tag', tag } });
  return feeds;
}

/** The feed a streaming event belongs to: ["public"], ["public:local"] or ["hashtag", "acme"]. */
function feedOfEvent(stream: unknown): string | null {
  if (!Array.isArray(stream)) return null;
  if (stream[0] === 'public') return 'public';
  if (stream[0] === 'public:local') return 'local';
  if (stream[0] === 'hashtag' && typeof stream[1] === 'string') return `tag:${stream[1].toLowerCase()}`;
  return null;
}

/**
 * Mastodon through the streaming API of each configured instance (the
 * public or local timeline and hashtags, over one WebSocket per instance),
 * every status re-checked against the listening queries. After every
 * (re)connect the same timelines are read over REST from each feed's cursor
 * (the newest status id handed over, per instance) while stream events wait,
 * so a drop loses nothing. Replies are statuses with in_reply_to_id, posted
 * through masto with the reply instance's token.
 */
export function createMastodonConnector(opts: MastodonConnectorOptions): Connector {
  const timeoutMs = opts.requestTimeoutMs ?? 15_000;
  const now = opts.now ?? (() => new Date());
  const tokenOf = (origin: string) => opts.tokens[new URL(origin).host.toLowerCase()];
  const clients = opts.instances.map((origin) => createInstanceClient({ origin, accessToken: tokenOf(origin), timeoutMs }));
  const secrets = Object.values(opts.tokens);
  const redact = (s: string) => secrets.reduce((acc, t) => acc.split(t).join('***'), s);
  const feeds = feedsOf(opts);
  const replyOrigin = opts.replyInstance ?? opts.instances.find((o) => tokenOf(o)) ?? null;
  const replier = replyOrigin && tokenOf(replyOrigin) ? (clients.find((c) => c.origin === replyOrigin) ?? createInstanceClient({ origin: replyOrigin, accessToken: tokenOf(replyOrigin), timeoutMs })) : null;

  async function listen(ctx: ConnectorContext, inst: InstanceClient, valid: Runnable[], recent: { ids: RecentIds }, shared: { connected: Set<string>; reconnects: number; errors: number; fetched: number }, report: Report) {
    let failures = 0;
    const stamp = () => now().toISOString();
    const problem = (message: string) => {
      shared.errors++;
      report({ errors: shared.errors, lastErrorAt: stamp(), lastError: redact(`${inst.host}: ${message}`) });
    };
    const streamState = () => ({ connected: shared.connected.size === clients.length, reconnects: shared.reconnects, lastConnectedAt: stamp() });

    /** Matches statuses, hands the new ones to the sink, then advances each feed's cursor. */
    async function deliver(items: Array<{ feed: string; status: MastoStatus }>) {
      const batch: RawMention[] = [];
      const newest = new Map<string, string>();
      const handed: string[] = [];
      for (const { feed, status } of items) {
        shared.fetched++;
        if (newerStatusId(status.id, newest.get(feed))) newest.set(feed, status.id);
        if (status.reblog || !status.uri) continue;
        const m = matchable(status, inst.host);
        const q = valid.find((v) => matchesListeningQuery(v.tree, m));
        if (!q || handed.includes(status.uri) || !recent.ids.add(status.uri)) continue;
        handed.push(status.uri);
        batch.push(statusToMention(status, inst.host, { brand: q.brand, query: q.query }));
      }
      if (batch.length) await ctx.sink(batch);
      for (const [feed, id] of newest) {
        const key = feedCursorKey(inst.host, feed);
        const cur = await ctx.cursors?.get({ connectorId: opts.id, key });
        if (newerStatusId(id, cur)) await ctx.cursors?.set({ connectorId: opts.id, key, value: id });
      }
      return batch.length;
    }

    /** REST pages forward from the cursor (min_id) until the timeline is caught up or the page budget is spent. */
    async function backfill(feed: Feed) {
      const key = feedCursorKey(inst.host, feed.key);
      let since = (await ctx.cursors?.get({ connectorId: opts.id, key })) ?? null;
      for (let page = 0; page < (opts.backfillPages ?? 10) && !ctx.signal.aborted; page++) {
        const statuses = await inst.timeline(feed.rest, since);
        if (statuses.length === 0) return;
        await deliver(statuses.map((status) => ({ feed: feed.key, status })));
        const top = statuses.reduce((a, s) => (newerStatusId(s.id, a) ? s.id : a), since ?? '');
        // Without a cursor only the newest page is read: the start of listening, not the instance's history.
        if (!since || statuses.length < 40 || top === since) return;
        since = top;
      }
      if (!ctx.signal.aborted) problem(`backfill of ${feed.key} stopped after ${opts.backfillPages ?? 10} pages; older statuses of the gap were not read`);
    }

    while (!ctx.signal.aborted) {
      let wait = 0;
      let session: Awaited<ReturnType<typeof openWsSession>> | null = null;
      try {
        const base = await inst.streamingUrl();
        const token = tokenOf(inst.origin);
        session = await openWsSession(`${base.replace(/\/+$/, '')}/api/v1/streaming`, { headers: token ? { authorization: `Bearer ${token}` } : {}, connectTimeoutMs: timeoutMs, idleTimeoutMs: opts.idleTimeoutMs ?? 90_000 }, ctx.signal);
        for (const f of feeds) session.send(JSON.stringify({ type: 'subscribe', ...f.subscribe }));
        const connectedAt = Date.now();
        shared.connected.add(inst.host);
        report({ state: 'ok', stream: streamState() });
        for (const f of feeds) await backfill(f);
        const limit = inst.state.rateLimit;
        report({ state: 'ok', lastSuccessAt: stamp(), fetched: shared.fetched, rateLimit: { remaining: limit.remaining, resetAt: limit.resetAt ? new Date(limit.resetAt).toISOString() : null } });
        for await (const messages of session.batches()) {
          const items: Array<{ feed: string; status: MastoStatus }> = [];
          for (const text of messages) {
            let ev: { stream?: unknown; event?: unknown; payload?: unknown; error?: unknown };
            try {
              ev = JSON.parse(text) as typeof ev;
            } catch {
              problem(`the stream sent malformed JSON: ${text.slice(0, 80)}`);
              continue;
            }
            if (typeof ev.error === 'string') problem(`the stream refused: ${ev.error}`);
            if (ev.event !== 'update' || typeof ev.payload !== 'string') continue;
            const feed = feedOfEvent(ev.stream);
            if (!feed) continue;
            try {
              const status = camelize(JSON.parse(ev.payload)) as MastoStatus;
              if (typeof status?.id === 'string' && typeof status.uri === 'string' && status.account) items.push({ feed, status });
            } catch {
              problem('the stream sent a status that is not JSON');
            }
          }
          if (!items.length) continue;
          const n = await deliver(items);
          const newestAt = Math.max(...items.map((i) => Date.parse(i.status.createdAt)).filter(Number.isFinite));
          report({ state: 'ok', lastSuccessAt: stamp(), fetched: shared.fetched, ...(n && Number.isFinite(newestAt) ? { lagMs: Math.max(0, now().getTime() - newestAt) } : {}) });
        }
        if (ctx.signal.aborted) break;
        if (Date.now() - connectedAt > 30_000) failures = 0;
        failures++;
        wait = backoffDelay(opts.backoffMs ?? 2000, failures);
        shared.connected.delete(inst.host);
        problem(`stream dropped: ${session.reason()}`);
        report({ state: 'degraded', stream: { ...streamState(), connected: false } });
        ctx.log.warn('mastodon stream dropped', { instance: inst.host, reason: session.reason(), reconnectInMs: wait });
      } catch (e) {
        shared.connected.delete(inst.host);
        if (ctx.signal.aborted) break;
        // Statuses of a batch the sink refused were marked as handed over: forget them so the backfill delivers them.
        recent.ids = new RecentIds(50_000);
        const refused = handshakeStatus(e);
        if ((isHarkError(e) && e.code === 'rate_limited') || refused?.status === 429) {
          wait = Math.max(1000, isHarkError(e) ? (e.details as { retryAfterMs: number }).retryAfterMs : Date.parse(String(refused?.headers['x-ratelimit-reset'] ?? '')) - Date.now() || 60_000);
          shared.errors++;
          report({ state: 'rate_limited', errors: shared.errors, lastErrorAt: stamp(), lastError: `${inst.host}: rate limited`, rateLimit: { remaining: 0, resetAt: new Date(now().getTime() + wait).toISOString() }, stream: { ...streamState(), connected: false } });
        } else {
          failures++;
          wait = backoffDelay(opts.backoffMs ?? 2000, failures);
          const unauthorized = (isHarkError(e) && e.code === 'unauthorized') || refused?.status === 401;
          problem(refused?.status === 401 ? 'the streaming API refused the access token (401)' : e instanceof Error ? e.message : String(e));
          report({ state: unauthorized ? 'error' : 'degraded', stream: { ...streamState(), connected: false } });
          ctx.log.warn('mastodon listening failed', { instance: inst.host, err: redact(e instanceof Error ? e.message : String(e)), retryInMs: wait });
        }
      } finally {
        session?.dispose();
      }
      await abortableSleep(wait, ctx.signal);
      shared.reconnects++;
    }
  }

  async function reply(req: { inReplyToExternalId: string; authorHandle: string; text: string; idempotencyKey: string }) {
    if (!replier) throw new HarkError('unauthorized', 401, 'Mastodon replies need an access token for the brand account\'s instance: enter it on the Settings page');
    try {
      const target = await replier.resolveStatus(req.inReplyToExternalId);
      if (!target) throw new HarkError('not_found', 404, `${replier.host} cannot find the status (deleted, or not visible to the brand account)`);
      // Mastodon notifies only the accounts a status mentions: start with the author's handle unless the agent wrote it.
      const author = req.authorHandle.replace(/^@/, '');
      const mentioned = new RegExp(`(^|\\s)@${author.split('@')[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(@|\\b)`, 'i').test(req.text);
      const text = mentioned ? req.text : `@${author} ${req.text}`;
      const s = await replier.reply({ text, inReplyToId: target.id, idempotencyKey: req.idempotencyKey });
      return { externalId: s.uri, url: s.url ?? s.uri };
    } catch (e) {
      if (isHarkError(e)) throw new HarkError(e.code, e.status, redact(e.message), e.details);
      throw e;
    }
  }

  return {
    id: opts.id,
    platform: 'mastodon',
    async run(ctx) {
      const valid = queriesFor('mastodon', opts.queries, ctx.log);
      ctx.health?.report({ state: 'starting', fetched: 0, errors: 0 });
      const report: Report = (patch) => ctx.health?.report(patch);
      const shared = { connected: new Set<string>(), reconnects: 0, errors: 0, fetched: 0 };
      const recent = { ids: new RecentIds(50_000) };
      if (feeds.length === 0) ctx.log.warn('mastodon has no timeline or hashtag to listen to');
      else await Promise.all(clients.map((c) => listen(ctx, c, valid, recent, shared, report)));
      ctx.health?.report({ state: 'stopped', stream: null });
    },
    reply: oncePerKey(reply),
  };
}
