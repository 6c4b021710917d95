import { HarkError, isHarkError } from '../../shared/errors.js';
import type { ConnectorHealth } from '../../shared/connector-ports.js';
import type { RawMention } from '../../shared/raw-mention.js';
import type { Connector, ConnectorContext } from '../connector.js';
import { oncePerKey } from '../once-per-key.js';
import { matchesListeningQuery, queriesFor, type QueryNode } from '../query/index.js';
import { abortableSleep, backoffDelay } from '../sleep.js';
import { handshakeStatus, openWsSession } from '../ws-session.js';
import { RecentIds } from '../x/recent-ids.js';
import { createBlueskyPoster, createBlueskyReader, POST_COLLECTION, postUri, postUrl, toHarkError } from './bluesky-api.js';
import { JetstreamEventSchema, mentionedHandles, PostRecordSchema, postOfEvent, toMention, viewToParts, type FirehosePost, type PostRecord } from './bluesky-post.js';
import { ProfileCache, type BlueskyAuthor } from './profile-cache.js';

export interface BlueskyConnectorOptions {
  id: string;
  queries: Array<{ id: string; brand: string; query: string }>;
  /** Jetstream's subscribe endpoint, e.g. wss://jetstream2.us-east.bsky.network/subscribe. */
  jetstreamUrl: string;
  /** Public reads (search, profiles, posts): https://public.api.bsky.app. */
  appviewUrl: string;
  /** Where the brand account signs in and posts: its PDS or https://bsky.social. */
  service: string;
  /** The brand account (handle + app password); without it Hark listens but cannot reply. */
  credentials: { handle: string; appPassword: string } | null;
  /** Search pages (100 posts each) per query after every (re)connect. */
  backfillPages?: number;
  backoffMs?: number;
  requestTimeoutMs?: number;
  /** Silence on Jetstream longer than this reconnects. */
  idleTimeoutMs?: number;
  /** Jetstream's docs: reconnect a few seconds before the last cursor so no event is missed; repeats are dropped. */
  rewindMs?: number;
  now?: () => Date;
}

type Runnable = { id: string; brand: string; query: string; tree: QueryNode; search: string | null };
type Report = (patch: Partial<Omit<ConnectorHealth, 'connectorId' | 'platform'>>) => void;

export const JETSTREAM_CURSOR = 'jetstream';
const searchCursorKey = (queryId: string) => `search:${queryId}`;

/**
 * Bluesky through Jetstream (the JSON firehose over WebSocket, posts only),
 * every post matched here against the listening queries. The `time_us`
 * cursor is saved once the sink accepted what came before it, and a
 * reconnect resumes a few seconds earlier, so a drop loses nothing; search
 * fills the gap after each (re)connect. Replies go out through @atproto/api
 * as the brand account, with the thread's root and the parent.
 */
