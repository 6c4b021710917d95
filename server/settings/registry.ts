import { z } from 'zod';
import { CaseTaxonomySchema } from '../../shared/case.js';
import type { ConnectorHealth } from '../../shared/connector-ports.js';
import { HarkError, ValidationError } from '../../shared/errors.js';
import { BlueskySettingsSchema, ListeningQuerySchema, MastodonSettingsSchema, RedditSettingsSchema, XSettingsSchema, type Network } from '../../shared/networks.js';
import { RETENTION_KEY, RetentionSchema } from '../../shared/privacy.js';
import { RoutingRuleSchema, TeamSchema } from '../../shared/routing.js';
import { SlaPolicySchema } from '../../shared/sla.js';
import { EEX_WEIGHTS_KEY, EexWeightsSchema } from '../../shared/reports.js';
import type { Store } from '../../shared/store.js';
import { WebhookSchema } from '../../shared/webhook.js';

/**
 * Every settings document Hark keeps, by key (or key prefix), with its schema.
 * The store's settings port holds untyped JSON; this is the only way the rest
 * of the server reads and writes it, so a document is checked both ways: a
 * write that does not fit is refused, and a stored document that no longer
 * fits (hand-edited, written by an older version) is reported with its key
 * instead of being cast into a type it does not have.
 */

/** A credential or token sealed with the secret box; null once removed. */
const SealedDoc = z.object({ sealed: z.string(), fields: z.array(z.string()), updatedAt: z.string() }).strict().nullable();

const iso = z.string();
const ConnectorHealthSchema: z.ZodType<ConnectorHealth> = z
  .object({
    connectorId: z.string(),
    platform: z.string(),
    state: z.enum(['starting', 'ok', 'degraded', 'rate_limited', 'error', 'stopped']),
    lastSuccessAt: iso.nullable(),
    lastErrorAt: iso.nullable(),
    lastError: z.string().nullable(),
    // JSON keeps a non-finite lag as null; say so on write rather than refuse the whole report.
    lagMs: z.preprocess((v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), z.number().nullable()),
    rateLimit: z.object({ remaining: z.number().nullable(), resetAt: iso.nullable() }).nullable(),
    budget: z.object({ used: z.number(), cap: z.number(), periodEnd: iso }).nullable(),
    stream: z.object({ connected: z.boolean(), reconnects: z.number(), lastConnectedAt: iso.nullable() }).nullable(),
    fetched: z.number(),
    errors: z.number(),
    replies: z.object({ authorised: z.boolean(), via: z.string().nullable(), problem: z.string().nullable() }).optional(),
  });

/** Several connectors processes share it: each writes the items of the connectors it runs, and when. */
const ConnectorHealthDoc = z.object({ at: iso, items: z.array(ConnectorHealthSchema), reportedAt: z.record(z.string(), iso).optional() });

/** The brand's X account tokens (OAuth 2.0 user context), sealed; `refreshingUntil` is a refresh claim across processes. */
const XTokensDoc = z
  .object({ sealed: z.string(), connectedAt: iso, expiresAt: iso, scopes: z.array(z.string()), refreshingUntil: iso.nullable().optional() })
  .nullable();

/** A "Connect X account" flow waiting for X's answer: single use (null once used), expiring. */
const XPendingDoc = z.object({ sealed: z.string(), expiresAt: iso }).nullable();

/** A learned classifier (workers/nlp/model.ts SavedModel); the model class checks its labels on load. */
const SavedModelDoc = z.object({
  kind: z.enum(['hark-sentiment-lr', 'hark-intent-lr']),
  version: z.literal(1),
  dims: z.number().int().positive(),
  labels: z.array(z.string()),
  examples: z.number(),
  bias: z.array(z.number()),
  weights: z.record(z.string(), z.array(z.number())),
});

const KEYS = {
  teams: z.array(TeamSchema),
  'routing.rules': z.array(RoutingRuleSchema),
  'sla.policy': SlaPolicySchema,
  'cases.taxonomy': CaseTaxonomySchema,
  webhooks: z.array(WebhookSchema),
  [RETENTION_KEY]: RetentionSchema,
  'listening.queries': z.array(ListeningQuerySchema),
  // What admins saved for a network; env fills the fields left out.
  'network.x': XSettingsSchema.partial(),
  'network.reddit': RedditSettingsSchema.partial(),
  'network.bluesky': BlueskySettingsSchema.partial(),
  'network.mastodon': MastodonSettingsSchema.partial(),
  'secret.network.x': SealedDoc,
  'secret.network.reddit': SealedDoc,
  'secret.network.bluesky': SealedDoc,
  'secret.network.mastodon': SealedDoc,
  'secret.network.x.oauth2': XTokensDoc,
  'connectors.health': ConnectorHealthDoc,
  [EEX_WEIGHTS_KEY]: EexWeightsSchema,
  /** The demo's one-off seeding of rows (saved replies) was claimed. */
  'demo.seeded': z.object({ replies: z.boolean() }).strict(),
} as const satisfies Record<string, z.ZodType>;

