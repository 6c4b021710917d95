import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_X_OAUTH1, startFakeX } from '../support/fake-x/fake-x-server.js';
import { startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';

const KEY = 'k'.repeat(16) + 'an-example-secret-of-32+chars';
const QUERIES = JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme refund' }]);

/** The admin's browser: follows nothing by itself, so each redirect can be checked. */
const visit = (c: ApiClient, url: string) => fetch(url, { redirect: 'manual', headers: c.cookie && url.startsWith(c.base) ? { cookie: c.cookie } : {} });

async function mentionFor(agent: ApiClient) {
  return waitFor(async () => (await agent.get('/api/mentions?platform=x')).body.items[0], 5000, 'x mention');
}

describe('X replies in the server: user context or a plain refusal', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  beforeAll(async () => {
    x = await startFakeX();
    x.addUser({ id: 'u9', username: 'vera', name: 'Vera', public_metrics: { followers_count: 120 } });
    x.addTweet({ text: 'acme refund never arrived', author_id: 'u9', lang: 'en' });
  });
  afterAll(() => x.close());

  it('with only the bearer token: the composer is told replies are not authorised, and a reply fails with the reason, nothing posted', async () => {
    const h = await startHarness({ X_BEARER_TOKEN: 'test-bearer', X_QUERIES: QUERIES, X_POLL_SECONDS: '0.1', X_API_BASE_URL: x.url });
    try {
      const agent = await h.signIn('agent');
      const m = await mentionFor(agent);
      const ability = (await agent.get('/api/networks/replies')).body;
      expect(ability.x).toMatchObject({ canReply: false, via: null, reason: expect.stringMatching(/^replies: not authorised/) });
      const sent = await agent.post(`/api/mentions/${m.id}/replies`, { text: 'Sorry Vera, DM us.', idempotencyKey: 'reply-key-000001' });
      expect(sent.body.reply).toMatchObject({ state: 'failed', error: expect.stringMatching(/not authorised/) });
      expect(x.posted).toEqual([]);
      const health = (await (await h.signIn('manager')).get('/api/networks/x')).body.health;
      expect(health.replies).toMatchObject({ authorised: false });
    } finally {
      await h.close();
    }
  });

  it('with the OAuth 1.0a env tokens: posted, signed', async () => {
    const h = await startHarness({
      X_BEARER_TOKEN: 'test-bearer',
      X_API_KEY: FAKE_X_OAUTH1.apiKey,
      X_API_SECRET: FAKE_X_OAUTH1.apiSecret,
      X_ACCESS_TOKEN: FAKE_X_OAUTH1.accessToken,
      X_ACCESS_SECRET: FAKE_X_OAUTH1.accessSecret,
      X_QUERIES: QUERIES,
      X_POLL_SECONDS: '0.1',
      X_API_BASE_URL: x.url,
    });
    try {
      const agent = await h.signIn('agent');
      const m = await mentionFor(agent);
      expect((await agent.get('/api/networks/replies')).body.x).toEqual({ canReply: true, via: 'oauth1-user', reason: null });
      const sent = await agent.post(`/api/mentions/${m.id}/replies`, { text: 'Sorry Vera, DM us.', idempotencyKey: 'reply-key-000002' });
      expect(sent.body.reply).toMatchObject({ state: 'sent' });
      expect(x.postedAuth.at(-1)).toBe('oauth1');
    } finally {
      await h.close();
    }
  });
});

