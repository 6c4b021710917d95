import { brandRolesOf, type BrandRoles } from '../../shared/brand-roles.js';
import { ValidationError } from '../../shared/errors.js';
import {
  RedditCredentialsSchema,
  XCredentialsSchema,
  type CredentialState,
  type ListeningQueriesView,
  type ListeningQuery,
  type Network,
  type RedditCredentials,
  type RedditSettings,
  type XCredentials,
  type XSettings,
} from '../../shared/networks.js';
import type { Store } from '../../shared/store.js';
import type { Config } from '../config.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { networkSecretKey as secretKey, networkSettingsKey as settingsKey, readSetting, writeSetting, type SettingInput, type SettingValue } from '../settings/registry.js';
import { createXAccount } from './x-account.js';
import type { BlueskyCredentials, BlueskySettings, MastodonCredentials, MastodonSettings } from '../../shared/networks.js';
import { blueskyMastodonCredentialSchemas, blueskyMastodonEnvCredentials, blueskyMastodonEnvQueries, blueskyMastodonEnvSettings, credentialFields, mergeMastodonTokens } from './network-config-bluesky-mastodon.js';

export const QUERIES_KEY = 'listening.queries';

/** A sealed credentials document (schema: the settings registry). */
type SealedDoc = NonNullable<SettingValue<ReturnType<typeof secretKey>>>;
type SettingsOf<N extends Network> = N extends 'x' ? XSettings : N extends 'reddit' ? RedditSettings : N extends 'bluesky' ? BlueskySettings : MastodonSettings;
type CredentialsOf<N extends Network> = N extends 'x' ? XCredentials : N extends 'reddit' ? RedditCredentials : N extends 'bluesky' ? BlueskyCredentials : MastodonCredentials;

/**
 * The effective network configuration: what admins saved in the UI wins over
 * the environment, field by field for settings and as a whole for
 * credentials. Credentials from the UI are sealed with the secret box before
 * they touch the store and opened only to build a connector.
 */