/** Families of keys: the rest of the key is an id (a hashed OAuth state, a connector's cursor name, a model's kind and brand). */
const PREFIXES = {
  'oauth.x.pending.': XPendingDoc,
  'cursor.': z.string(),
  'model.': SavedModelDoc,
} as const satisfies Record<string, z.ZodType>;

type Keys = typeof KEYS;
type Prefixes = typeof PREFIXES;
export type SettingPrefix = keyof Prefixes;
export type SettingKey = keyof Keys | `${SettingPrefix}${string}`;
type SchemaOf<K extends SettingKey> = K extends keyof Keys ? Keys[K] : K extends `oauth.x.pending.${string}` ? Prefixes['oauth.x.pending.'] : K extends `cursor.${string}` ? Prefixes['cursor.'] : Prefixes['model.'];
/** What a key holds once checked; `SettingInput` what may be written (before defaults apply). */
export type SettingValue<K extends SettingKey> = z.output<SchemaOf<K>>;
export type SettingInput<K extends SettingKey> = z.input<SchemaOf<K>>;

export const networkSettingsKey = (n: Network) => `network.${n}` as const;
/** Also the AES-GCM associated data, so a sealed value only opens under its own name. */
export const networkSecretKey = (n: Network) => `secret.network.${n}` as const;

/** The schema of a key, or a refusal naming it: nothing is read or written under a key Hark does not know. */
export function schemaFor(key: string): z.ZodType {
  if (Object.hasOwn(KEYS, key)) return KEYS[key as keyof Keys];
  const prefix = (Object.keys(PREFIXES) as SettingPrefix[]).find((p) => key.startsWith(p) && key.length > p.length);
  if (prefix) return PREFIXES[prefix];
  throw new ValidationError(`settings key "${key}" is not one Hark keeps`, [{ field: 'key', message: `unknown settings key ${key}` }]);
}

const firstIssue = (e: z.ZodError) => {
  const i = e.issues[0]!;
  return { field: i.path.join('.'), message: i.message };
};

/** A stored document that no longer fits its schema: an operator must look at it, so it is named, never cast. */
export class SettingsDocumentError extends HarkError {
  constructor(
    readonly key: string,
    /** The stored version, so a corrected document can replace it with compare-and-set. */
    readonly version: number,
    issue: { field: string; message: string },
  ) {
    super('internal', 500, `Stored settings "${key}" are not valid${issue.field ? ` at ${issue.field}` : ''}: ${issue.message}`, { key, version, ...issue });
    this.name = 'SettingsDocumentError';
  }
}

export async function readSetting<K extends SettingKey>(store: Pick<Store, 'settings'>, key: K): Promise<{ value: SettingValue<K>; version: number } | null> {
  const schema = schemaFor(key);
  const doc = await store.settings.get<unknown>({ key });
  if (!doc) return null;
  const r = schema.safeParse(doc.value);
  if (!r.success) throw new SettingsDocumentError(key, doc.version, firstIssue(r.error));
  return { value: r.data as SettingValue<K>, version: doc.version };
}

/**
 * For a writer about to replace a document: its current value and version,
 * where a document that fails its schema reads as no value (with its version),
 * so the fix for a broken document (saving a good one) is never blocked by it.
 */
export async function readForReplace<K extends SettingKey>(store: Pick<Store, 'settings'>, key: K): Promise<{ value: SettingValue<K> | null; version: number }> {
  try {
    return (await readSetting(store, key)) ?? { value: null, version: 0 };
  } catch (e) {
    if (e instanceof SettingsDocumentError) return { value: null, version: e.version };
    throw e;
  }
}

/** Compare-and-set (`expectedVersion` 0: must not exist yet) of a value checked against the key's schema; what is stored is the checked value. */
export async function writeSetting<K extends SettingKey>(store: Pick<Store, 'settings'>, key: K, value: SettingInput<K>, expectedVersion: number): Promise<{ value: SettingValue<K>; version: number }> {
  const r = schemaFor(key).safeParse(value);
  if (!r.success) {
    const i = firstIssue(r.error);
    const field = i.field ? `${key}.${i.field}` : key;
    throw new ValidationError(`${field}: ${i.message}`, [{ field, message: i.message }]);
  }
  const saved = await store.settings.set({ key, value: r.data, expectedVersion });
  return { value: saved.value as SettingValue<K>, version: saved.version };
}

/** The keys of one family, e.g. every learned model or every pending OAuth flow. */
export async function settingKeys<P extends SettingPrefix>(store: Pick<Store, 'settings'>, prefix: P): Promise<`${P}${string}`[]> {
  return (await store.settings.keys({ prefix })).filter((k): k is `${P}${string}` => k.length > prefix.length);
}