describe('Connect X account (OAuth 2.0 Authorization Code with PKCE)', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let h: Harness;
  let admin: ApiClient;
  let agent: ApiClient;
  let offsetMs = 0;
  beforeAll(async () => {
    x = await startFakeX();
    x.addUser({ id: 'u9', username: 'vera', name: 'Vera', public_metrics: { followers_count: 120 } });
    x.addTweet({ text: 'acme refund never arrived', author_id: 'u9', lang: 'en' });
    h = await startHarness(
      {
        HARK_SECRET_KEY: KEY,
        X_BEARER_TOKEN: 'test-bearer',
        X_CLIENT_ID: 'hark-client-id',
        X_CLIENT_SECRET: 'hark-client-secret',
        X_OAUTH2_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize`,
        X_OAUTH2_TOKEN_URL: `${x.url}/2/oauth2/token`,
        X_QUERIES: QUERIES,
        X_POLL_SECONDS: '0.1',
        X_API_BASE_URL: x.url,
      },
      { now: () => new Date(Date.now() + offsetMs) },
    );
    x.auth.addOAuth2Client({ clientId: 'hark-client-id', clientSecret: 'hark-client-secret', redirectUris: [`${h.hark.url}/api/networks/x/account/callback`] });
    [admin, agent] = await Promise.all([h.signIn('admin'), h.signIn('agent')]);
  });
  afterAll(async () => {
    await h?.close();
    await x?.close();
  });

  const begin = async () => {
    const r = await admin.post('/api/networks/x/account/connect');
    expect(r.status).toBe(200);
    return new URL(r.body.url);
  };
  /** X's consent screen sends the browser back to Hark's callback; Hark answers with a redirect to the Settings page. */
  const consentAndReturn = async (authorize: URL) => {
    const atX = await visit(admin, authorize.toString());
    expect(atX.status).toBe(302);
    const callback = atX.headers.get('location')!;
    expect(callback.startsWith(`${h.hark.url}/api/networks/x/account/callback?`)).toBe(true);
    return callback;
  };
  const finish = async (callback: string) => {
    const back = await visit(admin, callback);
    expect(back.status).toBe(303);
    return decodeURIComponent(back.headers.get('location')!);
  };

  it('only admins start it, and the authorize URL carries state, an S256 challenge and the scopes replies need', async () => {
    expect((await agent.post('/api/networks/x/account/connect')).status).toBe(403);
    const u = await begin();
    expect(`${u.origin}${u.pathname}`).toBe(`${x.url}/i/oauth2/authorize`);
    expect(Object.fromEntries(u.searchParams)).toMatchObject({ response_type: 'code', client_id: 'hark-client-id', code_challenge_method: 'S256', scope: 'tweet.read tweet.write users.read offline.access', redirect_uri: `${h.hark.url}/api/networks/x/account/callback` });
    expect(u.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{30,}$/);
    expect(u.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Nothing about the flow is in the store in the clear.
    const keys = await h.hark.store.settings.keys({ prefix: 'oauth.x.pending.' });
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(JSON.stringify(await h.hark.store.settings.get({ key: k }))).not.toContain(u.searchParams.get('state')!);
  });

  it('refuses a callback whose state Hark did not issue, or an expired one', async () => {
    const u = await begin();
    const callback = new URL(await consentAndReturn(u));
    callback.searchParams.set('state', 'forged-state-value-0000000000000');
    expect(await finish(callback.toString())).toMatch(/xAccount=failed&reason=state: unknown/);
    const late = await consentAndReturn(await begin());
    offsetMs = 11 * 60_000;
    try {
      expect(await finish(late)).toMatch(/xAccount=failed&reason=state: expired/);
    } finally {
      offsetMs = 0;
    }
    expect((await admin.get('/api/networks/x')).body.account).toMatchObject({ connected: false, canConnect: true });
  });

  it('connects, stores the tokens sealed, posts replies with the user token, refreshes it before expiry, and the state works once', async () => {
    x.auth.settings.accessTokenSeconds = 120; // inside Hark's 5-minute margin: every use refreshes first
    const callback = await consentAndReturn(await begin());
    expect(await finish(callback)).toBe('/#/settings?xAccount=connected');
    // The same answer again (a reload, a replay) is refused: the state was used.
    expect(await finish(callback)).toMatch(/xAccount=failed&reason=state: unknown or already used/);
    const view = (await admin.get('/api/networks/x')).body;
    expect(view.account).toMatchObject({ connected: true, scopes: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] });
    const stored = JSON.stringify(await h.hark.store.settings.get({ key: 'secret.network.x.oauth2' }));
    expect(stored).not.toMatch(/"(at|rt)-\d+-/);
    await waitFor(async () => (await agent.get('/api/networks/replies')).body.x?.via === 'oauth2-user', 3000, 'replies via OAuth 2.0');
    const m = await mentionFor(agent);
    for (const key of ['reply-key-oauth2-1', 'reply-key-oauth2-2']) {
      const sent = await agent.post(`/api/mentions/${m.id}/replies`, { text: `Sorry Vera (${key})`, idempotencyKey: key });
      expect(sent.body.reply).toMatchObject({ state: 'sent' });
    }
    expect(x.postedAuth).toEqual(['oauth2', 'oauth2']);
    // Each use found the token about to expire and refreshed it; X rotated the refresh token each time.
    expect(x.auth.refreshCount).toBe(2);
    const audit = JSON.stringify((await admin.get('/api/audit?limit=50')).body);
    expect(audit).toContain('settings.x_account_connected');
    expect(audit).not.toMatch(/"(at|rt)-\d+-/);
  });

  it('disconnects: replies are not authorised again', async () => {
    expect((await agent.request('DELETE', '/api/networks/x/account')).status).toBe(403);
    expect((await admin.request('DELETE', '/api/networks/x/account')).status).toBe(200);
    await waitFor(async () => (await agent.get('/api/networks/replies')).body.x?.canReply === false, 3000, 'not authorised');
    expect((await admin.get('/api/networks/x')).body.account).toMatchObject({ connected: false });
  });
});
