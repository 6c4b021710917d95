import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/log.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { createXConnector } from '../../connectors/x/x-connector.js';
import { startFakeX } from '../support/fake-x/fake-x-server.js';
import { waitFor } from '../support/harness.js';
import { memoryCursors } from '../support/memory-cursors.js';

/**
 * A burst longer than the page cap of one poll: the cursor must stay where
 * the fetched pages end, and the following polls continue down the burst
 * (X pages recent search newest → oldest), so every post is found once.
 */
describe('X bursts longer than maxPagesPerPoll', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let ctl: AbortController;
  beforeEach(async () => {
    x = await startFakeX({ pageSize: 10, keepAliveMs: 50 });
    x.addUser({ id: 'u2', username: 'lee', name: 'Lee', public_metrics: { followers_count: 12 } });
    x.addUser({ id: 'brand1', username: 'acmehelp', name: 'Acme Help', public_metrics: { followers_count: 90_000 } });
    ctl = new AbortController();
  });
  afterEach(async () => {
    ctl.abort();
    await x.close();
  });

  const start = (over: Partial<Parameters<typeof createXConnector>[0]>, cursors = memoryCursors()) => {
    const got: RawMention[] = [];
    const c = createXConnector({ id: 'x', bearerToken: 'test-bearer', baseUrl: x.url, pollIntervalMs: 30, backoffMs: 20, maxPagesPerPoll: 2, queries: [{ id: 'q1', brand: 'Acme', query: 'acme refund' }], ...over });
    const running = c.run({ sink: async (b) => void got.push(...b), signal: ctl.signal, log: silentLogger, cursors });
    return { got, cursors, running };
  };
  const expectEachOnce = (got: RawMention[], want: string[]) => {
    const ids = got.map((m) => String(m.externalId));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(new Set(ids)).toEqual(new Set(want));
  };

  it('polling: every post of a 55-post burst (cap: one page of 10) and of the mentions timeline is found exactly once', async () => {
    const old = x.addTweet({ text: 'acme refund from last week', author_id: 'u2' });
    const cursors = memoryCursors();
    await cursors.set({ connectorId: 'x', key: 'search:q1', value: old.id });
    const burst = Array.from({ length: 55 }, (_, i) => x.addTweet({ text: `acme refund burst ${i}`, author_id: 'u2' }).id);
    const mentions = Array.from({ length: 25 }, (_, i) => x.addTweet({ text: `@acmehelp where is my order ${i}`, author_id: 'u2' }).id);
    const s = start({ brandUserId: 'brand1', brand: 'Acme', maxPagesPerPoll: 1 }, cursors);
    // Posts keep arriving while the burst is being drained: they are found too.
    await waitFor(() => s.got.length >= 10, 3000, 'first page');
    const during = x.addTweet({ text: 'acme refund while draining', author_id: 'u2' }).id;
    await waitFor(() => s.got.length >= burst.length + mentions.length + 1, 8000, 'whole burst');
    await new Promise((r) => setTimeout(r, 200));
    expectEachOnce(s.got, [...burst, ...mentions, during]);
    expect(s.cursors.data.get('x/search:q1')).toBe(during);
    expect(s.cursors.data.get('x/mentions:brand1')).toBe(mentions.at(-1));
  });

  it("stream: the backfill after a connect drains the whole gap, not only the cap's first pages", async () => {
    const old = x.addTweet({ text: 'acme refund from before', author_id: 'u2' });
    const cursors = memoryCursors();
    await cursors.set({ connectorId: 'x', key: 'search:q1', value: old.id });
    const gap = Array.from({ length: 45 }, (_, i) => x.addTweetUnstreamed({ text: `acme refund while away ${i}`, author_id: 'u2' }).id);
    const s = start({ mode: 'stream', streamKeepAliveTimeoutMs: 400, requestTimeoutMs: 2000 }, cursors);
    await waitFor(() => s.got.length >= gap.length, 5000, 'gap backfilled');
    await waitFor(() => x.openStreams === 1, 3000, 'connected');
    const live = x.addTweet({ text: 'acme refund live', author_id: 'u2' }).id;
    await waitFor(() => s.got.some((m) => m.externalId === live), 3000, 'live post');
    await new Promise((r) => setTimeout(r, 150));
    expectEachOnce(s.got, [...gap, live]);
    await waitFor(() => s.cursors.data.get('x/search:q1') === live, 2000, 'cursor at the live post');
  });
});
