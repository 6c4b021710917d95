import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedditConnector } from '../../connectors/reddit/reddit-connector.js';
import { sameReplyText } from '../../connectors/reply-match.js';
import { createXConnector } from '../../connectors/x/x-connector.js';
import { startFakeReddit } from '../support/fake-reddit/fake-reddit-server.js';
import { FAKE_X_USER_AUTH, startFakeX } from '../support/fake-x/fake-x-server.js';

const since = () => new Date(Date.now() - 5000).toISOString();
const q = (inReplyTo: string, text: string) => ({ inReplyToExternalId: inReplyTo, conversationId: null, text, idempotencyKey: 'key-12345678', since: since() });

describe('findReply on X: the brand account timeline', () => {
  let fx: Awaited<ReturnType<typeof startFakeX>>;
  beforeAll(async () => {
    fx = await startFakeX({ selfUserId: '4242', pageSize: 10 });
  });
  afterAll(() => fx.close());

  it('finds a posted reply by the post it answers and its text, across timeline pages, and nothing else', async () => {
    const x = createXConnector({ id: 'x', bearerToken: 'test-bearer', userAuth: FAKE_X_USER_AUTH, queries: [], baseUrl: fx.url, brandUserId: '4242' });
    const target = await x.reply!({ inReplyToExternalId: '111', authorHandle: 'ana', text: 'Sorry & thanks <3 https://acme.example/help', idempotencyKey: 'k-target-1' });
    // 150 newer posts of the account push it to the second page of 100.
    for (let i = 0; i < 150; i++) await x.reply!({ inReplyToExternalId: `other-${i}`, authorHandle: 'z', text: `reply ${i}`, idempotencyKey: `k-other-${i}` });
    // X gives text back escaped and with its links shortened.
    const mine = fx.ownTweets.find((t) => t.id === target.externalId)!;
    mine.text = '@ana Sorry &amp; thanks &lt;3 https://t.co/abc123';

    expect(await x.findReply!(q('111', 'Sorry & thanks <3 https://acme.example/help'))).toEqual(target);
    expect(await x.findReply!(q('111', 'Some other answer'))).toBeNull();
    expect(await x.findReply!(q('222', 'Sorry & thanks <3 https://acme.example/help'))).toBeNull();
    const timelineCalls = fx.requests.filter((r) => r.startsWith('GET /2/users/4242/tweets?')).map((r) => decodeURIComponent(r));
    expect(timelineCalls.some((r) => r.includes('pagination_token='))).toBe(true);
    expect(timelineCalls.every((r) => /max_results=100/.test(r) && /start_time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/.test(r))).toBe(true);
  });

  it('throws when X cannot answer, so the reply is not taken as absent', async () => {
    const x = createXConnector({ id: 'x', bearerToken: 'test-bearer', userAuth: FAKE_X_USER_AUTH, queries: [], baseUrl: fx.url, brandUserId: '4242' });
    fx.faults.push({ kind: '500', path: '/2/users/4242/tweets' });
    await expect(x.findReply!(q('111', 'anything'))).rejects.toThrow();
  });

  it('is absent without the brand account id: nothing to look at', () => {
    expect(createXConnector({ id: 'x', bearerToken: 'test-bearer', queries: [], baseUrl: fx.url }).findReply).toBeUndefined();
  });
});

describe("findReply on Reddit: the account's own comments", () => {
  let r: Awaited<ReturnType<typeof startFakeReddit>>;
  beforeAll(async () => {
    r = await startFakeReddit();
  });
  afterAll(() => r.close());
  const connector = (username?: string) =>
    createRedditConnector({
      id: 'reddit',
      auth: { clientId: 'cid', clientSecret: 'secret', ...(username ? { username, password: 'pw' } : {}), userAgent: 'hark-test/1.0' },
      subreddits: [],
      queries: [],
      baseUrl: r.url,
      authUrl: r.url,
    });

  it('finds the comment under that parent with that text, across pages', async () => {
    const c = connector('acmebot');
    const post = r.addPost('flights', 'acme lost my bag');
    const mine = await c.reply!({ inReplyToExternalId: post.data.name, authorHandle: 'u', text: 'So sorry! DM us your booking code.', idempotencyKey: 'rk-1' });
    for (let i = 0; i < 120; i++) {
      await c.reply!({ inReplyToExternalId: `t3_other${i}`, authorHandle: 'u', text: `hello ${i}`, idempotencyKey: `rk-o-${i}` });
      // Newer comments get a later created_utc, as on Reddit.
      r.posted.at(-1)!.data.created_utc += i + 1;
    }
    expect(await c.findReply!(q(post.data.name, '  So sorry! DM us your booking code. '))).toEqual(mine);
    expect(await c.findReply!(q(post.data.name, 'Another text'))).toBeNull();
    expect(await c.findReply!(q('t3_nothere', 'So sorry! DM us your booking code.'))).toBeNull();
    expect(r.requests.filter((x) => x === 'GET /user/acmebot/comments').length).toBeGreaterThanOrEqual(2);
  });

  it('throws when Reddit cannot answer, and is absent for app-only access (no account)', async () => {
    const c = connector('acmebot');
    r.faults.push('500');
    await expect(c.findReply!(q('t3_x', 'x'))).rejects.toThrow(/Reddit answered 500/);
    expect(connector().findReply).toBeUndefined();
  });
});

describe('sameReplyText', () => {
  it('ignores what networks change and nothing else', () => {
    expect(sameReplyText('@ana @bob We fixed it &amp; more', 'We fixed it & more')).toBe(true);
    expect(sameReplyText('see https://t.co/xyz', 'see https://acme.example/a?b=c')).toBe(true);
    expect(sameReplyText('We fixed it', 'We fixed it!')).toBe(false);
  });
});
