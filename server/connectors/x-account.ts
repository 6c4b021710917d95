import crypto from 'node:crypto';
import { ConflictError, HarkError, ValidationError } from '../../shared/errors.js';
import type { XAccountConnection } from '../../shared/networks.js';
import type { Store } from '../../shared/store.js';
import { authorizeLink, exchangeCode, pkce, refreshTokens, XOAuth2Error, type XOAuth2Endpoints, type XOAuth2Tokens } from '../../connectors/x/x-oauth2.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { readSetting, settingKeys, writeSetting, type SettingValue } from '../settings/registry.js';

/** Also the AES-GCM associated data of the sealed tokens. */
const TOKENS_KEY = 'secret.network.x.oauth2';
const PENDING_PREFIX = 'oauth.x.pending.' as const;
/** How long an admin has between "Connect X account" and X sending them back. */
const PENDING_TTL_MS = 10 * 60_000;
/** A token this close to its expiry is refreshed before use (X's user tokens last two hours). */
const REFRESH_MARGIN_MS = 5 * 60_000;
const CLAIM_MS = 30_000;

/** `refreshingUntil` is set while one process refreshes the token; others wait for its result. Schemas: the settings registry. */
type TokensDoc = NonNullable<SettingValue<typeof TOKENS_KEY>>;

/** The state is kept hashed: the store never holds a value that could finish someone's flow. */
const pendingKey = (state: string) => `${PENDING_PREFIX}${crypto.createHash('sha256').update(state).digest('hex').slice(0, 40)}` as const;

/**
 * The brand's X account connected through OAuth 2.0 (Authorization Code with
 * PKCE): the flow's verifier and state wait in the store (so the callback may
 * reach another API process), single use and expiring; the user tokens are
 * sealed with the secret box like other credentials and refreshed before
 * they expire. Refreshing is compare-and-set on the stored version, so with
 * several processes one refresh wins and the others re-read its token
 * (X rotates the refresh token: a second refresh with the old one fails).
 */
