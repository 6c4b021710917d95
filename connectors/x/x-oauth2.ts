import crypto from 'node:crypto';

/**
 * X's OAuth 2.0 Authorization Code flow with PKCE, for the brand account
 * (docs.x.com, "OAuth 2.0 Authorization Code Flow with PKCE"). The token
 * endpoint takes a form-encoded body and, for confidential clients, Basic
 * authentication with the client id and secret. (twitter-api-v2 1.29 sends
 * that body as JSON: its body-type check reads `url.password` for the path.)
 */
export const X_OAUTH2_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] as const;

export interface XOAuth2Endpoints {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface XOAuth2Tokens {
  accessToken: string;
  refreshToken: string | null;
  /** ISO time the access token stops working. */
  expiresAt: string;
  scopes: string[];
}

/** A fresh PKCE pair (RFC 7636): a 43-character verifier and its S256 challenge, plus an unguessable state. */
export function pkce(): { verifier: string; challenge: string; state: string } {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url'), state: crypto.randomBytes(24).toString('base64url') };
}

export function authorizeLink(ep: XOAuth2Endpoints, args: { redirectUri: string; state: string; challenge: string }): string {
  const u = new URL(ep.authorizeUrl);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', ep.clientId);
  u.searchParams.set('redirect_uri', args.redirectUri);
  u.searchParams.set('scope', X_OAUTH2_SCOPES.join(' '));
  u.searchParams.set('state', args.state);
  u.searchParams.set('code_challenge', args.challenge);
  u.searchParams.set('code_challenge_method', 'S256');
  return u.toString();
}

export class XOAuth2Error extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

async function tokenRequest(ep: XOAuth2Endpoints, body: Record<string, string>, now: () => Date, timeoutMs: number): Promise<XOAuth2Tokens> {
  let res: Response;
  try {
    res = await fetch(ep.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(ep.clientId)}:${encodeURIComponent(ep.clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ ...body, client_id: ep.clientId }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new XOAuth2Error(`X's token endpoint did not answer: ${e instanceof Error ? e.message : String(e)}`, null);
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // described below
  }
  if (!res.ok) {
    const why = typeof json.error_description === 'string' ? json.error_description : typeof json.error === 'string' ? json.error : text.slice(0, 200);
    throw new XOAuth2Error(`X's token endpoint refused (${res.status}): ${why}`, res.status);
  }
  if (typeof json.access_token !== 'string' || typeof json.expires_in !== 'number') throw new XOAuth2Error("X's token endpoint answered without an access token", res.status);
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : null,
    expiresAt: new Date(now().getTime() + json.expires_in * 1000).toISOString(),
    scopes: typeof json.scope === 'string' ? json.scope.split(' ').filter(Boolean) : [],
  };
}

export function exchangeCode(ep: XOAuth2Endpoints, args: { code: string; verifier: string; redirectUri: string }, now: () => Date = () => new Date(), timeoutMs = 15_000) {
  return tokenRequest(ep, { grant_type: 'authorization_code', code: args.code, redirect_uri: args.redirectUri, code_verifier: args.verifier }, now, timeoutMs);
}

/** X rotates refresh tokens: the one given stops working once this succeeds. */
export function refreshTokens(ep: XOAuth2Endpoints, refreshToken: string, now: () => Date = () => new Date(), timeoutMs = 15_000) {
  return tokenRequest(ep, { grant_type: 'refresh_token', refresh_token: refreshToken }, now, timeoutMs);
}
