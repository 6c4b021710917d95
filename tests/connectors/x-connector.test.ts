import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorHealth } from '../../shared/connector-ports.js';
import { silentLogger } from '../../shared/log.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { createXConnector } from '../../connectors/x/x-connector.js';
import { FAKE_X_USER_AUTH, startFakeX } from '../support/fake-x/fake-x-server.js';
import { waitFor } from '../support/harness.js';
import { memoryCursors } from '../support/memory-cursors.js';

const OAUTH1 = FAKE_X_USER_AUTH;

describe('X connector against a local X API', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let ctl: AbortController;
  beforeEach(async () => {
    x = await startFakeX({ pageSize: 10 });
    x.addUser({ id: 'u1', username: 'dora_k', name: 'Dora', public_metrics: { followers_count: 48_000 }, verified: true });
    x.addUser({ id: 'u2', username: 'lee', name: 'Lee', public_metrics: { followers_count: 12 } });
    ctl = new AbortController();
  });
  afterEach(async () => {
    ctl.abort();
    await x.close();
  });

  const start = (over: Partial<Parameters<typeof createXConnector>[0]> = {}, sink?: (b: RawMention[]) => Promise<void>) => {
    const got: RawMention[] = [];
    const health: Partial<ConnectorHealth> = {};
    const cursors = memoryCursors();
    const c = createXConnector({ id: 'x:acme', bearerToken: 'test-bearer', baseUrl: x.url, pollIntervalMs: 50, backoffMs: 20, queries: [{ id: 'q1', brand: 'Acme', query: 'acme (refund OR delayed) -promo' }], ...over });
    const running = c.run({
      sink: sink ?? (async (b) => void got.push(...b)),
      signal: ctl.signal,
      log: silentLogger,
      cursors,
      health: { report: (p) => Object.assign(health, p) },
    });
    return { c, got, health, cursors, running };
  };

  it('pages through search, keeps only true matches, maps authors, and saves the cursor', async () => {
    for (let i = 0; i < 25; i++) x.addTweet({ text: `acme refund please #${i}`, author_id: i % 2 ? 'u1' : 'u2', lang: 'en' });
    for (let i = 0; i < 5; i++) x.addTweet({ text: `acme promo refund code ${i}`, author_id: 'u2' }); // excluded by -promo
    x.addTweet({ text: 'refund without the brand', author_id: 'u2' }); // loose search returns it; Hark drops it
    const s = start();
    await waitFor(() => s.got.length >= 25, 5000, '25 mentions');
    expect(new Set(s.got.map((m) => m.externalId)).size).toBe(25);
    const fromDora = s.got.find((m) => (m.author as { handle: string }).handle === 'dora_k')!;
    expect(fromDora).toMatchObject({ platform: 'x', brand: 'Acme', query: 'acme (refund OR delayed) -promo', author: { followers: 48_000, verified: true } });
    expect(fromDora.url).toMatch(/^https:\/\/x\.com\/dora_k\/status\/\d+$/);
    // The cursor is the newest post the search returned (the promo ones and the brandless one included: fetched, then dropped).
    const newest = x.tweets.map((t) => BigInt(t.id)).reduce((a, b) => (a > b ? a : b));
    await waitFor(() => s.cursors.data.get('x:acme/search:q1') === String(newest), 3000, 'cursor');
    // The next polls ask only for what is newer, and new posts arrive once.
    const later = x.addTweet({ text: 'acme delayed again', author_id: 'u1' });
    await waitFor(() => s.got.some((m) => m.externalId === later.id), 3000, 'new tweet');
    expect(s.got.filter((m) => m.externalId === later.id)).toHaveLength(1);
    expect(x.requests.some((r) => r.includes('since_id='))).toBe(true);
    expect(s.health.state).toBe('ok');
  });

  it('does not save the cursor when the mentions were not accepted, so nothing is lost', async () => {
    for (let i = 0; i < 3; i++) x.addTweet({ text: `acme refund ${i}`, author_id: 'u2' });
    const got: string[] = [];
    let fail = true;
    const s = start({}, async (b) => {
      if (fail) {
        fail = false;
        throw new Error('store is down');
      }
      got.push(...b.map((m) => String(m.externalId)));
    });
    await waitFor(() => got.length >= 3, 5000, 'refetch after failure');
    expect(new Set(got).size).toBe(3);
    expect(s.health.errors).toBeGreaterThanOrEqual(1);
  });

  it('waits for the rate-limit reset X gives, says so in health, then recovers', async () => {
    x.addTweet({ text: 'acme refund', author_id: 'u2' });
    const asked = Date.now();
    x.faults.push({ kind: '429', resetInSeconds: 2 });
    const s = start();
    await waitFor(() => s.health.state === 'rate_limited', 3000, 'rate limited');
    // X gives the reset in whole seconds: it is at least a second after the request.
    expect(Date.parse(s.health.rateLimit!.resetAt!)).toBeGreaterThanOrEqual(Math.floor(asked / 1000) * 1000 + 1000);
    const calls = x.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(x.requests.length).toBe(calls); // no hammering while waiting
    await waitFor(() => s.got.length === 1, 5000, 'recovered');
    expect(s.health.state).toBe('ok');
  });

  it('backs off on server errors and malformed JSON and recovers by itself', async () => {
    x.addTweet({ text: 'acme delayed', author_id: 'u1' });
    x.faults.push({ kind: '500' }, { kind: 'garbage' });
    const s = start();
    await waitFor(() => s.got.length === 1, 5000, 'recovered');
    expect(s.health.errors).toBe(2);
    expect(s.health.lastError).toBeTruthy();
    expect(s.health.lastError).not.toContain('test-bearer');
  });

  it('abandons a request X never answers, backs off, and recovers with nothing lost', async () => {
    const t = x.addTweet({ text: 'acme delayed', author_id: 'u1' });
    x.faults.push({ kind: 'hang', path: '/2/tweets/search/recent' });
    const s = start({ requestTimeoutMs: 200 });
    await waitFor(() => s.health.errors === 1, 3000, 'timeout seen');
    expect(s.health.lastError).toMatch(/timeout/i);
    await waitFor(() => s.got.length === 1, 3000, 'recovered');
    expect(s.got[0]!.externalId).toBe(t.id);
    expect(s.health.state).toBe('ok');
  });

  it('passes each post on once when pages overlap', async () => {
    await x.close();
    x = await startFakeX({ pageSize: 10, overlappingPages: true });
    x.addUser({ id: 'u2', username: 'lee', name: 'Lee', public_metrics: { followers_count: 12 } });
    for (let i = 0; i < 35; i++) x.addTweet({ text: `acme refund ${i}`, author_id: 'u2' });
    const s = start();
    await waitFor(() => s.got.length >= 35, 5000, 'all posts');
    await new Promise((r) => setTimeout(r, 150));
    expect(s.got).toHaveLength(35);
    expect(new Set(s.got.map((m) => m.externalId)).size).toBe(35);
  });

  it('says plainly when X refuses the credentials, without the token', async () => {
    const s = start({ bearerToken: 'wrong-bearer-token-123' });
    await waitFor(() => s.health.state === 'error', 3000, 'credentials refused');
    expect(s.health.lastError).toMatch(/credentials/);
    expect(JSON.stringify(s.health)).not.toContain('wrong-bearer-token-123');
  });

  it("reads the brand account's mentions and spaces polls to fit the monthly read cap", async () => {
    x.addUser({ id: 'brand1', username: 'acmehelp', name: 'Acme Help', public_metrics: { followers_count: 90_000 } });
    for (let i = 0; i < 12; i++) x.addTweet({ text: `@acmehelp my order ${i} is late`, author_id: 'u2' });
    x.addTweet({ text: 'not for the brand', author_id: 'u2' });
    const s = start({ queries: [], brandUserId: 'brand1', brand: 'Acme', monthlyReadCap: 1_000_000 });
    await waitFor(() => s.got.length === 12, 5000, 'brand mentions');
    expect(s.got.every((m) => m.brand === 'Acme' && m.query === null)).toBe(true);
    expect(s.cursors.data.get('x:acme/mentions:brand1')).toBe(x.tweets[11]!.id);
    await waitFor(() => (s.health.budget?.used ?? 0) >= 12, 3000, 'budget');
    expect(s.health.budget).toMatchObject({ cap: 1_000_000 });
    const nextMonth = new Date();
    expect(Date.parse(s.health.budget!.periodEnd)).toBe(Date.UTC(nextMonth.getUTCFullYear(), nextMonth.getUTCMonth() + 1, 1));
  });

  it('posts one reply per idempotency key, in reply to the tweet, with the brand account\'s OAuth 1.0a tokens', async () => {
    const { c } = start({ queries: [], userAuth: OAUTH1 });
    const t = x.addTweet({ text: 'acme refund', author_id: 'u2' });
    const req = { inReplyToExternalId: t.id, authorHandle: 'lee', text: 'Sorry! DM us.', idempotencyKey: 'key-abcdef' };
    const [a, b] = await Promise.all([c.reply!(req), c.reply!(req)]);
    expect(a).toEqual(b);
    expect(a.url).toMatch(/^https:\/\/x\.com\/i\/web\/status\/\d+$/);
    expect(x.posted).toEqual([{ text: 'Sorry! DM us.', reply: { in_reply_to_tweet_id: t.id } }]);
  });

  const twcs = '../shared/data/customer-support-twcs.sample.jsonl';
  it.skipIf(!fs.existsSync(twcs))('replays real customer-care threads: each inbound post once, threads linked, replies posted once each', async () => {
    // Pages of 100, as X serves them (max_results=100).
    await x.close();
    x = await startFakeX({ pageSize: 100 });
    const rows = fs
      .readFileSync(twcs, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tweet_id: string; author_id: string; inbound: boolean; text: string; created_at_iso: string; in_response_to_tweet_id: string | null; conversation_id: string });
    const users = new Set(rows.map((r) => r.author_id));
    for (const u of users) x.addUser({ id: u, username: u, name: u, public_metrics: { followers_count: 10 } });
    for (const r of rows) {
      x.addTweet({ id: r.tweet_id, text: r.text, author_id: r.author_id, created_at: r.created_at_iso, conversation_id: r.conversation_id, ...(r.in_response_to_tweet_id ? { referenced_tweets: [{ type: 'replied_to' as const, id: r.in_response_to_tweet_id }] } : {}) });
    }
    const inbound = rows.filter((r) => r.inbound && /@AppleSupport\b/i.test(r.text));
    expect(inbound.length).toBeGreaterThan(20);
    const s = start({ maxPagesPerPoll: 1000, queries: [{ id: 'apple', brand: 'Apple', query: 'to:AppleSupport' }], userAuth: OAUTH1 });
    await waitFor(() => s.got.length >= inbound.length, 10_000, 'all inbound');
    const ids = s.got.map((m) => String(m.externalId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(rows.filter((r) => /@AppleSupport\b/i.test(r.text)).map((r) => r.tweet_id)));
    const threaded = inbound.filter((r) => r.in_response_to_tweet_id);
    for (const r of threaded) expect(s.got.find((m) => m.externalId === r.tweet_id)!.inReplyTo).toBe(r.in_response_to_tweet_id);
    for (const r of inbound.slice(0, 10)) {
      await s.c.reply!({ inReplyToExternalId: r.tweet_id, authorHandle: r.author_id, text: `Hi! ${r.tweet_id}`, idempotencyKey: `k-${r.tweet_id}` });
      await s.c.reply!({ inReplyToExternalId: r.tweet_id, authorHandle: r.author_id, text: `Hi! ${r.tweet_id}`, idempotencyKey: `k-${r.tweet_id}` });
    }
    expect(x.posted.map((p) => p.reply!.in_reply_to_tweet_id)).toEqual(inbound.slice(0, 10).map((r) => r.tweet_id));
  }, 20_000);
});