export function createXAccount(deps: {
  store: Store;
  box: SecretBox;
  now: () => Date;
  urls: { authorizeUrl: string; tokenUrl: string };
  /** The OAuth 2.0 client (from the X credentials), or null when none is configured. */
  client: () => Promise<{ clientId: string; clientSecret: string } | null>;
}) {
  const { store, box, now } = deps;
  let refreshing: Promise<string> | null = null;

  async function endpoints(): Promise<XOAuth2Endpoints | null> {
    const c = await deps.client();
    return c ? { ...deps.urls, ...c } : null;
  }
  const openTokens = (doc: TokensDoc) => JSON.parse(box.open(doc.sealed, TOKENS_KEY)) as Pick<XOAuth2Tokens, 'accessToken' | 'refreshToken'>;
  const sealTokens = (t: XOAuth2Tokens, connectedAt: string): TokensDoc => ({
    sealed: box.seal(JSON.stringify({ accessToken: t.accessToken, refreshToken: t.refreshToken }), TOKENS_KEY),
    connectedAt,
    expiresAt: t.expiresAt,
    scopes: t.scopes,
  });

  async function saveTokens(value: TokensDoc | null) {
    for (let attempt = 0; ; attempt++) {
      const cur = await readSetting(store, TOKENS_KEY);
      try {
        await writeSetting(store, TOKENS_KEY, value, cur?.version ?? 0);
        return;
      } catch (e) {
        if (!(e instanceof ConflictError) || attempt >= 2) throw e;
      }
    }
  }

  /**
   * One refresh at a time in this process; across processes the refresh is
   * claimed first by compare-and-set on the stored version (X rotates the
   * refresh token, so two refreshes with one token cannot both succeed). The
   * others wait and re-read the winner's token. A claim lapses after 30 s,
   * so a process that died mid-refresh does not block the rest.
   */
  async function refreshOrReread(): Promise<string> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const doc = await readSetting(store, TOKENS_KEY);
      if (!doc?.value) throw new HarkError('bad_request', 422, 'The X account is not connected: connect it on the Settings page');
      const t = openTokens(doc.value);
      const at = now().getTime();
      if (Date.parse(doc.value.expiresAt) - at > REFRESH_MARGIN_MS) return t.accessToken;
      if (doc.value.refreshingUntil && Date.parse(doc.value.refreshingUntil) > at) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const ep = await endpoints();
      if (!ep || !t.refreshToken) throw new HarkError('bad_request', 422, 'The X account token expired and cannot be refreshed: connect the X account again');
      let claimed: number;
      try {
        claimed = (await writeSetting(store, TOKENS_KEY, { ...doc.value, refreshingUntil: new Date(at + CLAIM_MS).toISOString() }, doc.version)).version;
      } catch (e) {
        if (e instanceof ConflictError) continue; // another process claimed it or wrote a new token
        throw e;
      }
      let fresh: XOAuth2Tokens;
      try {
        fresh = await refreshTokens(ep, t.refreshToken, now);
      } catch (e) {
        await writeSetting(store, TOKENS_KEY, { ...doc.value, refreshingUntil: null }, claimed).catch(() => undefined);
        throw new HarkError('bad_request', 422, `${e instanceof Error ? e.message : String(e)}: connect the X account again`);
      }
      try {
        await writeSetting(store, TOKENS_KEY, sealTokens({ ...fresh, refreshToken: fresh.refreshToken ?? t.refreshToken }, doc.value.connectedAt), claimed);
        return fresh.accessToken;
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        // The account was disconnected or connected again meanwhile: read what is there now.
      }
    }
    throw new HarkError('unavailable', 503, 'The X account token is being refreshed elsewhere; try again');
  }

  return {
    async status(): Promise<XAccountConnection> {
      const canConnect = (await endpoints()) !== null && box.available;
      const doc = (await readSetting(store, TOKENS_KEY))?.value ?? null;
      if (!doc) return { connected: false, canConnect, connectedAt: null, scopes: [], expiresAt: null, problem: null };
      let problem: string | null = null;
      try {
        if (!box.available) problem = 'The connected X account needs HARK_SECRET_KEY, which is not set';
        else openTokens(doc);
      } catch {
        problem = 'The connected X account cannot be opened with this HARK_SECRET_KEY: connect it again';
      }
      return { connected: problem === null, canConnect, connectedAt: doc.connectedAt, scopes: doc.scopes, expiresAt: doc.expiresAt, problem };
    },

    /** Starts "Connect X account": the URL of X's consent screen for the admin's browser. */
    async begin(redirectUri: string): Promise<{ url: string }> {
      const ep = await endpoints();
      if (!ep) throw new ValidationError('clientId: set X_CLIENT_ID and X_CLIENT_SECRET on the server, or enter the OAuth 2.0 client id and secret on the Settings page, before connecting the X account', [{ field: 'clientId', message: 'no OAuth 2.0 client' }]);
      if (!box.available) throw new ValidationError('credentials: set HARK_SECRET_KEY on the server: the X account\'s tokens are kept encrypted with it', [{ field: 'credentials', message: 'HARK_SECRET_KEY is not set' }]);
      const { verifier, challenge, state } = pkce();
      // Abandoned flows are swept when a new one starts.
      for (const key of await settingKeys(store, PENDING_PREFIX)) {
        const d = await readSetting(store, key).catch(() => null);
        if (d?.value && Date.parse(d.value.expiresAt) < now().getTime()) await writeSetting(store, key, null, d.version).catch(() => undefined);
      }
      const key = pendingKey(state);
      await writeSetting(store, key, { sealed: box.seal(JSON.stringify({ verifier, redirectUri }), key), expiresAt: new Date(now().getTime() + PENDING_TTL_MS).toISOString() }, 0);
      return { url: authorizeLink(ep, { redirectUri, state, challenge }) };
    },

    /** X sent the admin back: the state must be one we issued, unused and unexpired; then the code becomes tokens. */
    async complete(args: { state?: string; code?: string; error?: string }): Promise<{ scopes: string[] }> {
      if (!args.state) throw new ValidationError('state: missing from X\'s answer: start "Connect X account" again', [{ field: 'state', message: 'missing' }]);
      const key = pendingKey(args.state);
      const doc = await readSetting(store, key);
      if (!doc?.value) throw new ValidationError('state: unknown or already used: start "Connect X account" again', [{ field: 'state', message: 'unknown' }]);
      try {
        // Used once, whichever process gets there first.
        await writeSetting(store, key, null, doc.version);
      } catch (e) {
        if (e instanceof ConflictError) throw new ValidationError('state: already used: start "Connect X account" again', [{ field: 'state', message: 'already used' }]);
        throw e;
      }
      if (Date.parse(doc.value.expiresAt) < now().getTime()) throw new ValidationError('state: expired (more than 10 minutes passed): start "Connect X account" again', [{ field: 'state', message: 'expired' }]);
      if (args.error) throw new ValidationError(`error: X did not authorise the app (${args.error.slice(0, 100)})`, [{ field: 'error', message: args.error.slice(0, 100) }]);
      if (!args.code) throw new ValidationError('code: missing from X\'s answer', [{ field: 'code', message: 'missing' }]);
      const ep = await endpoints();
      if (!ep) throw new ValidationError('clientId: the OAuth 2.0 client was removed during the connection', [{ field: 'clientId', message: 'no OAuth 2.0 client' }]);
      const { verifier, redirectUri } = JSON.parse(box.open(doc.value.sealed, key)) as { verifier: string; redirectUri: string };
      let tokens: XOAuth2Tokens;
      try {
        tokens = await exchangeCode(ep, { code: args.code, verifier, redirectUri }, now);
      } catch (e) {
        if (e instanceof XOAuth2Error) throw new HarkError('bad_request', 400, `code: ${e.message}`);
        throw e;
      }
      if (tokens.scopes.length && !tokens.scopes.includes('tweet.write')) throw new ValidationError(`scope: X granted ${tokens.scopes.join(' ')} without tweet.write: replies would be refused`, [{ field: 'scope', message: 'tweet.write missing' }]);
      await saveTokens(sealTokens(tokens, now().toISOString()));
      return { scopes: tokens.scopes };
    },

    disconnect: () => saveTokens(null),

    /** The access token to post with, refreshed first when it is about to expire. */
    accessToken(): Promise<string> {
      refreshing ??= refreshOrReread().finally(() => (refreshing = null));
      return refreshing;
    },
  };
}
export type XAccount = ReturnType<typeof createXAccount>;
