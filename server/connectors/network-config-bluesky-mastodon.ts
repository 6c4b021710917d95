import { BlueskyCredentialsSchema, MastodonCredentialsSchema, type BlueskyCredentials, type BlueskySettings, type MastodonCredentials, type MastodonSettings } from '../../shared/networks.js';
import type { Config } from '../config.js';

/** Bluesky's and Mastodon's part of the effective configuration (see network-config.ts): env defaults and the credential schemas. */
export function blueskyMastodonEnvSettings(config: Readonly<Config>): { bluesky: BlueskySettings; mastodon: MastodonSettings } {
  const m = config.mastodon;
  return {
    bluesky: { enabled: config.bluesky.enabled, backfillPages: config.bluesky.backfillPages },
    mastodon: { enabled: m.enabled, instances: [...m.instances], hashtags: [...m.hashtags], timeline: m.timeline, replyInstance: m.replyInstance },
  };
}

export function blueskyMastodonEnvCredentials(config: Readonly<Config>): { bluesky: BlueskyCredentials | null; mastodon: MastodonCredentials | null } {
  return {
    bluesky: config.bluesky.credentials ? { ...config.bluesky.credentials } : null,
    mastodon: Object.keys(config.mastodon.tokens).length ? { tokens: { ...config.mastodon.tokens } } : null,
  };
}

export const blueskyMastodonCredentialSchemas = { bluesky: BlueskyCredentialsSchema, mastodon: MastodonCredentialsSchema };

/** The env queries of both networks, as [{id, brand, query}] with the network they came from. */
export const blueskyMastodonEnvQueries = (config: Readonly<Config>) => [
  { network: 'bluesky' as const, queries: config.bluesky.queries },
  { network: 'mastodon' as const, queries: config.mastodon.queries },
];

/** Which fields are stored, for the Settings page: Mastodon's tokens are named by instance, never shown. */
export const credentialFields = (credentials: object): string[] =>
  'tokens' in credentials && credentials.tokens && typeof credentials.tokens === 'object' ? Object.keys(credentials.tokens).map((h) => `tokens.${h}`).sort() : Object.keys(credentials).sort();

/**
 * Tokens entered for some instances keep the ones stored for the others
 * (the form shows one field per instance and leaves untouched ones empty).
 * Stored tokens that cannot be opened any more are simply replaced.
 */
export function mergeMastodonTokens(next: MastodonCredentials, openStored: () => unknown): MastodonCredentials {
  try {
    const old = MastodonCredentialsSchema.safeParse(openStored());
    return old.success ? { tokens: { ...old.data.tokens, ...next.tokens } } : next;
  } catch {
    return next;
  }
}
