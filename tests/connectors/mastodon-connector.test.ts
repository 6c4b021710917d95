import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectorHealth } from '../../shared/connector-ports.js';
import { silentLogger } from '../../shared/log.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { createMastodonConnector, feedCursorKey, type MastodonConnectorOptions } from '../../connectors/mastodon/mastodon-connector.js';
import { htmlToText } from '../../connectors/mastodon/mastodon-status.js';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon/fake-mastodon-server.js';
import { memoryCursors } from '../support/memory-cursors.js';
import { waitFor } from '../support/harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Mastodon connector against local instances', () => {
  let m1: FakeMastodon;
  let m2: FakeMastodon;
  let ctl: AbortController;
  beforeEach(async () => {
    m1 = await startFakeMastodon();
    m2 = await startFakeMastodon({ tokens: { 'other-token-0001': 'read' }, publicNeedsToken: true });
    ctl = new AbortController();
  });
  afterEach(async () => {
    ctl.abort();
    await Promise.all([m1.close(), m2.close()]);
  });

  const options = (over: Partial<MastodonConnectorOptions> = {}): MastodonConnectorOptions => ({
    id: 'mastodon',
    queries: [{ id: 'acme', brand: 'Acme', query: 'acme (refund OR delayed OR broken) -promo' }],
    instances: [m1.origin, m2.origin],
    tokens: { [m1.host]: 'brand-token-0001', [m2.host]: 'other-token-0001' },
    hashtags: ['AcmeAir'],
    timeline: 'public',
    replyInstance: null,
    backoffMs: 20,
    requestTimeoutMs: 2000,
    idleTimeoutMs: 5000,
    ...over,
  });

  function start(over: Partial<MastodonConnectorOptions> = {}, shared: { cursors?: ReturnType<typeof memoryCursors> } = {}) {
    const got: RawMention[] = [];
    const health: Partial<ConnectorHealth> = {};
    const cursors = shared.cursors ?? memoryCursors();
    const c = createMastodonConnector(options(over));
    const local = new AbortController();
    ctl.signal.addEventListener('abort', () => local.abort());
    const running = c.run({ sink: async (batch) => void got.push(...batch), signal: local.signal, log: silentLogger, health: { report: (p) => Object.assign(health, p) }, cursors });
    return { c, got, health, cursors, stop: async () => (local.abort(), await running) };
  }

  const connected = (s: { health: Partial<ConnectorHealth> }) => waitFor(() => m1.connections() === 1 && m2.connections() === 1 && s.health.stream?.connected, 5000, 'both instances connected');

  it('streams the public timeline and hashtags of every instance, matches locally, and keeps one mention per status', async () => {
    const s = start();
    await connected(s);
    await waitFor(() => m1.subscriptions()[0]?.length === 2, 3000, 'subscribed');
    expect(m1.subscriptions()[0]).toEqual([{ stream: 'public' }, { stream: 'hashtag', tag: 'acmeair' }]);
    expect(m2.streamAuth.at(-1)).toBe('other-token-0001'); // an instance that keeps its public stream to signed-in users gets its token
    const dora = m1.account('dora', 4200, 'Dora');
    const st = m1.addStatus(dora, "Acme delayed my flight & nobody answers\nstill <no> refund #AcmeAir", { language: 'en' });
    m1.addStatus(dora, 'acme promo: refund week');
    m1.addStatus(dora, 'nothing to see');
    // The same status federated to the second instance: another id there, the same uri.
    m2.federate(st, m1.host);
    await waitFor(() => s.got.length >= 1, 3000, 'mention');
    await sleep(200);
    expect(s.got).toHaveLength(1);
    expect(s.got[0]).toMatchObject({
      platform: 'mastodon',
      externalId: st.uri,
      text: 'Acme delayed my flight & nobody answers\nstill <no> refund #AcmeAir',
      lang: 'en',
      url: st.url,
      author: { handle: `dora@${m1.host}`, name: 'Dora', followers: 4200 },
      brand: 'Acme',
    });
    // Cursors per instance and feed, at the newest status id each instance handed over.
    expect(s.cursors.data.get(`mastodon/${feedCursorKey(m1.host, 'public')}`)).toBe(m1.statuses.at(-1)!.id);
    expect(s.cursors.data.get(`mastodon/${feedCursorKey(m1.host, 'tag:acmeair')}`)).toBe(st.id);
    expect(s.cursors.data.get(`mastodon/${feedCursorKey(m2.host, 'public')}`)).toBe(m2.statuses.at(-1)!.id);
    expect(s.health).toMatchObject({ state: 'ok', errors: 0 });
  });

  it('fills the gap of a dropped stream and of a restart from the per-instance cursors, losing nothing and repeating nothing', async () => {
    const cursors = memoryCursors();
    const s = start({ hashtags: [] }, { cursors });
    await connected(s);
    const ann = m1.account('ann', 3);
    m1.addStatus(ann, 'acme refund 1');
    await waitFor(() => s.got.length === 1, 3000, 'first');
    m1.dropConnections();
    // While the connection is down: only the REST timeline has these.
    for (let i = 2; i <= 4; i++) m1.addStatus(ann, `acme refund ${i}`);
    await waitFor(() => s.got.length === 4, 5000, 'backfilled after the drop');
    expect(m1.requests.some((r) => r.includes('/api/v1/timelines/public') && r.includes('min_id='))).toBe(true);
    expect(s.health.stream?.reconnects).toBeGreaterThanOrEqual(1);
    await s.stop();
    // 45 statuses while Hark is stopped: more than one page of 40.
    for (let i = 5; i < 50; i++) m1.addStatus(ann, `acme refund ${i}`);
    const again = start({ hashtags: [] }, { cursors });
    await waitFor(() => again.got.length === 45, 8000, 'after restart');
    await sleep(150);
    const texts = [...s.got, ...again.got].map((m) => m.text);
    expect(texts).toHaveLength(49);
    expect(new Set(texts).size).toBe(49);
  });

  it('skips malformed stream messages, counts them, and keeps listening', async () => {
    const s = start({ instances: [m1.origin] });
    await waitFor(() => s.health.stream?.connected, 5000, 'connected');
    await waitFor(() => (m1.subscriptions()[0]?.length ?? 0) > 0, 3000, 'subscribed');
    m1.sendGarbage();
    m1.addStatus(m1.account('ann', 3), 'acme app broken');
    await waitFor(() => s.got.length === 1, 3000, 'status after garbage');
    expect(s.health.errors).toBe(2);
    expect(s.health.lastError).toMatch(/not JSON|malformed/);
    expect(m1.streamAuth).toHaveLength(1);
  });

  it('waits out a 429 until X-RateLimit-Reset, and recovers from a 500 and a cut-off body', async () => {
    const ann = m1.account('ann', 3);
    m1.faults.push({ kind: '429', resetInSeconds: 1, path: '/api/v1/timelines' }, { kind: '500', path: '/api/v1/timelines' }, { kind: 'garbage', path: '/api/v1/timelines' });
    const s = start({ instances: [m1.origin] });
    await waitFor(() => s.health.state === 'rate_limited', 3000, 'rate limited');
    expect(Date.parse(s.health.rateLimit!.resetAt!)).toBeGreaterThan(Date.now());
    await waitFor(() => s.health.state === 'ok' && s.health.stream?.connected, 8000, 'recovered');
    m1.addStatus(ann, 'acme delayed again');
    await waitFor(() => s.got.length === 1, 3000, 'status');
    expect(s.health.errors).toBeGreaterThanOrEqual(3);
  });

  it('reports a refused token and keeps retrying with backoff', async () => {
    const s = start({ instances: [m2.origin], tokens: { [m2.host]: 'revoked-token-01' } });
    await waitFor(() => s.health.state === 'error', 3000, 'error');
    expect(s.health.lastError).toMatch(/refused the access token/);
    expect(s.health.lastError).not.toContain('revoked-token-01');
  });

  it('replies with in_reply_to_id resolved on the reply instance, mentioning the author, once per key', async () => {
    const s = start();
    await connected(s);
    const dora = m2.account('dora', 5);
    const original = m2.addStatus(dora, 'acme refund?');
    const seen = m1.federate(original, m2.host);
    const r = await s.c.reply!({ inReplyToExternalId: original.uri, authorHandle: `dora@${m2.host}`, text: 'Sorry, we are on it', idempotencyKey: 'key-00001' });
    expect(m1.posted).toEqual([{ status: `@dora@${m2.host} Sorry, we are on it`, in_reply_to_id: seen.id, token: 'brand-token-0001', idempotencyKey: 'key-00001' }]);
    expect(r.externalId).toBe(m1.statuses.at(-1)!.uri);
    expect(r.url).toBe(m1.statuses.at(-1)!.url);
    // A text that already mentions the author is sent as written; two sends with one key post once.
    const [a, b] = await Promise.all([
      s.c.reply!({ inReplyToExternalId: original.uri, authorHandle: `dora@${m2.host}`, text: '@dora a refund is on its way', idempotencyKey: 'key-00002' }),
      s.c.reply!({ inReplyToExternalId: original.uri, authorHandle: `dora@${m2.host}`, text: '@dora a refund is on its way', idempotencyKey: 'key-00002' }),
    ]);
    expect(a).toEqual(b);
    expect(m1.posted).toHaveLength(2);
    expect(m1.posted[1]!.status).toBe('@dora a refund is on its way');
    await expect(s.c.reply!({ inReplyToExternalId: original.uri, authorHandle: 'dora', text: 'x'.repeat(501), idempotencyKey: 'key-00003' })).rejects.toThrow(/500/);
    await expect(s.c.reply!({ inReplyToExternalId: 'https://elsewhere.example/statuses/1', authorHandle: 'dora', text: 'hi', idempotencyKey: 'key-00004' })).rejects.toThrow(/cannot find the status/);
  });

  it('refuses replies without a token or with a read-only one, and the fake refuses anonymous posts', async () => {
    const dora = m2.account('dora', 5);
    const original = m2.addStatus(dora, 'acme refund?');
    const none = createMastodonConnector(options({ tokens: {} }));
    await expect(none.reply!({ inReplyToExternalId: original.uri, authorHandle: 'dora', text: 'hi', idempotencyKey: 'key-10001' })).rejects.toThrow(/need an access token/);
    const readOnly = createMastodonConnector(options({ replyInstance: m2.origin }));
    const err = await readOnly.reply!({ inReplyToExternalId: original.uri, authorHandle: 'dora', text: 'hi', idempotencyKey: 'key-10002' }).catch((e: unknown) => e as Error & { code?: string });
    expect(err).toMatchObject({ code: 'unauthorized' });
    expect(m2.posted).toHaveLength(0);
    const anon = await fetch(`${m1.origin}/api/v1/statuses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'hi', in_reply_to_id: original.id }) });
    expect(anon.status).toBe(401);
  });

  it('reads status HTML as text', () => {
    expect(htmlToText('<p>Hello <a href="x">@<span>acme</span></a> &amp; co</p><p>line&#39;s<br />two &#x1F600;</p>')).toBe("Hello @acme & co\n\nline's\ntwo 😀");
  });
});
