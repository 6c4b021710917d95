import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorHealth } from '../../shared/connector-ports.js';
import { silentLogger } from '../../shared/log.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { createRedditConnector } from '../../connectors/reddit/reddit-connector.js';
import { startFakeReddit } from '../support/fake-reddit/fake-reddit-server.js';
import { waitFor } from '../support/harness.js';

describe('Reddit connector against a local Reddit API', () => {
  let r: Awaited<ReturnType<typeof startFakeReddit>>;
  let ctl: AbortController;
  beforeEach(async () => {
    // Long enough that a fresh token cannot expire before its first use on a loaded machine.
    r = await startFakeReddit({ tokenLifetimeMs: 1500 });
    ctl = new AbortController();
  });
  afterEach(async () => {
    ctl.abort();
    await r.close();
  });

  const start = (over: { requestTimeoutMs?: number } = {}) => {
    const got: RawMention[] = [];
    const health: Partial<ConnectorHealth> = {};
    const cursors = new Map<string, string>();
    const c = createRedditConnector({
      id: 'reddit:acme',
      auth: { clientId: 'cid', clientSecret: 'secret', username: 'bot', password: 'pw', userAgent: 'hark-test/1.0' },
      subreddits: ['flights'],
      queries: [{ id: 'acme', brand: 'Acme', query: 'acme (refund OR delayed)' }],
      pollIntervalMs: 40,
      backoffMs: 20,
      baseUrl: r.url,
      authUrl: r.url,
      ...over,
    });
    const running = c.run({
      sink: async (b) => void got.push(...b),
      signal: ctl.signal,
      log: silentLogger,
      health: { report: (p) => Object.assign(health, p) },
      cursors: { get: async ({ key }) => cursors.get(key) ?? null, set: async ({ key, value }) => void cursors.set(key, value) },
    });
    return { c, got, health, cursors, running };
  };

  it('reads search, new posts and comments, keeps true matches once each, and skips deleted ones', async () => {
    const post = r.addPost('flights', 'Acme delayed my flight', 'and no refund yet');
    r.addPost('flights', 'Unrelated post about trains');
    r.addPost('flights', 'acme refund', '[removed]', { author: '[deleted]' });
    r.addComment('flights', 'Same here, acme refund still missing', post.data.name);
    r.addComment('flights', '[deleted]', post.data.name);
    const s = start();
    await waitFor(() => s.got.length >= 2, 5000, 'two mentions');
    await new Promise((res) => setTimeout(res, 150));
    const ids = s.got.map((m) => String(m.externalId));
    expect(ids.sort()).toEqual([post.data.name, 't1_c4'].sort());
    const comment = s.got.find((m) => m.externalId === 't1_c4')!;
    expect(comment).toMatchObject({ platform: 'reddit', inReplyTo: post.data.name, conversationId: post.data.name, brand: 'Acme' });
    expect(s.got.find((m) => m.externalId === post.data.name)!.url).toBe(`https://www.reddit.com/r/flights/comments/${post.data.id}/slug/`);
    // New items come once, through the saved cursors.
    const later = r.addPost('flights', 'acme delayed again');
    await waitFor(() => s.got.some((m) => m.externalId === later.data.name), 3000, 'later post');
    expect(s.got.filter((m) => m.externalId === later.data.name)).toHaveLength(1);
    expect(s.cursors.get('r/flights/new')).toBe(later.data.name);
  });

  it('refreshes an expiring token by itself and honours rate limits and errors', async () => {
    r.addPost('flights', 'acme refund please');
    r.faults.push('429', '500', 'garbage');
    const s = start();
    await waitFor(() => s.health.state === 'rate_limited', 3000, 'rate limited');
    await waitFor(() => s.got.length === 1, 6000, 'recovered');
    expect(s.health.errors).toBe(3);
    const first = r.tokensIssued();
    await new Promise((res) => setTimeout(res, 1700)); // the token expires
    r.addPost('flights', 'acme delayed');
    await waitFor(() => s.got.length === 2, 4000, 'after token expiry');
    expect(r.tokensIssued()).toBeGreaterThan(first);
    expect(s.health.state).toBe('ok');
  });

  it('abandons a request Reddit never answers, says so in health, and recovers with nothing lost', async () => {
    r.addPost('flights', 'acme refund, third time asking');
    r.faults.push('hang');
    const s = start({ requestTimeoutMs: 200 });
    await waitFor(() => (s.health.errors ?? 0) >= 1, 3000, 'timeout seen');
    expect(s.health.lastError).toMatch(/time|abort/i);
    await waitFor(() => s.got.length === 1, 4000, 'recovered');
    await new Promise((res) => setTimeout(res, 150));
    expect(s.got).toHaveLength(1);
    expect(s.health.state).toBe('ok');
  });

  it('replies as a comment, once per idempotency key', async () => {
    const post = r.addPost('flights', 'acme refund');
    const { c } = start();
    const req = { inReplyToExternalId: post.data.name, authorHandle: 'user_1', text: 'Sorry! Sending a DM.', idempotencyKey: 'key-123456' };
    const [a, b] = await Promise.all([c.reply!(req), c.reply!(req)]);
    expect(a).toEqual(b);
    expect(a.externalId).toMatch(/^t1_/);
    expect(r.comments).toEqual([{ thing_id: post.data.name, text: 'Sorry! Sending a DM.' }]);
  });
});
