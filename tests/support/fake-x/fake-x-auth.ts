import crypto from 'node:crypto';
import type http from 'node:http';

/**
 * How X authenticates a request, checked the way X documents it:
 * - app-only: `Authorization: Bearer <app token>` — read endpoints only;
 * - OAuth 1.0a user context: an HMAC-SHA1 signature over the method, the
 *   public URL and every oauth_/query/form parameter (RFC 5849 §3.4), with
 *   the consumer secret and the token secret as key; a timestamp within
 *   5 minutes and a nonce never seen before;
 * - OAuth 2.0 user context: `Authorization: Bearer <user access token>`
 *   issued by the token endpoint (Authorization Code with PKCE), until it expires.
 */
export type AuthOutcome =
  | { ok: true; kind: 'app'; }
  | { ok: true; kind: 'oauth1'; token: string }
  | { ok: true; kind: 'oauth2'; token: string; scopes: string[] }
  | { ok: false; status: 401 | 403; body: Record<string, unknown> };

/** X's answer to an app-only token on POST /2/tweets, byte for byte. */
export const APP_ONLY_FORBIDDEN = {
  title: 'Unsupported Authentication',
  detail: 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
  type: 'https://api.twitter.com/2/problems/unsupported-authentication',
  status: 403,
};
const UNAUTHORIZED = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };

/** RFC 3986 percent-encoding, as RFC 5849 §3.6 requires (encodeURIComponent leaves !*'() alone). */
export const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** RFC 5849 §3.4.1: METHOD & base URL & the sorted, encoded parameters. */
export function signatureBaseString(method: string, publicUrl: URL, params: Array<[string, string]>): string {
  const base = `${publicUrl.protocol}//${publicUrl.host.toLowerCase()}${publicUrl.pathname}`;
  const normalized = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return [method.toUpperCase(), rfc3986(base), rfc3986(normalized)].join('&');
}

function parseOAuthHeader(h: string): Map<string, string> | null {
  if (!h.startsWith('OAuth ')) return null;
  const out = new Map<string, string>();
  for (const part of h.slice(6).split(',')) {
    const m = /^\s*([^=\s]+)="([^"]*)"\s*$/.exec(part);
    if (!m) return null;
    out.set(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
  }
  return out;
}

export interface OAuth2Client {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export function createFakeXAuth(opts: { appBearer: string; publicOrigin: string }) {
  const consumers = new Map<string, string>(); // consumer key → secret
  const userTokens = new Map<string, string>(); // access token → token secret
  const nonces = new Set<string>();
  const oauth2Clients = new Map<string, OAuth2Client>();
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; scopes: string[]; expiresAt: number }>();
  const accessTokens = new Map<string, { scopes: string[]; expiresAt: number }>();
  const refreshTokens = new Map<string, { clientId: string; scopes: string[] }>();
  const settings = { accessTokenSeconds: 7200, maxClockSkewSeconds: 300 };
  const events: string[] = [];
  let n = 0;
  const mint = (prefix: string) => `${prefix}-${++n}-${crypto.randomBytes(12).toString('base64url')}`;

  function verifyOAuth1(req: http.IncomingMessage, url: URL, header: string, formBody: Array<[string, string]>): AuthOutcome {
    const p = parseOAuthHeader(header);
    const fail = (why: string): AuthOutcome => (events.push(`oauth1 refused: ${why}`), { ok: false, status: 401, body: { ...UNAUTHORIZED, detail: why } });
    if (!p) return fail('malformed OAuth header');
    const [key, token, sig, method, ts, nonce] = ['oauth_consumer_key', 'oauth_token', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp', 'oauth_nonce'].map((k) => p.get(k));
    if (!key || !token || !sig || !ts || !nonce) return fail('missing oauth parameter');
    if (method !== 'HMAC-SHA1') return fail('unsupported signature method');
    if (p.has('oauth_version') && p.get('oauth_version') !== '1.0') return fail('bad oauth_version');
    const consumerSecret = consumers.get(key);
    if (consumerSecret === undefined) return fail('unknown consumer key');
    const tokenSecret = userTokens.get(token);
    if (tokenSecret === undefined) return fail('unknown token');
    if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > settings.maxClockSkewSeconds) return fail('stale timestamp');
    const params: Array<[string, string]> = [...p].filter(([k]) => k !== 'oauth_signature' && k !== 'realm');
    for (const [k, v] of url.searchParams) params.push([k, v]);
    params.push(...formBody);
    const publicUrl = new URL(url.pathname, opts.publicOrigin);
    const expected = crypto.createHmac('sha1', `${rfc3986(consumerSecret)}&${rfc3986(tokenSecret)}`).update(signatureBaseString(req.method ?? 'GET', publicUrl, params)).digest();
    const given = Buffer.from(sig, 'base64');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return fail('bad signature');
    // Checked after the signature, so a forged request cannot burn a real client's nonce.
    const seen = `${key}:${token}:${nonce}`;
    if (nonces.has(seen)) return fail('nonce already used');
    nonces.add(seen);
    return { ok: true, kind: 'oauth1', token };
  }