export function createNetworkConfig(deps: { store: Store; config: Readonly<Config>; box: SecretBox; now: () => Date }) {
  const { store, config, box } = deps;

  function requireBox() {
    if (!box.available) throw new ValidationError('credentials: set HARK_SECRET_KEY on the server to store credentials entered here (they are kept encrypted with it)', [{ field: 'credentials', message: 'HARK_SECRET_KEY is not set' }]);
  }

  /**
   * X's fields are entered in groups (the bearer token, the OAuth 1.0a tokens,
   * the OAuth 2.0 client): fields left out keep what was stored here, and the
   * result must be complete.
   */
  async function mergeX(given: XCredentials): Promise<XCredentials> {
    // Only what was entered here is kept with the new fields: env values never get copied into the store.
    const doc = (await readSetting(store, secretKey('x')))?.value ?? null;
    let stored: XCredentials = {};
    try {
      if (doc) stored = XCredentialsSchema.parse(JSON.parse(box.open(doc.sealed, secretKey('x'))));
    } catch {
      // unreadable (another HARK_SECRET_KEY): what is entered now replaces it
    }
    const merged = { ...stored, ...given };
    const r = XCredentialsSchema.safeParse(merged);
    if (!r.success) {
      const i = r.error.issues[0]!;
      const field = `credentials.${i.path.join('.')}`;
      throw new ValidationError(`${field}: ${i.message}`, [{ field, message: i.message }]);
    }
    return r.data;
  }

  // Env may poll faster than the UI's 5 s floor (tests, private API mirrors).
  function envSettings<N extends Network>(n: N): SettingsOf<N> {
    if (n === 'bluesky' || n === 'mastodon') return blueskyMastodonEnvSettings(config)[n as 'bluesky' | 'mastodon'] as SettingsOf<N>;
    if (n === 'x') {
      const x = config.x;
      return { enabled: true, mode: x.mode, pollSeconds: x.pollMs / 1000, brandUserId: x.brandUserId, brand: x.brand, monthlyReadCap: x.monthlyReadCap } as SettingsOf<N>;
    }
    const r = config.reddit;
    return { enabled: true, subreddits: r.subreddits, pollSeconds: r.pollMs / 1000, userAgent: r.userAgent } as SettingsOf<N>;
  }

  function envCredentials<N extends Network>(n: N): CredentialsOf<N> | null {
    if (n === 'bluesky' || n === 'mastodon') return blueskyMastodonEnvCredentials(config)[n as 'bluesky' | 'mastodon'] as CredentialsOf<N> | null;
    if (n === 'x') {
      const x = config.x;
      const c: XCredentials = { ...(x.bearerToken ? { bearerToken: x.bearerToken } : {}), ...(x.oauth1 ?? {}), ...(x.oauth2Client ?? {}) };
      return (Object.keys(c).length ? c : null) as CredentialsOf<N> | null;
    }
    return (config.reddit.auth ? { ...config.reddit.auth } : null) as CredentialsOf<N> | null;
  }

  /** Env queries become one list: X_QUERIES for X, REDDIT_QUERIES for Reddit (an id used by both gets a -reddit suffix). */
  function envQueries(): ListeningQuery[] {
    // Env queries are the brand's own; competitors are marked on the Settings page.
    const own = { enabled: true, role: 'own', competitorOf: null } as const;
    const out: ListeningQuery[] = config.x.queries.map((q) => ({ ...q, networks: ['x'], ...own }));
    for (const q of config.reddit.queries) {
      const same = out.find((o) => o.id === q.id);
      if (same && same.brand === q.brand && same.query === q.query) same.networks = ['x', 'reddit'];
      else out.push({ ...q, id: same ? `${q.id}-reddit`.slice(0, 40) : q.id, networks: ['reddit'], ...own });
    }
    // BLUESKY_QUERIES and MASTODON_QUERIES join the same way.
    for (const { network, queries } of blueskyMastodonEnvQueries(config)) {
      for (const q of queries) {
        const same = out.find((o) => o.id === q.id);
        if (same && same.brand === q.brand && same.query === q.query) same.networks = [...same.networks, network];
        else out.push({ ...q, id: same ? `${q.id}-${network}`.slice(0, 40) : q.id, networks: [network], ...own });
      }
    }
    return out;
  }

  const self = {
    async queries(): Promise<ListeningQueriesView> {
      const saved = await readSetting(store, QUERIES_KEY);
      if (saved) return { queries: saved.value, version: saved.version, source: 'ui' };
      return { queries: envQueries(), version: 0, source: 'env' };
    },
    /** The brands Hark listens for (every listening query's, and the X brand account's): their names never carry sentiment. */
    async brands(): Promise<string[]> {
      const { queries } = await self.queries();
      const x = (await self.settings('x')).settings;
      return [...new Set([...queries.map((q) => q.brand), ...(x.brand ? [x.brand] : [])])];
    },
    /** Own or competitor, per brand, from the listening queries (shared/brand-roles.ts). */
    async brandRoles(): Promise<BrandRoles> {
      return brandRolesOf((await self.queries()).queries);
    },
    async saveQueries(queries: ListeningQuery[], expectedVersion: number): Promise<ListeningQueriesView> {
      const saved = await writeSetting(store, QUERIES_KEY, queries, expectedVersion);
      return { queries: saved.value, version: saved.version, source: 'ui' };
    },

    async settings<N extends Network>(n: N): Promise<{ settings: SettingsOf<N>; version: number }> {
      const saved = await readSetting(store, settingsKey(n));
      // The registry checked the document against this network's schema (the key names the network).
      return { settings: { ...envSettings(n), ...((saved?.value ?? {}) as Partial<SettingsOf<N>>) }, version: saved?.version ?? 0 };
    },
    async saveSettings<N extends Network>(n: N, settings: SettingsOf<N>, expectedVersion: number) {
      return writeSetting(store, settingsKey(n), settings as SettingInput<ReturnType<typeof settingsKey>>, expectedVersion);
    },
    /**
     * One admin change of a network: settings, credentials or both. Every
     * change moves the network's version (credentials too, by re-saving the
     * settings unchanged), so a change made from a stale view is a conflict.
     */
    async saveUpdate<N extends Network>(n: N, update: { settings?: SettingsOf<N>; credentials?: CredentialsOf<N> | null }, expectedVersion: number): Promise<void> {
      if (update.credentials) requireBox();
      let credentials = update.credentials;
      if (n === 'x' && credentials) credentials = (await mergeX(credentials as XCredentials)) as CredentialsOf<N>;
      const saved = await readSetting(store, settingsKey(n));
      await writeSetting(store, settingsKey(n), (update.settings ?? saved?.value ?? {}) as SettingInput<ReturnType<typeof settingsKey>>, expectedVersion);
      if (credentials !== undefined) await self.saveCredentials(n, credentials);
    },

    /** The credentials to run with, and what the UI may know about them. */
    async credentials<N extends Network>(n: N): Promise<{ credentials: CredentialsOf<N> | null; state: CredentialState }> {
      const doc = (await readSetting(store, secretKey(n)))?.value ?? null;
      const fromEnv = envCredentials(n);
      const envState: CredentialState = { set: fromEnv !== null, source: fromEnv ? 'env' : null, fields: fromEnv ? credentialFields(fromEnv) : [], updatedAt: null, problem: null };
      if (!doc) return { credentials: fromEnv, state: envState };
      const stored: CredentialState = { set: true, source: 'ui', fields: doc.fields, updatedAt: doc.updatedAt, problem: null };
      if (!box.available) return { credentials: fromEnv, state: { ...stored, set: fromEnv !== null, problem: 'Stored credentials need HARK_SECRET_KEY, which is not set' } };
      try {
        const schema = n === 'x' ? XCredentialsSchema : n === 'reddit' ? RedditCredentialsSchema : blueskyMastodonCredentialSchemas[n as 'bluesky' | 'mastodon'];
        const opened = schema.parse(JSON.parse(box.open(doc.sealed, secretKey(n)))) as CredentialsOf<N>;
        // X's credentials come in groups (bearer token, OAuth 1.0a, OAuth 2.0 client): a group entered here wins over env, the others still apply.
        return { credentials: (n === 'x' ? { ...(fromEnv ?? {}), ...opened } : opened) as CredentialsOf<N>, state: stored };
      } catch {
        return { credentials: fromEnv, state: { ...stored, set: fromEnv !== null, problem: 'Stored credentials cannot be opened with this HARK_SECRET_KEY: enter them again' } };
      }
    },
    /** `null` removes the credentials entered here (env ones, if any, apply again). */
    async saveCredentials<N extends Network>(n: N, credentials: CredentialsOf<N> | null): Promise<void> {
      if (credentials) requireBox();
      const key = secretKey(n);
      const cur = await readSetting(store, key);
      if (n === 'mastodon' && credentials && cur?.value) credentials = mergeMastodonTokens(credentials as MastodonCredentials, () => JSON.parse(box.open(cur.value!.sealed, key)) as unknown) as CredentialsOf<N>;
      const value: SealedDoc | null = credentials ? { sealed: box.seal(JSON.stringify(credentials), key), fields: credentialFields(credentials), updatedAt: deps.now().toISOString() } : null;
      await writeSetting(store, key, value, cur?.version ?? 0);
    },
  };
  /** X's OAuth 2.0 connection of the brand account, with the client from X's credentials. */
  const xAccount = createXAccount({
    store,
    box,
    now: deps.now,
    urls: { authorizeUrl: config.x.oauth2.authorizeUrl, tokenUrl: config.x.oauth2.tokenUrl },
    client: async () => {
      const c = (await self.credentials('x')).credentials;
      return c?.clientId && c.clientSecret ? { clientId: c.clientId, clientSecret: c.clientSecret } : null;
    },
  });
  return { ...self, xAccount };
}
export type NetworkConfig = ReturnType<typeof createNetworkConfig>;
