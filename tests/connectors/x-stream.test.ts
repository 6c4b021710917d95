import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorHealth } from '../../shared/connector-ports.js';
import { silentLogger } from '../../shared/log.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { createXConnector } from '../../connectors/x/x-connector.js';
import { startFakeX } from '../support/fake-x/fake-x-server.js';
import { waitFor } from '../support/harness.js';
import { memoryCursors } from '../support/memory-cursors.js';

describe('X filtered stream against a local X API', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let ctl: AbortController;
  beforeEach(async () => {
    x = await startFakeX({ pageSize: 10, keepAliveMs: 50 });
    x.addUser({ id: 'u1', username: 'dora_k', name: 'Dora', public_metrics: { followers_count: 48_000 }, verified: true });
    x.addUser({ id: 'u2', username: 'lee', name: 'Lee', public_metrics: { followers_count: 12 } });
    ctl = new AbortController();
  });
  afterEach(async () => {
    ctl.abort();
    await x.close();
  });

  const QUERIES = [
    { id: 'q1', brand: 'Acme', query: 'acme (refund OR delayed) -promo' },
    { id: 'q2', brand: 'Nimbus', query: '"nimbus app" crash' },
  ];
  const start = (over: Partial<Parameters<typeof createXConnector>[0]> = {}) => {
    const got: RawMention[] = [];
    const health: Partial<ConnectorHealth> = {};
    const cursors = memoryCursors();
    const c = createXConnector({ id: 'x', bearerToken: 'test-bearer', baseUrl: x.url, mode: 'stream', backoffMs: 30, streamKeepAliveTimeoutMs: 400, requestTimeoutMs: 2000, queries: QUERIES, ...over });
    const running = c.run({ sink: async (b) => void got.push(...b), signal: ctl.signal, log: silentLogger, cursors, health: { report: (p) => Object.assign(health, p) } });
    return { c, got, health, cursors, running };
  };
  const ids = (got: RawMention[]) => got.map((m) => String(m.externalId));

  it('syncs rules by difference only: keeps what matches, deletes stale Hark rules, adds the new, leaves foreign rules', async () => {
    x.rules.push({ id: '901', value: 'acme (refund OR delayed) -promo', tag: 'hark:q1' });
    x.rules.push({ id: '902', value: 'old query', tag: 'hark:gone' });
    x.rules.push({ id: '903', value: 'someone else', tag: 'marketing' });
    const s = start();
    await waitFor(() => s.health.stream?.connected, 3000, 'connected');
    expect(x.ruleChanges).toHaveLength(2);
    expect(x.ruleChanges[0]).toEqual({ delete: { ids: ['902'] } });
    expect(x.ruleChanges[1]!.add).toEqual([{ value: expect.stringContaining('nimbus app') as string, tag: 'hark:q2' }]);
    expect(x.rules.map((r) => r.tag).sort()).toEqual(['hark:q1', 'hark:q2', 'marketing']);
    // A second start with the same queries changes nothing.
    ctl.abort();
    await s.running;
    ctl = new AbortController();
    const again = start();
    await waitFor(() => again.health.stream?.connected, 3000, 'connected again');
    expect(x.ruleChanges).toHaveLength(2);
  });

  it('delivers posts live with their authors, re-checks them locally, and advances the cursor', async () => {
    const s = start();
    // Connected and the backfill done: a post added now can only come by the stream.
    await waitFor(() => s.health.stream?.connected && x.openStreams === 1 && s.health.lastSuccessAt, 3000, 'connected');
    const a = x.addTweet({ text: 'acme refund please', author_id: 'u1', lang: 'en' });
    x.addTweet({ text: 'acme promo refund code', author_id: 'u2' }); // the loose rule matches; -promo excludes it
    const b = x.addTweet({ text: 'the nimbus app keeps crashing, crash after crash', author_id: 'u2' });
    await waitFor(() => s.got.length >= 2, 3000, 'two posts');
    await new Promise((r) => setTimeout(r, 100));
    expect(ids(s.got)).toEqual([a.id, b.id]);
    expect(s.got[0]).toMatchObject({ brand: 'Acme', query: QUERIES[0]!.query, author: { handle: 'dora_k', followers: 48_000, verified: true } });
    expect(s.got[1]).toMatchObject({ brand: 'Nimbus' });
    await waitFor(() => s.cursors.data.get('x/search:q2') === b.id, 2000, 'cursor');
    expect(s.health).toMatchObject({ state: 'ok', stream: { connected: true } });
  });

  it('when the stream drops mid-line: reconnects with backoff and backfills the gap by search, nothing lost or doubled', async () => {
    const s = start();
    await waitFor(() => x.openStreams === 1, 3000, 'connected');
    const a = x.addTweet({ text: 'acme delayed flight', author_id: 'u2' });
    await waitFor(() => s.got.length === 1, 3000, 'first post');
    x.streamFaults.push('drop-mid-line');
    const cut = x.addTweet({ text: 'acme refund, this one is cut in half', author_id: 'u1' });
    const missed = x.addTweetUnstreamed({ text: 'acme refund posted while disconnected', author_id: 'u2' });
    await waitFor(() => x.streamConnects >= 2 && x.openStreams === 1, 5000, 'reconnected');
    const live = x.addTweet({ text: 'acme refund after the reconnect', author_id: 'u2' });
    await waitFor(() => s.got.length >= 4, 5000, 'all four');
    await new Promise((r) => setTimeout(r, 150));
    expect(ids(s.got).sort()).toEqual([a.id, cut.id, missed.id, live.id].sort());
    expect(x.requests.some((r) => r.startsWith('GET /2/tweets/search/recent') && r.includes(`since_id=${a.id}`))).toBe(true);
    expect(s.health.stream).toMatchObject({ connected: true });
    expect(s.health.stream!.reconnects).toBeGreaterThanOrEqual(1);
    expect(s.health.lastError).toMatch(/stream dropped/);
    expect(s.health.errors).toBeGreaterThanOrEqual(1);
  });

  it('reconnects when the stream goes silent (no keep-alive) and finds what it missed', async () => {
    const s = start();
    await waitFor(() => x.openStreams === 1 && s.health.lastSuccessAt, 3000, 'connected and backfilled');
    x.streamFaults.push('stall');
    const lost = x.addTweet({ text: 'nimbus app crash on login', author_id: 'u2' });
    await waitFor(() => s.got.length === 1, 5000, 'found after the silence');
    expect(ids(s.got)).toEqual([lost.id]);
    expect(s.health.lastError).toMatch(/keep-alive/);
    expect(x.streamConnects).toBeGreaterThanOrEqual(2);
  });

  it('keeps authors it has seen, for payloads that come without them', async () => {
    const s = start();
    await waitFor(() => x.openStreams === 1, 3000, 'connected');
    x.addTweet({ text: 'acme refund please', author_id: 'u1' });
    await waitFor(() => s.got.length === 1, 3000, 'first');
    x.omitIncludes = true;
    x.addTweet({ text: 'acme delayed again', author_id: 'u1' });
    x.addTweet({ text: 'acme delayed, who am I', author_id: 'u2' }); // never seen: no metrics to give
    await waitFor(() => s.got.length === 3, 3000, 'the rest');
    expect(s.got[1]!.author).toMatchObject({ handle: 'dora_k', followers: 48_000, verified: true });
    expect(s.got[2]!.author).toMatchObject({ handle: 'u2', followers: 0 });
  });

  it('keeps unicode whole when a character is split across chunks, and very long posts', async () => {
    const s = start();
    await waitFor(() => x.openStreams === 1, 3000, 'connected');
    const text = `acme refund 😡🇫🇷 délai 遅延 تأخير ${'👍🏽'.repeat(1200)}`;
    const t = x.addTweet({ text, author_id: 'u2' });
    await waitFor(() => s.got.length === 1, 3000, 'post');
    expect(s.got[0]!.externalId).toBe(t.id);
    expect(s.got[0]!.text).toBe(text);
  });

  it('waits out a 429 on connect, says so in health, then streams', async () => {
    x.faults.push({ kind: '429', resetInSeconds: 1, path: '/2/tweets/search/stream' }); // "/stream/rules" too: the first matching request meets it
    const s = start();
    await waitFor(() => s.health.state === 'rate_limited', 3000, 'rate limited');
    await waitFor(() => s.health.stream?.connected, 5000, 'connected after the reset');
    const t = x.addTweet({ text: 'acme refund', author_id: 'u2' });
    await waitFor(() => s.got.some((m) => m.externalId === t.id), 3000, 'post');
  });

  it('reports a query X refuses as a rule, and streams the others', async () => {
    const long = { id: 'q3', brand: 'Acme', query: Array.from({ length: 80 }, (_, i) => `word${i}`).join(' OR ') };
    const s = start({ queries: [...QUERIES, long] });
    await waitFor(() => s.health.stream?.connected, 3000, 'connected');
    expect(s.health.lastError).toMatch(/q3/);
    expect(x.rules.map((r) => r.tag).sort()).toEqual(['hark:q1', 'hark:q2']);
  });
});
