import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_X_USER_ENV, startFakeX } from '../support/fake-x/fake-x-server.js';
import { startFakeReddit } from '../support/fake-reddit/fake-reddit-server.js';
import { startHarness, waitFor, type Harness } from '../support/harness.js';

/** The server runs the X connector from its configuration: mentions in, cursor kept, replies out. */
describe('X and Reddit wired into the server', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let reddit: Awaited<ReturnType<typeof startFakeReddit>>;
  let h: Harness;
  beforeAll(async () => {
    x = await startFakeX();
    reddit = await startFakeReddit();
    reddit.addPost('flights', 'Acme lost my refund request', 'third email, no answer');
    x.addUser({ id: 'u9', username: 'vera', name: 'Vera', public_metrics: { followers_count: 120_000 } });
    x.addTweet({ text: '@acmehelp my refund never arrived', author_id: 'u9', lang: 'en' });
    h = await startHarness({
      X_BEARER_TOKEN: 'test-bearer',
      // The brand account's user context: X posts replies with nothing less.
      ...FAKE_X_USER_ENV,
      X_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'to:acmehelp refund' }]),
      X_POLL_SECONDS: '0.1',
      X_API_BASE_URL: x.url,
      REDDIT_CLIENT_ID: 'cid',
      REDDIT_CLIENT_SECRET: 'secret',
      REDDIT_SUBREDDITS: 'flights',
      REDDIT_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme refund' }]),
      REDDIT_POLL_SECONDS: '0.1',
      REDDIT_API_BASE_URL: reddit.url,
      REDDIT_AUTH_URL: reddit.url,
    });
  });
  afterAll(async () => {
    await h.close();
    await x.close();
    await reddit.close();
  });

  it('stores Reddit posts from the configured subreddits and queries', async () => {
    const agent = await h.signIn('agent');
    const m = await waitFor(async () => (await agent.get('/api/mentions?platform=reddit')).body.items[0], 5000, 'reddit mention');
    expect(m).toMatchObject({ platform: 'reddit', brand: 'Acme', externalId: 't3_p1' });
  });

  it('stores polled posts as mentions, keeps the cursor, shows health, and replies through X once', async () => {
    const agent = await h.signIn('agent');
    const m = await waitFor(async () => (await agent.get('/api/mentions?platform=x')).body.items[0], 5000, 'x mention');
    expect(m).toMatchObject({ platform: 'x', brand: 'Acme', query: 'to:acmehelp refund', author: { handle: 'vera', followers: 120_000 } });
    expect((await h.hark.store.settings.get({ key: 'cursor.x.search:acme' }))?.value).toBe(m.externalId);
    const mgr = await h.signIn('manager');
    const health = await mgr.get('/api/connectors');
    expect(health.body.items.find((c: any) => c.connectorId === 'x')).toMatchObject({ platform: 'x', state: 'ok' });
    const key = 'reply-key-123456';
    const sent = await agent.post(`/api/mentions/${m.id}/replies`, { text: 'So sorry, Vera! DM us your order number.', idempotencyKey: key });
    expect(sent.body.reply).toMatchObject({ state: 'sent', url: expect.stringMatching(/^https:\/\/x\.com\/i\/web\/status\//) });
    await agent.post(`/api/mentions/${m.id}/replies`, { text: 'So sorry, Vera! DM us your order number.', idempotencyKey: key });
    expect(x.posted).toEqual([{ text: 'So sorry, Vera! DM us your order number.', reply: { in_reply_to_tweet_id: m.externalId } }]);
  });
});
