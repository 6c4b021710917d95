import { z } from 'zod';
import { text } from './text.js';
import type { ConnectorHealth } from './connector-ports.js';
import type { BlueskySettings, MastodonSettings } from './bluesky-mastodon.js';

export * from './bluesky-mastodon.js';

/**
 * The networks Hark listens to, their settings (editable by admins in the UI
 * or given in env) and the listening queries (edited by managers). Secrets are
 * write-only: views say whether they are set, never what they are.
 */
export const NETWORKS = ['x', 'reddit', 'bluesky', 'mastodon'] as const;
export type Network = (typeof NETWORKS)[number];
export const NETWORK_NAMES: Record<Network, string> = { x: 'X', reddit: 'Reddit', bluesky: 'Bluesky', mastodon: 'Mastodon' };

export const QUERY_ID = /^[a-z0-9-]{1,40}$/;

export const ListeningQuerySchema = z
  .object({
    id: z.string().regex(QUERY_ID, 'id: lowercase letters, digits or -, at most 40'),
    brand: text({ max: 128, required: 'brand is required' }),
    query: text({ max: 1000, required: 'query is required' }),
    /** Empty: every network the query itself allows (see its `network:` filters). */
    networks: z.array(z.enum(NETWORKS)).max(NETWORKS.length).default([]),
    enabled: z.boolean().default(true),
    /**
     * `own`: the brand listens to itself (its mentions are triaged). `competitor`:
     * a rival watched for share of voice against `competitorOf`, one of the own brands.
     */
    role: z.enum(['own', 'competitor']).default('own'),
    competitorOf: text({ max: 128 }).nullable().default(null),
  })
  .strict();
export type ListeningQuery = z.output<typeof ListeningQuerySchema>;

export interface ListeningQueriesView {
  queries: ListeningQuery[];
  version: number;
  /** `env` until a manager first saves the list here; from then on the saved list wins. */
  source: 'ui' | 'env';
}

/** Checking a query before saving: where it runs and what each network is asked. */
export interface QueryCheck {
  ok: true;
  networks: Network[];
  compiled: Record<Network, { q: string | null; exact: boolean }>;
}

const pollSeconds = z.number().min(5, 'pollSeconds: at least 5').max(86_400);

export const XSettingsSchema = z
  .object({
    enabled: z.boolean(),
    mode: z.enum(['poll', 'stream']),
    pollSeconds,
    brandUserId: z.string().regex(/^\d{1,25}$/, 'brandUserId is the numeric id of the brand account').nullable(),
    brand: text({ max: 128 }).nullable(),
    monthlyReadCap: z.number().int().min(1).nullable(),
  })
  .strict();
export type XSettings = z.output<typeof XSettingsSchema>;
const xSecret = (name: string) => z.string().trim().min(10, `${name} looks too short`).max(2000);
/** The OAuth 1.0a fields of the brand account: all four, or none. */
export const X_OAUTH1_FIELDS = ['apiKey', 'apiSecret', 'accessToken', 'accessSecret'] as const;
/**
 * X's credentials: the app's bearer token reads; replies need the brand
 * account's user context, either its OAuth 1.0a tokens (`X_OAUTH1_FIELDS`)
 * or the OAuth 2.0 client (`clientId`, `clientSecret`) through which an
 * admin connects the account (the user tokens are then kept apart, sealed).
 */
const XCredentialFields = z
  .object({
    bearerToken: xSecret('bearerToken'),
    apiKey: xSecret('apiKey'),
    apiSecret: xSecret('apiSecret'),
    accessToken: xSecret('accessToken'),
    accessSecret: xSecret('accessSecret'),
    clientId: z.string().trim().min(10, 'clientId looks too short').max(200),
    clientSecret: xSecret('clientSecret'),
  })
  .partial()
  .strict();
const completeX = <T extends z.ZodType<Partial<Record<string, string>>>>(schema: T) =>
  schema
    .refine((c) => X_OAUTH1_FIELDS.every((f) => c[f] === undefined) || X_OAUTH1_FIELDS.every((f) => c[f] !== undefined), { message: `give the OAuth 1.0a fields together: ${X_OAUTH1_FIELDS.join(', ')}`, path: ['accessSecret'] })
    .refine((c) => (c.clientId === undefined) === (c.clientSecret === undefined), { message: 'give clientId and clientSecret together', path: ['clientSecret'] })
    .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'give at least one field', path: ['bearerToken'] });
export const XCredentialsSchema = completeX(XCredentialFields);
export type XCredentials = z.output<typeof XCredentialFields>;
/** What an admin sends: the fields to set; the ones left out keep their stored value. */
export const XCredentialsPatchSchema = XCredentialFields;

/** Whether replies on a network can be posted now, for the reply composer (GET /api/networks/replies). */
export interface ReplyAbility {
  canReply: boolean;
  /** How it posts, e.g. `oauth2-user`, `oauth1-user`. */
  via: string | null;
  /** Why not, and what fixes it. */
  reason: string | null;
}
export type ReplyAbilities = Record<string, ReplyAbility>;

/** The brand account connected through OAuth 2.0, as admins see it (never the tokens). */
export interface XAccountConnection {
  connected: boolean;
  /** Whether the OAuth 2.0 client (clientId, clientSecret) is configured, so "Connect X account" can work. */
  canConnect: boolean;
  connectedAt: string | null;
  scopes: string[];
  /** When the access token in use expires (it is refreshed before). */
  expiresAt: string | null;
  problem: string | null;
}

export const RedditSettingsSchema = z
  .object({
    enabled: z.boolean(),
    subreddits: z.array(z.string().regex(/^[A-Za-z0-9_]{2,21}$/, 'subreddits: names like "flights", without r/')).max(50),
    pollSeconds,
    userAgent: z.string().trim().min(5).max(200),
  })
  .strict();
export type RedditSettings = z.output<typeof RedditSettingsSchema>;
export const RedditCredentialsSchema = z
  .object({
    clientId: z.string().trim().min(1, 'clientId is required').max(200),
    clientSecret: z.string().trim().min(1, 'clientSecret is required').max(200),
    username: z.string().trim().min(1).max(100).optional(),
    password: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((c) => (c.username === undefined) === (c.password === undefined), { message: 'give username and password together', path: ['password'] });
export type RedditCredentials = z.output<typeof RedditCredentialsSchema>;

export interface CredentialState {
  set: boolean;
  /** Where the credentials in use come from: entered here (stored encrypted) or the server's environment. */
  source: 'ui' | 'env' | null;
  /** Names of the fields stored, never their values. */
  fields: string[];
  updatedAt: string | null;
  /** Set when stored credentials cannot be opened (e.g. HARK_SECRET_KEY changed). */
  problem: string | null;
}

export type NetworkView =
  | { network: 'x'; settings: XSettings; credentials: CredentialState; version: number; health: ConnectorHealth | null; account: XAccountConnection }
  | { network: 'reddit'; settings: RedditSettings; credentials: CredentialState; version: number; health: ConnectorHealth | null }
  | { network: 'bluesky'; settings: BlueskySettings; credentials: CredentialState; version: number; health: ConnectorHealth | null }
  | { network: 'mastodon'; settings: MastodonSettings; credentials: CredentialState; version: number; health: ConnectorHealth | null };

export interface NetworksView {
  networks: NetworkView[];
  /** False when HARK_SECRET_KEY is not set: credentials can then come from env only. */
  canStoreCredentials: boolean;
}