  return {
    settings,
    events,
    addConsumer: (key: string, secret: string) => void consumers.set(key, secret),
    addUserToken: (token: string, secret: string) => void userTokens.set(token, secret),
    addOAuth2Client: (c: OAuth2Client) => void oauth2Clients.set(c.clientId, c),
    /** Makes every OAuth 2.0 user access token issued so far expire now. */
    expireAccessTokens() {
      for (const t of accessTokens.values()) t.expiresAt = 0;
    },
    /** The user revoked the app: its refresh tokens stop working. */
    revokeRefreshTokens: () => refreshTokens.clear(),
    get refreshCount() {
      return events.filter((e) => e === 'oauth2 refreshed').length;
    },

    /** Who is calling, for a request whose form body (if any) is already read. */
    authenticate(req: http.IncomingMessage, url: URL, formBody: Array<[string, string]> = []): AuthOutcome {
      const h = req.headers.authorization ?? '';
      if (h.startsWith('OAuth ')) return verifyOAuth1(req, url, h, formBody);
      if (h === `Bearer ${opts.appBearer}`) return { ok: true, kind: 'app' };
      if (h.startsWith('Bearer ')) {
        const t = accessTokens.get(h.slice(7));
        if (t && t.expiresAt > Date.now()) return { ok: true, kind: 'oauth2', token: h.slice(7), scopes: t.scopes };
        events.push(t ? 'oauth2 refused: expired' : 'oauth2 refused: unknown token');
      }
      return { ok: false, status: 401, body: UNAUTHORIZED };
    },

    /**
     * GET /i/oauth2/authorize: the consent screen, where the brand account's
     * owner clicks "Authorize app". Here it is granted at once, and the browser
     * is sent back to the redirect_uri with the code and the state.
     */
    authorize(url: URL): { status: number; location?: string; body?: string } {
      const q = url.searchParams;
      const client = oauth2Clients.get(q.get('client_id') ?? '');
      const redirectUri = q.get('redirect_uri') ?? '';
      if (!client || !client.redirectUris.includes(redirectUri)) return { status: 400, body: 'Something went wrong: this app is not set up for that callback URL.' };
      const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
      const challenge = q.get('code_challenge') ?? '';
      if (q.get('response_type') !== 'code' || !q.get('state') || q.get('code_challenge_method')?.toUpperCase() !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge) || scopes.length === 0) {
        const back = new URL(redirectUri);
        back.searchParams.set('error', 'invalid_request');
        if (q.get('state')) back.searchParams.set('state', q.get('state')!);
        return { status: 302, location: back.toString() };
      }
      const code = mint('code');
      codes.set(code, { clientId: client.clientId, redirectUri, challenge, scopes, expiresAt: Date.now() + 30_000 });
      const back = new URL(redirectUri);
      back.searchParams.set('state', q.get('state')!);
      back.searchParams.set('code', code);
      events.push('oauth2 authorized');
      return { status: 302, location: back.toString() };
    },

    /** POST /2/oauth2/token: form-encoded, confidential clients authenticate with Basic; refresh tokens rotate on use. */
    token(req: http.IncomingMessage, form: URLSearchParams): { status: number; body: Record<string, unknown> } {
      const bad = (error: string, description: string) => (events.push(`oauth2 token refused: ${description}`), { status: 400, body: { error, error_description: description } });
      if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return bad('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString().split(':') : [];
      const client = id ? oauth2Clients.get(decodeURIComponent(id)) : undefined;
      if (!client || decodeURIComponent(secret ?? '') !== client.clientSecret) return { status: 401, body: { error: 'unauthorized_client', error_description: 'Missing valid authorization header' } };
      const issue = (scopes: string[]) => {
        const access = mint('at');
        accessTokens.set(access, { scopes, expiresAt: Date.now() + settings.accessTokenSeconds * 1000 });
        const body: Record<string, unknown> = { token_type: 'bearer', expires_in: settings.accessTokenSeconds, access_token: access, scope: scopes.join(' ') };
        if (scopes.includes('offline.access')) {
          const refresh = mint('rt');
          refreshTokens.set(refresh, { clientId: client.clientId, scopes });
          body.refresh_token = refresh;
        }
        return { status: 200, body };
      };
      if (form.get('grant_type') === 'authorization_code') {
        const code = codes.get(form.get('code') ?? '');
        if (!code || code.expiresAt < Date.now() || code.clientId !== client.clientId) return bad('invalid_request', 'Value passed for the authorization code was invalid.');
        codes.delete(form.get('code')!);
        if (form.get('redirect_uri') !== code.redirectUri) return bad('invalid_request', 'redirect_uri does not match');
        const verifier = form.get('code_verifier') ?? '';
        if (crypto.createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return bad('invalid_request', 'code_verifier does not match the code_challenge');
        events.push('oauth2 code exchanged');
        return issue(code.scopes);
      }
      if (form.get('grant_type') === 'refresh_token') {
        const rt = form.get('refresh_token') ?? '';
        const known = refreshTokens.get(rt);
        if (!known || known.clientId !== client.clientId) return bad('invalid_request', 'Value passed for the token was invalid.');
        refreshTokens.delete(rt); // rotation: a refresh token works once
        events.push('oauth2 refreshed');
        return issue(known.scopes);
      }
      return bad('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
    },
  };
}
export type FakeXAuth = ReturnType<typeof createFakeXAuth>;
