import type { Readable } from 'node:stream';
import { ApiResponseError, ETwitterStreamEvent, type TTweetv2TweetField, type TTweetv2UserField, type TwitterApi } from 'twitter-api-v2';
import type { ConnectorHealth } from '../../shared/connector-ports.js';
import type { RawMention } from '../../shared/raw-mention.js';
import type { ConnectorContext } from '../connector.js';
import { abortableSleep, backoffDelay } from '../sleep.js';
import { matchesListeningQuery } from '../query/index.js';
import { tweetToMention, type XTweet, type XUser } from './map-tweet.js';
import { queryIdOf, syncStreamRules, tagFor } from './stream-rules.js';
import { describeXError } from './x-client.js';
import { advanceCursor, lagOf, searchCursorKey, TWEET_FIELDS, USER_FIELDS, type createSearchPoller, type RunnableQuery } from './x-search.js';
import { newerId } from './tweet-ids.js';
import { RecentIds } from './recent-ids.js';
import type { AuthorCache } from './author-cache.js';

interface StreamPayload {
  data?: XTweet;
  includes?: { users?: XUser[] };
  matching_rules?: Array<{ id: string; tag?: string }>;
  errors?: Array<{ title?: string; detail?: string }>;
}

export interface StreamOptions {
  connectorId: string;
  /** X sends a keep-alive newline every 20 s; silence longer than this means the connection is dead. */
  keepAliveTimeoutMs: number;
  connectTimeoutMs: number;
  /** First wait before reconnecting; doubled per consecutive failure up to 64×. */
  backoffMs: number;
  now: () => Date;
  authors: AuthorCache;
}

type Report = (patch: Partial<Omit<ConnectorHealth, 'connectorId' | 'platform'>>) => void;

/** Opens the filtered stream and turns its events into batches of payloads and one closing reason. */
async function connect(client: TwitterApi, opts: StreamOptions, signal: AbortSignal) {
  const stream = client.v2.searchStream({ autoConnect: false, expansions: ['author_id'], 'tweet.fields': TWEET_FIELDS as TTweetv2TweetField[], 'user.fields': USER_FIELDS as TTweetv2UserField[] });
  const inbox: StreamPayload[] = [];
  let closed: string | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  const close = (reason: string) => {
    closed ??= reason;
    poke();
  };
  stream.on(ETwitterStreamEvent.Data, (p: StreamPayload) => {
    inbox.push(p);
    poke();
  });
  // X announces an operational disconnect as an error payload before closing.
  stream.on(ETwitterStreamEvent.DataError, (p: StreamPayload) => close(p.errors?.map((e) => e.title ?? e.detail).join('; ') || 'X sent an error on the stream'));
  stream.on(ETwitterStreamEvent.ConnectionLost, () => close('no data or keep-alive from X in time'));
  stream.on(ETwitterStreamEvent.ConnectionError, (e: Error) => close(`connection error: ${e.message}`));
  stream.on(ETwitterStreamEvent.ConnectionClosed, () => close('connection closed'));
  stream.on(ETwitterStreamEvent.Error, () => undefined); // every case above is handled; this keeps the emitter quiet
  const onAbort = () => stream.close();
  signal.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      stream.connect({ autoReconnect: false, keepAliveTimeout: opts.keepAliveTimeoutMs }),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`stream did not connect within ${opts.connectTimeoutMs} ms`)), opts.connectTimeoutMs))),
    ]);
  } catch (e) {
    signal.removeEventListener('abort', onAbort);
    stream.destroy();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  // twitter-api-v2 decodes each chunk on its own, which garbles a character split across two chunks; decode the stream as UTF-8 instead.
  (stream as unknown as { res?: Readable }).res?.setEncoding('utf8');
  return {
    async *batches(): AsyncGenerator<StreamPayload[]> {
      for (;;) {
        if (inbox.length) yield inbox.splice(0);
        else if (closed !== null) return;
        else await new Promise<void>((r) => (wake = r));
      }
    },
    reason: () => closed ?? 'closed',
    dispose() {
      signal.removeEventListener('abort', onAbort);
      stream.destroy();
    },
  };
}

/**
 * X's filtered stream: rules synced from the listening queries (only the
 * difference), then one long-lived connection. After every (re)connect the
 * gap is backfilled by recent search from each query's cursor, while posts
 * arriving on the stream wait; drops reconnect with backoff. Stream posts
 * advance the same cursors search uses, and only after the sink accepted them.
 */
