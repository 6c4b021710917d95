import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { ConnectorHealth } from '../../shared/connector-ports.js';
import { silentLogger } from '../../shared/log.js';
import { createXConnector } from '../../connectors/x/x-connector.js';
import { FAKE_X_OAUTH1, startFakeX } from '../support/fake-x/fake-x-server.js';
import { waitFor } from '../support/harness.js';
import { memoryCursors } from '../support/memory-cursors.js';

const OAUTH1 = { kind: 'oauth1' as const, appKey: FAKE_X_OAUTH1.apiKey, appSecret: FAKE_X_OAUTH1.apiSecret, accessToken: FAKE_X_OAUTH1.accessToken, accessSecret: FAKE_X_OAUTH1.accessSecret };

/** X posts only with user context: the fake refuses app-only tokens on POST /2/tweets the way X does. */
describe('X replies need the brand account\'s user context', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let ctl: AbortController;
  beforeEach(async () => {
    x = await startFakeX();
    x.addUser({ id: 'u2', username: 'lee', name: 'Lee', public_metrics: { followers_count: 12 } });
    ctl = new AbortController();
  });
  afterEach(async () => {
    ctl.abort();
    await x.close();
  });

  const start = (over: Partial<Parameters<typeof createXConnector>[0]> = {}) => {
    const health: Partial<ConnectorHealth> = {};
    const c = createXConnector({ id: 'x', bearerToken: 'test-bearer', baseUrl: x.url, pollIntervalMs: 50, queries: [{ id: 'q1', brand: 'Acme', query: 'acme' }], ...over });
    void c.run({ sink: async () => undefined, signal: ctl.signal, log: silentLogger, cursors: memoryCursors(), health: { report: (p) => Object.assign(health, p) } });
    return { c, health };
  };
  const req = (id: string, key = 'key-abcdef') => ({ inReplyToExternalId: id, authorHandle: 'lee', text: 'Sorry! DM us.', idempotencyKey: key });

  it('with only the app bearer token: refused with the reason, nothing posted, health says replies are not authorised', async () => {
    const t = x.addTweet({ text: 'acme refund', author_id: 'u2' });
    const { c, health } = start();
    await expect(c.reply!(req(t.id))).rejects.toThrow(/not authorised/);
    expect(x.posted).toEqual([]);
    await waitFor(() => health.replies, 2000, 'reply status in health');
    expect(health.replies).toMatchObject({ authorised: false, via: null, problem: expect.stringMatching(/^replies: not authorised/) });
    expect(c.replyStatus!()).toMatchObject({ authorised: false });
  });

  it('the fake answers an app-only POST /2/tweets with X\'s 403 body', async () => {
    const r = await fetch(`${x.url}/2/tweets`, { method: 'POST', headers: { authorization: 'Bearer test-bearer', 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({
      title: 'Unsupported Authentication',
      detail: 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
      type: 'https://api.twitter.com/2/problems/unsupported-authentication',
      status: 403,
    });
  });

  it('with OAuth 1.0a user tokens: signed, posted once per idempotency key, in reply to the tweet; reading keeps the bearer token', async () => {
    const t = x.addTweet({ text: 'acme refund', author_id: 'u2' });
    const { c, health } = start({ userAuth: OAUTH1 });
    const [a, b] = await Promise.all([c.reply!(req(t.id)), c.reply!(req(t.id))]);
    expect(a).toEqual(b);
    expect(a.url).toMatch(/^https:\/\/x\.com\/i\/web\/status\/\d+$/);
    expect(x.posted).toEqual([{ text: 'Sorry! DM us.', reply: { in_reply_to_tweet_id: t.id } }]);
    expect(x.postedAuth).toEqual(['oauth1']);
    await c.reply!(req(t.id, 'key-second'));
    expect(x.postedAuth).toEqual(['oauth1', 'oauth1']); // a fresh nonce and timestamp per request
    await waitFor(() => health.state === 'ok', 2000, 'polling');
    expect(health.replies).toMatchObject({ authorised: true, via: 'oauth1-user' });
  });

  it('wrong OAuth 1.0a secrets or an unknown token are refused by X, and health says so', async () => {
    const t = x.addTweet({ text: 'acme refund', author_id: 'u2' });
    const wrongSecret = start({ userAuth: { ...OAUTH1, accessSecret: 'not-the-secret' } });
    await expect(wrongSecret.c.reply!(req(t.id))).rejects.toThrow(/X refused the reply \(401, OAuth 1\.0a tokens\)/);
    expect(wrongSecret.health.replies).toMatchObject({ authorised: false, problem: expect.stringMatching(/401/) });
    const unknown = start({ userAuth: { ...OAUTH1, accessToken: '999-unknown' } });
    await expect(unknown.c.reply!(req(t.id))).rejects.toThrow(/401/);
    expect(x.auth.events).toEqual(['oauth1 refused: bad signature', 'oauth1 refused: unknown token']);
    expect(x.posted).toEqual([]);
  });

  it('with an OAuth 2.0 user access token: posted with it', async () => {
    x.auth.addOAuth2Client({ clientId: 'cid', clientSecret: 'csecret', redirectUris: ['http://127.0.0.1/cb'] });
    const token = await issueUserToken(x.url, 'http://127.0.0.1/cb', ['tweet.read', 'tweet.write', 'users.read', 'offline.access']);
    const t = x.addTweet({ text: 'acme refund', author_id: 'u2' });
    const { c } = start({ userAuth: { kind: 'oauth2', accessToken: async () => token } });
    await c.reply!(req(t.id));
    expect(x.postedAuth).toEqual(['oauth2']);
  });
});

describe('the fake X server checks OAuth 1.0a as X does', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  beforeEach(async () => (x = await startFakeX()));
  afterEach(() => x.close());

  /** A twitter-api-v2 user client sent to the fake, keeping the headers of its last request. */
  const signedClient = () => {
    const seen: { headers?: Record<string, string> } = {};
    const target = new URL(x.url);
    const plugin: ITwitterApiClientPlugin = {
      onBeforeRequest(args) {
        seen.headers = { ...(args.requestOptions.headers as Record<string, string>) };
        args.computedParams.url.protocol = target.protocol;
        args.computedParams.url.host = target.host;
      },
    };
    return { api: new TwitterApi({ appKey: OAUTH1.appKey, appSecret: OAUTH1.appSecret, accessToken: OAUTH1.accessToken, accessSecret: OAUTH1.accessSecret }, { plugins: [plugin], httpAgent: new http.Agent() }), seen };
  };

  it('refuses a replayed request (same nonce) and a stale timestamp with 401', async () => {
    const { api, seen } = signedClient();
    await api.v2.tweet('first');
    const replay = await fetch(`${x.url}/2/tweets`, { method: 'POST', headers: { ...seen.headers!, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'first' }) });
    expect(replay.status).toBe(401);
    x.auth.settings.maxClockSkewSeconds = -1; // every timestamp is now too old
    await expect(api.v2.tweet('late')).rejects.toMatchObject({ code: 401 });
    expect(x.auth.events).toEqual(['oauth1 refused: nonce already used', 'oauth1 refused: stale timestamp']);
    expect(x.posted.map((p) => p.text)).toEqual(['first']);
  });

  it('signs query parameters too: a signed search with a tampered query is refused', async () => {
    const { api, seen } = signedClient();
    await api.v2.search('acme');
    const tampered = await fetch(`${x.url}/2/tweets/search/recent?query=other`, { headers: seen.headers! });
    expect(tampered.status).toBe(401);
    expect(x.auth.events).toEqual(['oauth1 refused: bad signature']);
  });

  it("computes X's documented example signature (docs.x.com, Creating a signature)", async () => {
    const crypto = await import('node:crypto');
    const { signatureBaseString, rfc3986 } = await import('../support/fake-x/fake-x-auth.js');
    const params: Array<[string, string]> = [
      ['include_entities', 'true'],
      ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
      ['oauth_consumer_key', 'xvz1evFS4wEEPTGEFPHBog'],
      ['oauth_nonce', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1318622958'],
      ['oauth_token', '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb'],
      ['oauth_version', '1.0'],
    ];
    const base = signatureBaseString('POST', new URL('https://api.twitter.com/1.1/statuses/update.json'), params);
    const key = `${rfc3986('kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw')}&${rfc3986('LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE')}`;
    expect(crypto.createHmac('sha1', key).update(base).digest('base64')).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });
});

/** Walks the fake's Authorization Code + PKCE flow by hand and returns the user access token. */
async function issueUserToken(base: string, redirectUri: string, scopes: string[]): Promise<string> {
  const crypto = await import('node:crypto');
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  const u = new URL('/i/oauth2/authorize', base);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: 'cid', redirect_uri: redirectUri, scope: scopes.join(' '), state: 's1', code_challenge: challenge, code_challenge_method: 'S256' })) u.searchParams.set(k, v);
  const consent = await fetch(u, { redirect: 'manual' });
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
  const r = await fetch(`${base}/2/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('cid:csecret').toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }),
  });
  return ((await r.json()) as { access_token: string }).access_token;
}
