import { z } from 'zod';

/**
 * Settings and credentials of Bluesky and Mastodon (kept apart from X's and
 * Reddit's so each network's rules stay in one place). Re-exported by
 * shared/networks.ts.
 */

/** A Bluesky handle (alice.bsky.social, or a custom domain) or a DID. */
const BLUESKY_IDENTIFIER = /^(did:[a-z]+:[A-Za-z0-9._:%-]{1,2000}|@?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)$/;

export const BlueskySettingsSchema = z
  .object({
    /** Jetstream and the public AppView need no account: listening may run without credentials (replies need them). */
    enabled: z.boolean(),
    /** Pages of search (up to 100 posts each) read per query to fill the gap after a start or a dropped connection. */
    backfillPages: z.number().int().min(0, 'backfillPages: 0 or more').max(50, 'backfillPages: at most 50'),
  })
  .strict();
export type BlueskySettings = z.output<typeof BlueskySettingsSchema>;

export const BlueskyCredentialsSchema = z
  .object({
    handle: z.string().trim().regex(BLUESKY_IDENTIFIER, 'handle: the brand account, like acme.bsky.social').transform((h) => h.replace(/^@/, '')),
    /** An app password (Settings → Privacy and security → App passwords), never the account's own password. */
    appPassword: z.string().trim().min(8, 'appPassword looks too short').max(200),
  })
  .strict();
export type BlueskyCredentials = z.output<typeof BlueskyCredentialsSchema>;

/** An instance as its origin, https://mastodon.social; a bare host is taken as https. */
export const mastodonOrigin = (s: string): string | null => {
  const raw = s.trim().replace(/\/+$/, '');
  if (!raw) return null;
  try {
    const u = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`);
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.pathname !== '/' || u.search || u.hash || u.username) return null;
    return u.origin;
  } catch {
    return null;
  }
};
export const mastodonHost = (origin: string) => new URL(origin).host;

const instance = z.string().transform((s, ctx) => {
  const o = mastodonOrigin(s);
  if (!o) {
    ctx.addIssue({ code: 'custom', message: `instances: "${s}" is not an instance address like mastodon.social or https://mastodon.social` });
    return z.NEVER;
  }
  return o;
});

export const MASTODON_TIMELINES = ['public', 'local', 'none'] as const;

export const MastodonSettingsSchema = z
  .object({
    enabled: z.boolean(),
    instances: z.array(instance).max(20, 'instances: at most 20'),
    /** Hashtags streamed (and backfilled) on every instance, without #. */
    hashtags: z.array(z.string().regex(/^[\p{L}\p{N}_]{1,100}$/u, 'hashtags: letters, digits or _, without #')).max(50),
    /** `public`: the federated timeline; `local`: the instance's own posts; `none`: hashtags only. */
    timeline: z.enum(MASTODON_TIMELINES, 'timeline is public, local or none'),
    /** The instance whose account posts replies (one with an access token); null: the first with a token. */
    replyInstance: instance.nullable(),
  })
  .strict();
export type MastodonSettings = z.output<typeof MastodonSettingsSchema>;

export const MastodonCredentialsSchema = z
  .object({
    /** Access token per instance host (scopes read and write:statuses). */
    tokens: z
      .record(
        z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, 'tokens: keys are instance hosts, like mastodon.social'),
        z.string().trim().min(10, 'tokens: an access token looks longer').max(500),
      )
      .refine((t) => Object.keys(t).length > 0, 'tokens: give at least one instance token')
      .transform((t) => Object.fromEntries(Object.entries(t).map(([h, v]) => [h.toLowerCase(), v]))),
  })
  .strict();
export type MastodonCredentials = z.output<typeof MastodonCredentialsSchema>;