export function createBlueskyConnector(opts: BlueskyConnectorOptions): Connector {
  const timeoutMs = opts.requestTimeoutMs ?? 15_000;
  const now = opts.now ?? (() => new Date());
  const reader = createBlueskyReader({ appviewUrl: opts.appviewUrl, timeoutMs });
  const profiles = new ProfileCache(reader);
  const poster = opts.credentials ? createBlueskyPoster({ service: opts.service, ...opts.credentials, timeoutMs }) : null;
  const redact = (s: string) => (opts.credentials ? s.split(opts.credentials.appPassword).join('***') : s);

  const firstMatch = (valid: Runnable[], record: PostRecord, handle: string | null) =>
    valid.find((q) => matchesListeningQuery(q.tree, { text: record.text, platform: 'bluesky', lang: record.langs?.[0]?.slice(0, 2).toLowerCase() ?? null, authorHandle: handle, toHandles: mentionedHandles(record.text) }));

  /** Matches posts, completes their authors (followers) and re-checks with the real handle. */
  async function mentionsOf(valid: Runnable[], posts: FirehosePost[], recent: RecentIds, onError: (e: unknown) => void): Promise<RawMention[]> {
    const hits = posts.filter((p) => firstMatch(valid, p.record, profiles.peek(p.did)?.handle ?? null));
    if (!hits.length) return [];
    const authors = await profiles.get(
      hits.map((p) => p.did),
      onError,
    );
    const out: RawMention[] = [];
    for (const p of hits) {
      const author = authors.get(p.did);
      const q = firstMatch(valid, p.record, author?.handle ?? null);
      if (!q || !recent.add(postUri(p.did, p.rkey))) continue;
      out.push(toMention({ did: p.did, rkey: p.rkey, record: p.record, author, brand: q.brand, query: q.query }));
    }
    return out;
  }

  /** Recent search per query back to the newest post seen before (or `backfillPages` pages), then the sink, then the cursor. */
  async function backfill(ctx: ConnectorContext, valid: Runnable[], recent: RecentIds, onError: (e: unknown) => void): Promise<number> {
    let fetched = 0;
    for (const q of valid) {
      if (!q.search || ctx.signal.aborted) continue;
      const key = searchCursorKey(q.id);
      const since = (await ctx.cursors?.get({ connectorId: opts.id, key })) ?? null;
      let newest = since;
      const parts: Array<NonNullable<ReturnType<typeof viewToParts>> & { indexedAt: string }> = [];
      let cursor: string | undefined;
      pages: for (let page = 0; page < (opts.backfillPages ?? 3); page++) {
        const res = await reader.searchPosts(q.search, cursor);
        for (const v of res.posts) {
          if (since && v.indexedAt <= since) break pages;
          fetched++;
          if (!newest || v.indexedAt > newest) newest = v.indexedAt;
          const p = viewToParts(v);
          if (p) parts.push({ ...p, indexedAt: v.indexedAt });
        }
        if (!res.cursor || res.posts.length === 0) break;
        cursor = res.cursor;
      }
      const hits = parts.filter((p) => matchesListeningQuery(q.tree, { text: p.record.text, platform: 'bluesky', lang: p.record.langs?.[0]?.slice(0, 2).toLowerCase() ?? null, authorHandle: p.author.handle, toHandles: mentionedHandles(p.record.text) }));
      const fresh = hits.filter((p) => recent.add(postUri(p.did, p.rkey)));
      const authors = await profiles.get(
        fresh.map((p) => p.did),
        onError,
      );
      const batch = fresh.map((p) => toMention({ ...p, author: authors.get(p.did) ?? p.author, brand: q.brand, query: q.query }));
      if (batch.length) await ctx.sink(batch);
      if (newest && newest !== since) await ctx.cursors?.set({ connectorId: opts.id, key, value: newest });
    }
    return fetched;
  }

  async function listen(ctx: ConnectorContext, valid: Runnable[], report: Report) {
    let recent = new RecentIds(50_000);
    let failures = 0;
    let reconnects = 0;
    let errors = 0;
    let fetched = 0;
    const stamp = () => now().toISOString();
    const problem = (e: unknown) => {
      errors++;
      report({ errors, lastErrorAt: stamp(), lastError: redact(e instanceof Error ? e.message : String(e)) });
    };
    while (!ctx.signal.aborted) {
      let wait = 0;
      let session: Awaited<ReturnType<typeof openWsSession>> | null = null;
      // `cursor` is the newest event whose batch the sink accepted: only that is ever saved.
      let cursor = Number((await ctx.cursors?.get({ connectorId: opts.id, key: JETSTREAM_CURSOR })) ?? 0) || 0;
      let savedCursor = cursor;
      let savedAt = Date.now();
      let flush: NodeJS.Timeout | undefined;
      const saveCursor = async (force: boolean) => {
        clearTimeout(flush);
        if (cursor <= savedCursor) return;
        // Throttled while events stream in; a quiet second later the position is saved anyway (a stale one only re-reads).
        if (!force && Date.now() - savedAt < 1000) {
          flush = setTimeout(() => void saveCursor(true).catch(() => undefined), 1000);
          return;
        }
        const value = cursor;
        await ctx.cursors?.set({ connectorId: opts.id, key: JETSTREAM_CURSOR, value: String(value) });
        savedCursor = value;
        savedAt = Date.now();
      };
      try {
        const url = new URL(opts.jetstreamUrl);
        url.searchParams.set('wantedCollections', POST_COLLECTION);
        if (cursor > 0) url.searchParams.set('cursor', String(Math.max(0, cursor - (opts.rewindMs ?? 5000) * 1000)));
        session = await openWsSession(url.toString(), { connectTimeoutMs: timeoutMs, idleTimeoutMs: opts.idleTimeoutMs ?? 60_000 }, ctx.signal);
        const connectedAt = Date.now();
        // Without a saved cursor this connection starts live: a later reconnect resumes from here (earlier posts come from search).
        if (cursor === 0) cursor = connectedAt * 1000;
        report({ state: 'ok', stream: { connected: true, reconnects, lastConnectedAt: stamp() } });
        // Firehose events queue while search fills the gap from before this connection.
        fetched += await backfill(ctx, valid, recent, problem);
        report({ state: 'ok', lastSuccessAt: stamp(), fetched });
        for await (const messages of session.batches()) {
          const posts: FirehosePost[] = [];
          let newest = cursor;
          for (const text of messages) {
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              problem(new Error(`Jetstream sent malformed JSON: ${text.slice(0, 80)}`));
              continue;
            }
            const ev = JetstreamEventSchema.safeParse(parsed);
            if (!ev.success) continue; // other kinds, or shapes Hark does not read
            const e = ev.data;
            if (e.time_us > newest) newest = e.time_us;
            if (e.kind === 'identity' && e.identity?.handle) profiles.rename(e.did, e.identity.handle);
            const p = postOfEvent(e);
            if (p) posts.push(p);
          }
          fetched += posts.length;
          const batch = await mentionsOf(valid, posts, recent, problem);
          if (batch.length) await ctx.sink(batch);
          cursor = newest;
          await saveCursor(batch.length > 0);
          report({ state: 'ok', lastSuccessAt: stamp(), fetched, lagMs: cursor ? Math.max(0, now().getTime() - Math.floor(cursor / 1000)) : null });
        }
        await saveCursor(true);
        if (ctx.signal.aborted) break;
        if (Date.now() - connectedAt > 30_000) failures = 0;
        failures++;
        errors++;
        wait = backoffDelay(opts.backoffMs ?? 2000, failures);
        report({ state: 'degraded', errors, lastErrorAt: stamp(), lastError: `Jetstream dropped: ${session.reason()}`, stream: { connected: false, reconnects, lastConnectedAt: null } });
        ctx.log.warn('bluesky jetstream dropped', { reason: session.reason(), reconnectInMs: wait });
      } catch (e) {
        await saveCursor(true).catch(() => undefined);
        // Posts of a batch the sink refused were marked as handed over: forget them so the replay delivers them.
        recent = new RecentIds(50_000);
        if (ctx.signal.aborted) break;
        errors++;
        const refused = handshakeStatus(e);
        const he = isHarkError(e) ? e : null;
        if (he?.code === 'rate_limited' || refused?.status === 429) {
          const retry = he ? (he.details as { retryAfterMs: number }).retryAfterMs : Number(refused?.headers['retry-after'] ?? 60) * 1000 || 60_000;
          wait = Math.max(1000, retry);
          report({ state: 'rate_limited', errors, lastErrorAt: stamp(), lastError: 'rate limited by Bluesky', rateLimit: { remaining: 0, resetAt: new Date(now().getTime() + wait).toISOString() }, stream: { connected: false, reconnects, lastConnectedAt: null } });
        } else {
          failures++;
          wait = backoffDelay(opts.backoffMs ?? 2000, failures);
          const message = redact(e instanceof Error ? e.message : String(e));
          report({ state: 'degraded', errors, lastErrorAt: stamp(), lastError: message, stream: { connected: false, reconnects, lastConnectedAt: null } });
          ctx.log.warn('bluesky listening failed', { err: message, retryInMs: wait });
        }
      } finally {
        clearTimeout(flush);
        session?.dispose();
      }
      await abortableSleep(wait, ctx.signal);
      reconnects++;
    }
  }

  async function reply(req: { inReplyToExternalId: string; text: string }) {
    if (!poster) throw new HarkError('unauthorized', 401, 'Bluesky replies need the brand account: enter its handle and an app password on the Settings page');
    const parent = await reader.getPost(req.inReplyToExternalId);
    if (!parent) throw new HarkError('not_found', 404, 'The Bluesky post no longer exists (deleted, or its author blocks replies)');
    const rec = PostRecordSchema.safeParse(parent.record);
    // A reply names the thread's root and the post it answers; the root of an answer to a top-level post is that post.
    const root = rec.success && rec.data.reply ? rec.data.reply.root : { uri: parent.uri, cid: parent.cid };
    try {
      const r = await poster.post({ text: req.text, reply: { root, parent: { uri: parent.uri, cid: parent.cid } } });
      return { externalId: r.uri, url: postUrl(r.handle, r.uri.split('/').pop()!) };
    } catch (e) {
      const he = toHarkError(e, 'the reply');
      throw new HarkError(he.code, he.status, redact(he.message), he.details);
    }
  }

  return {
    id: opts.id,
    platform: 'bluesky',
    async run(ctx) {
      const valid = queriesFor('bluesky', opts.queries, ctx.log);
      ctx.health?.report({ state: 'starting', fetched: 0, errors: 0 });
      const report: Report = (patch) => ctx.health?.report(patch);
      await listen(ctx, valid, report);
      ctx.health?.report({ state: 'stopped', stream: null });
    },
    reply: oncePerKey(reply),
  };
}

export type { BlueskyAuthor };
