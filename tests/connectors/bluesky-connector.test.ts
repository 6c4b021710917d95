import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtpAgent } from '@atproto/api';
import type { ConnectorHealth } from '../../shared/connector-ports.js';
import { silentLogger } from '../../shared/log.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { createBlueskyConnector, JETSTREAM_CURSOR, type BlueskyConnectorOptions } from '../../connectors/bluesky/bluesky-connector.js';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky/fake-bluesky-server.js';
import { memoryCursors } from '../support/memory-cursors.js';
import { waitFor } from '../support/harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Bluesky connector against a local Jetstream and XRPC server', () => {
  let b: FakeBluesky;
  let ctl: AbortController;
  beforeEach(async () => {
    b = await startFakeBluesky();
    ctl = new AbortController();
  });
  afterEach(async () => {
    ctl.abort();
    await b.close();
  });

  const options = (over: Partial<BlueskyConnectorOptions> = {}): BlueskyConnectorOptions => ({
    id: 'bluesky',
    queries: [{ id: 'acme', brand: 'Acme', query: 'acme (refund OR delayed OR broken) -promo' }],
    jetstreamUrl: b.jetstreamUrl,
    appviewUrl: b.url,
    service: b.url,
    credentials: { handle: b.account.handle, appPassword: b.account.appPassword },
    backoffMs: 20,
    requestTimeoutMs: 2000,
    idleTimeoutMs: 5000,
    ...over,
  });

  function start(over: Partial<BlueskyConnectorOptions> = {}, shared: { cursors?: ReturnType<typeof memoryCursors>; sink?: (batch: RawMention[]) => Promise<void> } = {}) {
    const got: RawMention[] = [];
    const health: Partial<ConnectorHealth> = {};
    const cursors = shared.cursors ?? memoryCursors();
    const c = createBlueskyConnector(options(over));
    const local = new AbortController();
    const stop = () => local.abort();
    ctl.signal.addEventListener('abort', stop);
    const running = c.run({
      sink: shared.sink ?? (async (batch) => void got.push(...batch)),
      signal: local.signal,
      log: silentLogger,
      health: { report: (p) => Object.assign(health, p) },
      cursors,
    });
    return { c, got, health, cursors, running, stop: async () => (stop(), await running) };
  }

  it('reads posts from Jetstream, matches them locally, and completes authors in batches of at most 25', async () => {
    const s = start();
    await waitFor(() => b.connections() === 1 && s.health.stream?.connected, 5000, 'connected');
    expect(b.subscriptions[0]!.wanted).toEqual(['app.bsky.feed.post']);
    const dora = b.addActor('dora.bsky.social', 5400, 'Dora');
    const root = b.addPost(dora.did, 'Acme delayed my flight again', { langs: ['en-US'] });
    b.addPost(dora.did, 'acme promo: refund week!'); // NOT promo
    b.addPost(dora.did, 'unrelated post about trains');
    b.addLike(dora.did);
    const reply = b.addPost(dora.did, 'still waiting for the acme refund', { reply: { root: { uri: root.uri, cid: root.cid }, parent: { uri: root.uri, cid: root.cid } } });
    const many = Array.from({ length: 30 }, (_, i) => b.addActor(`fan${i}.bsky.social`, i));
    for (const a of many) b.addPost(a.did, `acme app broken ${a.handle}`);
    await waitFor(() => s.got.length === 32, 5000, '32 mentions');
    await sleep(100);
    expect(s.got).toHaveLength(32);
    const first = s.got.find((m) => m.externalId === root.uri)!;
    expect(first).toMatchObject({
      platform: 'bluesky',
      text: 'Acme delayed my flight again',
      lang: 'en',
      url: `https://bsky.app/profile/dora.bsky.social/post/${root.rkey}`,
      author: { id: dora.did, handle: 'dora.bsky.social', name: 'Dora', followers: 5400 },
      conversationId: root.uri,
      inReplyTo: null,
      brand: 'Acme',
    });
    expect(s.got.find((m) => m.externalId === reply.uri)).toMatchObject({ inReplyTo: root.uri, conversationId: root.uri });
    expect(s.got.find((m) => m.author?.handle === 'fan29.bsky.social')?.author?.followers).toBe(29);
    const profileCalls = b.requests.filter((r) => r.includes('app.bsky.actor.getProfiles'));
    expect(profileCalls.length).toBeGreaterThanOrEqual(2);
    for (const r of profileCalls) expect(new URL(r.split(' ')[1]!, 'http://x').searchParams.getAll('actors').length).toBeLessThanOrEqual(25);
    // Authors are cached: another post by Dora asks for no profile.
    const before = profileCalls.length;
    b.addPost(dora.did, 'acme refund please');
    await waitFor(() => s.got.length === 33, 3000, 'one more');
    expect(b.requests.filter((r) => r.includes('app.bsky.actor.getProfiles')).length).toBe(before);
    // A handle change on the firehose is used for from: queries and new mentions.
    b.identity(dora.did, 'dora.example.com');
    b.addPost(dora.did, 'acme broken again');
    await waitFor(() => s.got.length === 34, 3000, 'after rename');
    expect(s.got[33]!.author?.handle).toBe('dora.example.com');
    expect(s.health).toMatchObject({ state: 'ok', errors: 0 });
    expect(s.health.lagMs).toBeGreaterThanOrEqual(0);
  });

  it('resumes from the saved time_us cursor, a few seconds back, after a dropped connection and after a restart, losing nothing', async () => {
    const cursors = memoryCursors();
    const s = start({ rewindMs: 3000 }, { cursors });
    await waitFor(() => b.connections() === 1, 5000, 'connected');
    const a = b.addActor('ann.bsky.social', 3);
    b.addPost(a.did, 'acme refund 1');
    await waitFor(() => s.got.length === 1, 3000, 'first');
    await waitFor(() => cursors.data.get(`bluesky/${JETSTREAM_CURSOR}`), 3000, 'cursor saved');
    b.dropConnections();
    // Posted while the connection is down: only the cursor replay brings them.
    b.addPost(a.did, 'acme refund 2');
    b.addPost(a.did, 'acme refund 3');
    await waitFor(() => s.got.length === 3, 5000, 'replayed after the drop');
    const sub = b.subscriptions[1]!;
    const saved = Number(cursors.data.get(`bluesky/${JETSTREAM_CURSOR}`));
    expect(Number(sub.cursor)).toBeLessThanOrEqual(saved - 3_000_000 + 1_000_000); // rewound
    expect(s.health.stream?.reconnects).toBeGreaterThanOrEqual(1);
    await s.stop();
    b.addPost(a.did, 'acme refund 4 while Hark is stopped');
    const again = start({ rewindMs: 3000 }, { cursors });
    await waitFor(() => again.got.some((m) => String(m.text).includes('refund 4')), 5000, 'after restart');
    await sleep(150);
    // The rewind replays posts already handed over before the restart; the store's dedupe drops those, and nothing is missing.
    const texts = new Set([...s.got, ...again.got].map((m) => m.text));
    expect([...texts].sort()).toEqual(['acme refund 1', 'acme refund 2', 'acme refund 3', 'acme refund 4 while Hark is stopped']);
    expect(s.got.map((m) => m.text).sort()).toEqual(['acme refund 1', 'acme refund 2', 'acme refund 3']); // no repeats within one run
  });

  it('saves the cursor only once the sink accepted the batch', async () => {
    const cursors = memoryCursors();
    let fail = true;
    const accepted: RawMention[] = [];
    const s = start({}, { cursors, sink: async (batch) => {
      if (fail) throw new Error('queue is down');
      accepted.push(...batch);
    } });
    await waitFor(() => b.connections() === 1, 5000, 'connected');
    const a = b.addActor('ann.bsky.social', 3);
    const before = cursors.data.get(`bluesky/${JETSTREAM_CURSOR}`) ?? null;
    b.addPost(a.did, 'acme refund lost?');
    await waitFor(() => (s.health.errors ?? 0) >= 1, 3000, 'sink failure');
    const after = cursors.data.get(`bluesky/${JETSTREAM_CURSOR}`) ?? null;
    expect(after === before || Number(after) < b.posts.at(-1)!.timeUs).toBe(true);
    fail = false;
    await waitFor(() => accepted.length === 1, 5000, 'redelivered after reconnect');
    expect(accepted[0]!.text).toBe('acme refund lost?');
  });

  it('skips malformed JSON, counts it, and keeps listening', async () => {
    const s = start();
    await waitFor(() => b.connections() === 1, 5000, 'connected');
    b.sendGarbage();
    const a = b.addActor('ann.bsky.social', 3);
    b.addPost(a.did, 'acme app broken');
    b.accountStatus(a.did, false);
    await waitFor(() => s.got.length === 1, 3000, 'post after garbage');
    expect(s.health.errors).toBe(1);
    expect(s.health.lastError).toMatch(/malformed JSON/);
    expect(b.subscriptions).toHaveLength(1); // no reconnect needed
  });

  it('backfills by search (with its cursor) before the firehose, waits out a 429 with its reset, and recovers from 500s and cut-off bodies', async () => {
    const a = b.addActor('old.bsky.social', 77);
    for (let i = 0; i < 5; i++) b.addPost(a.did, `acme delayed before start ${i}`, { firehose: false });
    b.addPost(a.did, 'acme promo before start', { firehose: false });
    b.faults.push({ kind: '429', resetInSeconds: 1, path: 'app.bsky.feed.searchPosts' }, { kind: '500', path: 'app.bsky.feed.searchPosts' }, { kind: 'garbage', path: 'app.bsky.feed.searchPosts' });
    const cursors = memoryCursors();
    const s = start({ backfillPages: 2 }, { cursors });
    await waitFor(() => s.health.state === 'rate_limited', 3000, 'rate limited');
    expect(s.health.rateLimit?.resetAt).toBeTruthy();
    await waitFor(() => s.got.length === 5, 8000, 'backfilled');
    expect(s.got.every((m) => m.author?.followers === 77 && m.author.handle === 'old.bsky.social')).toBe(true);
    expect(s.health.errors).toBeGreaterThanOrEqual(3);
    expect(cursors.data.get('bluesky/search:acme')).toBe(b.posts.at(-1)!.indexedAt);
    // The next connection searches again but hands over nothing old.
    b.dropConnections();
    await waitFor(() => b.subscriptions.length >= 5, 8000, 'reconnected');
    await sleep(200);
    expect(s.got).toHaveLength(5);
  });

  it('replies as the brand account with the thread root and the parent, once per key', async () => {
    const s = start();
    await waitFor(() => s.health.stream?.connected, 5000, 'connected');
    const dora = b.addActor('dora.bsky.social', 5);
    const top = b.addPost(dora.did, 'acme refund?');
    const deeper = b.addPost(dora.did, 'acme, still no refund', { reply: { root: { uri: top.uri, cid: top.cid }, parent: { uri: top.uri, cid: top.cid } } });
    const r1 = await s.c.reply!({ inReplyToExternalId: top.uri, authorHandle: 'dora.bsky.social', text: 'Sorry Dora, we are on it', idempotencyKey: 'key-00001' });
    expect(r1.externalId).toMatch(/^at:\/\/did:plc:brandacme/);
    expect(r1.url).toMatch(/^https:\/\/bsky\.app\/profile\/acme\.bsky\.social\/post\//);
    expect(b.created[0]!.record.reply).toEqual({ root: { uri: top.uri, cid: top.cid }, parent: { uri: top.uri, cid: top.cid } });
    // An answer deeper in a thread keeps the thread's root.
    const [r2, r2again] = await Promise.all([
      s.c.reply!({ inReplyToExternalId: deeper.uri, authorHandle: 'dora.bsky.social', text: 'A refund is on its way', idempotencyKey: 'key-00002' }),
      s.c.reply!({ inReplyToExternalId: deeper.uri, authorHandle: 'dora.bsky.social', text: 'A refund is on its way', idempotencyKey: 'key-00002' }),
    ]);
    expect(r2again).toEqual(r2);
    expect(b.created).toHaveLength(2);
    expect(b.created[1]!.record.reply).toEqual({ root: { uri: top.uri, cid: top.cid }, parent: { uri: deeper.uri, cid: deeper.cid } });
    // Mentions and links become facets (byte ranges of the UTF-8 text); an unknown handle stays plain text.
    await s.c.reply!({ inReplyToExternalId: top.uri, authorHandle: 'dora.bsky.social', text: 'Désolé @dora.bsky.social, see https://acme.example/help (cc @ghost.bsky.social)', idempotencyKey: 'key-00005' });
    const facets = (b.created.at(-1)!.record as { facets?: Array<{ index: { byteStart: number; byteEnd: number }; features: Array<{ $type: string; did?: string; uri?: string }> }> }).facets!;
    const text = Buffer.from(b.created.at(-1)!.record.text);
    expect(facets.map((f) => [text.subarray(f.index.byteStart, f.index.byteEnd).toString(), f.features[0]!.did ?? f.features[0]!.uri])).toEqual([
      ['@dora.bsky.social', dora.did],
      ['https://acme.example/help', 'https://acme.example/help'],
    ]);
    // An expired session is refreshed by the client.
    b.expireSessions();
    await s.c.reply!({ inReplyToExternalId: top.uri, authorHandle: 'dora.bsky.social', text: 'One more thing', idempotencyKey: 'key-00003' });
    expect(b.created).toHaveLength(4);
    expect(b.requests.some((r) => r.includes('com.atproto.server.refreshSession'))).toBe(true);
    // Bluesky's own limit: the fake refuses a post over 300 graphemes like the network does.
    await expect(s.c.reply!({ inReplyToExternalId: top.uri, authorHandle: 'dora', text: 'x'.repeat(301), idempotencyKey: 'key-00004' })).rejects.toThrow(/300 graphemes/);
  });

  it('refuses replies without the account, with a wrong app password, and the fake refuses replies with wrong references or no session', async () => {
    const dora = b.addActor('dora.bsky.social', 5);
    const top = b.addPost(dora.did, 'acme refund?');
    const anon = start({ credentials: null });
    await expect(anon.c.reply!({ inReplyToExternalId: top.uri, authorHandle: 'dora', text: 'hi', idempotencyKey: 'key-10001' })).rejects.toThrow(/handle and an app password/);
    const wrong = start({ credentials: { handle: b.account.handle, appPassword: 'wrong-password-1' } });
    const err = await wrong.c.reply!({ inReplyToExternalId: top.uri, authorHandle: 'dora', text: 'hi', idempotencyKey: 'key-10002' }).then(() => null, (e: unknown) => e as Error & { code?: string });
    expect(err).toMatchObject({ code: 'unauthorized' });
    expect(err?.message).not.toContain('wrong-password-1');
    expect(b.created).toHaveLength(0);
    // The fake is strict where Bluesky is: through the official client, a wrong root and a missing session are refused.
    const agent = new AtpAgent({ service: b.url });
    await expect(agent.post({ text: 'no session', createdAt: new Date().toISOString() })).rejects.toThrow();
    await agent.login({ identifier: b.account.handle, password: b.account.appPassword });
    const deeper = b.addPost(dora.did, 'reply', { reply: { root: { uri: top.uri, cid: top.cid }, parent: { uri: top.uri, cid: top.cid } } });
    await expect(agent.post({ text: 'bad root', reply: { root: { uri: deeper.uri, cid: deeper.cid }, parent: { uri: deeper.uri, cid: deeper.cid } } })).rejects.toMatchObject({ status: 400 });
    await expect(agent.post({ text: 'bad cid', reply: { root: { uri: top.uri, cid: top.cid }, parent: { uri: deeper.uri, cid: top.cid } } })).rejects.toMatchObject({ status: 400 });
    expect(b.created).toHaveLength(0);
  });

  it('waits when Jetstream refuses the connection with a 429', async () => {
    b.handshakeFaults.push('429');
    const s = start();
    await waitFor(() => s.health.state === 'rate_limited', 3000, 'rate limited');
    await waitFor(() => b.connections() === 1, 5000, 'connected after the wait');
    const a = b.addActor('ann.bsky.social', 3);
    b.addPost(a.did, 'acme refund now');
    await waitFor(() => s.got.length === 1, 3000, 'post');
  });
});