export async function runFilteredStream(
  client: TwitterApi,
  ctx: ConnectorContext,
  runnable: RunnableQuery[],
  poller: ReturnType<typeof createSearchPoller>,
  opts: StreamOptions,
  report: Report,
): Promise<void> {
  const byId = new Map(runnable.map((q) => [q.id, q]));
  const recent = new RecentIds(20_000);
  let rulesSynced = false;
  let failures = 0;
  let reconnects = 0;
  let errors = 0;
  let fetched = 0;
  const stamp = () => opts.now().toISOString();

  const deliver = async (payloads: StreamPayload[]) => {
    const batch: RawMention[] = [];
    const newest = new Map<string, string>();
    for (const p of payloads) {
      const t = p.data;
      if (!t) continue;
      fetched++;
      const users = opts.authors.merge(p.includes?.users ?? [], [t.author_id]);
      const author = t.author_id ? users.get(t.author_id) : undefined;
      const queries = (p.matching_rules ?? []).map((r) => byId.get(queryIdOf(r.tag) ?? '')).filter((q): q is RunnableQuery => q !== undefined);
      for (const q of queries) if (newerId(t.id, newest.get(q.id))) newest.set(q.id, t.id);
      const q = queries.find((c) => matchesListeningQuery(c.tree, { text: t.text, platform: 'x', lang: t.lang ?? null, authorHandle: author?.username ?? null }));
      if (!q || !recent.add(t.id)) continue;
      batch.push(tweetToMention(t, users, { brand: q.brand, query: q.query }));
    }
    if (batch.length) await ctx.sink(batch);
    for (const [qid, id] of newest) await advanceCursor(ctx, opts.connectorId, searchCursorKey(qid), id);
    if (batch.length) report({ state: 'ok', lastSuccessAt: stamp(), fetched, lagMs: lagOf(batch, opts.now) });
  };

  while (!ctx.signal.aborted) {
    let wait = 0;
    let session: Awaited<ReturnType<typeof connect>> | null = null;
    try {
      if (!rulesSynced) {
        const r = await syncStreamRules(client, runnable.map((q) => ({ value: q.search, tag: tagFor(q.id) })));
        rulesSynced = true;
        ctx.log.info('x stream rules synced', { added: r.added, deleted: r.deleted, rejected: r.rejected.length });
        if (r.rejected.length) report({ lastErrorAt: stamp(), lastError: `X refused rules: ${r.rejected.map((x) => `${x.queryId ?? '?'} (${x.reason})`).join(', ')}` });
      }
      session = await connect(client, opts, ctx.signal);
      const connectedAt = Date.now();
      report({ state: 'ok', stream: { connected: true, reconnects, lastConnectedAt: stamp() } });
      // The gap since the last post we stored (or since start-up) comes from search; stream posts queue meanwhile.
      // A gap longer than one poll's pages is read to its end before the stream's posts go on.
      for (const q of runnable) {
        for (let more = true; more && !ctx.signal.aborted; ) {
          const r = await poller.pollQuery(ctx, q, recent);
          fetched += r.fetched;
          more = r.pending;
        }
      }
      report({ state: 'ok', lastSuccessAt: stamp(), fetched });
      for await (const payloads of session.batches()) await deliver(payloads);
      if (ctx.signal.aborted) break;
      // A connection that lived a while was healthy: start the backoff afresh.
      if (Date.now() - connectedAt > 30_000) failures = 0;
      failures++;
      errors++;
      wait = backoffDelay(opts.backoffMs, failures);
      report({ state: 'degraded', errors, lastErrorAt: stamp(), lastError: `stream dropped: ${session.reason()}`, stream: { connected: false, reconnects, lastConnectedAt: null } });
      ctx.log.warn('x stream dropped', { reason: session.reason(), reconnectInMs: wait });
    } catch (e) {
      if (ctx.signal.aborted) break;
      errors++;
      const now = opts.now().getTime();
      if (e instanceof ApiResponseError && e.code === 429) {
        const resetMs = (e.rateLimit?.reset ?? Math.ceil(now / 1000) + 60) * 1000;
        wait = Math.max(1000, resetMs - now);
        report({ state: 'rate_limited', errors, lastErrorAt: new Date(now).toISOString(), lastError: 'rate limited by X', rateLimit: { remaining: 0, resetAt: new Date(resetMs).toISOString() }, stream: { connected: false, reconnects, lastConnectedAt: null } });
      } else {
        failures++;
        wait = backoffDelay(opts.backoffMs, failures);
        const message = describeXError(e);
        report({ state: e instanceof ApiResponseError && e.code === 401 ? 'error' : 'degraded', errors, lastErrorAt: new Date(now).toISOString(), lastError: message, stream: { connected: false, reconnects, lastConnectedAt: null } });
        ctx.log.warn('x stream failed', { err: message, retryInMs: wait });
      }
    } finally {
      session?.dispose();
    }
    await abortableSleep(wait, ctx.signal);
    reconnects++;
  }
}

