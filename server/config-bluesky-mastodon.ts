import { z } from 'zod';
import { listeningQueries, onOff } from './config-parts.js';
import { mastodonHost, mastodonOrigin, MASTODON_TIMELINES } from '../shared/networks.js';

/**
 * The environment variables of Bluesky and Mastodon (merged into
 * server/config.ts's schema). Every message names its variable.
 */
const url = (name: string, protocols: string[]) =>
  z
    .string()
    .url(`${name} must be a URL`)
    .refine((u) => protocols.includes(new URL(u).protocol), `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);

const instances = z.string().transform((s, ctx) => {
  const out: string[] = [];
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const o = mastodonOrigin(part);
    if (!o) {
      ctx.addIssue({ code: 'custom', message: `MASTODON_INSTANCES: "${part}" is not an instance like mastodon.social or https://mastodon.social` });
      return z.NEVER;
    }
    if (!out.includes(o)) out.push(o);
  }
  return out;
});

/** host=token pairs; a host may be written as its instance address. */
const tokens = z.string().transform((s, ctx) => {
  const out: Record<string, string> = {};
  for (const part of s.split(',').map((x) => x.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const origin = eq > 0 ? mastodonOrigin(part.slice(0, eq)) : null;
    const token = eq > 0 ? part.slice(eq + 1).trim() : '';
    if (!origin || token.length < 10) {
      ctx.addIssue({ code: 'custom', message: 'MASTODON_ACCESS_TOKENS is a comma-separated list of instance=token, like mastodon.social=AbC123…' });
      return z.NEVER;
    }
    out[mastodonHost(origin).toLowerCase()] = token;
  }
  return out;
});

export const blueskyMastodonEnv = {
  BLUESKY_ENABLED: onOff('BLUESKY_ENABLED').optional(),
  BLUESKY_HANDLE: z.string().trim().regex(/^@?[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$|^did:[a-z]+:\S+$/, 'BLUESKY_HANDLE is the brand account, like acme.bsky.social').optional(),
  BLUESKY_APP_PASSWORD: z.string().min(8, 'BLUESKY_APP_PASSWORD looks too short (create an app password in Bluesky: Settings → Privacy and security → App passwords)').optional(),
  BLUESKY_SERVICE: url('BLUESKY_SERVICE', ['https:', 'http:']).default('https://bsky.social'),
  BLUESKY_APPVIEW_URL: url('BLUESKY_APPVIEW_URL', ['https:', 'http:']).default('https://public.api.bsky.app'),
  BLUESKY_JETSTREAM_URL: url('BLUESKY_JETSTREAM_URL', ['wss:', 'ws:']).default('wss://jetstream2.us-east.bsky.network/subscribe'),
  BLUESKY_QUERIES: listeningQueries('BLUESKY_QUERIES').optional(),
  BLUESKY_BACKFILL_PAGES: z.coerce.number('BLUESKY_BACKFILL_PAGES is a number').int('BLUESKY_BACKFILL_PAGES is a whole number').min(0).max(50, 'BLUESKY_BACKFILL_PAGES: at most 50').default(3),
  MASTODON_ENABLED: onOff('MASTODON_ENABLED').optional(),
  MASTODON_INSTANCES: instances.optional(),
  MASTODON_ACCESS_TOKENS: tokens.optional(),
  MASTODON_HASHTAGS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim().replace(/^#/, '')).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\p{L}\p{N}_]{1,100}$/u, 'MASTODON_HASHTAGS: letters, digits or _ (comma-separated, # optional)')).max(50))
    .optional(),
  MASTODON_TIMELINE: z.enum(MASTODON_TIMELINES, 'MASTODON_TIMELINE is public, local or none').default('public'),
  MASTODON_REPLY_INSTANCE: z
    .string()
    .transform((s, ctx) => mastodonOrigin(s) ?? (ctx.addIssue({ code: 'custom', message: 'MASTODON_REPLY_INSTANCE is an instance like mastodon.social' }), z.NEVER))
    .optional(),
  MASTODON_QUERIES: listeningQueries('MASTODON_QUERIES').optional(),
};

type Parsed = z.output<z.ZodObject<typeof blueskyMastodonEnv>>;

/** Checks that span variables; each issue names the variable at fault. */
export function checkBlueskyMastodonEnv(v: Parsed, ctx: z.RefinementCtx<unknown>) {
  if ((v.BLUESKY_HANDLE === undefined) !== (v.BLUESKY_APP_PASSWORD === undefined)) ctx.addIssue({ code: 'custom', path: ['BLUESKY_APP_PASSWORD'], message: 'set BLUESKY_HANDLE and BLUESKY_APP_PASSWORD together' });
  const hosts = new Set((v.MASTODON_INSTANCES ?? []).map((o) => mastodonHost(o).toLowerCase()));
  for (const h of Object.keys(v.MASTODON_ACCESS_TOKENS ?? {})) if (!hosts.has(h)) ctx.addIssue({ code: 'custom', path: ['MASTODON_ACCESS_TOKENS'], message: `MASTODON_ACCESS_TOKENS names ${h}, which is not in MASTODON_INSTANCES` });
  if (v.MASTODON_REPLY_INSTANCE && !hosts.has(mastodonHost(v.MASTODON_REPLY_INSTANCE).toLowerCase())) ctx.addIssue({ code: 'custom', path: ['MASTODON_REPLY_INSTANCE'], message: 'MASTODON_REPLY_INSTANCE must be one of MASTODON_INSTANCES' });
  if (v.MASTODON_REPLY_INSTANCE && !(v.MASTODON_ACCESS_TOKENS ?? {})[mastodonHost(v.MASTODON_REPLY_INSTANCE).toLowerCase()]) ctx.addIssue({ code: 'custom', path: ['MASTODON_REPLY_INSTANCE'], message: 'MASTODON_REPLY_INSTANCE needs its token in MASTODON_ACCESS_TOKENS' });
}

export interface BlueskyConfig {
  /** Listening needs no account; it runs when on (default: on when BLUESKY_HANDLE is set). */
  enabled: boolean;
  credentials: { handle: string; appPassword: string } | null;
  service: string;
  appviewUrl: string;
  jetstreamUrl: string;
  queries: Array<{ id: string; brand: string; query: string }>;
  backfillPages: number;
}
export interface MastodonConfig {
  enabled: boolean;
  instances: string[];
  tokens: Record<string, string>;
  hashtags: string[];
  timeline: 'public' | 'local' | 'none';
  replyInstance: string | null;
  queries: Array<{ id: string; brand: string; query: string }>;
}

export function blueskyMastodonConfig(v: Parsed): { bluesky: BlueskyConfig; mastodon: MastodonConfig } {
  return {
    bluesky: {
      enabled: v.BLUESKY_ENABLED ?? v.BLUESKY_HANDLE !== undefined,
      credentials: v.BLUESKY_HANDLE && v.BLUESKY_APP_PASSWORD ? { handle: v.BLUESKY_HANDLE.replace(/^@/, ''), appPassword: v.BLUESKY_APP_PASSWORD } : null,
      service: v.BLUESKY_SERVICE.replace(/\/+$/, ''),
      appviewUrl: v.BLUESKY_APPVIEW_URL.replace(/\/+$/, ''),
      jetstreamUrl: v.BLUESKY_JETSTREAM_URL,
      queries: v.BLUESKY_QUERIES ?? [],
      backfillPages: v.BLUESKY_BACKFILL_PAGES,
    },
    mastodon: {
      enabled: v.MASTODON_ENABLED ?? (v.MASTODON_INSTANCES ?? []).length > 0,
      instances: v.MASTODON_INSTANCES ?? [],
      tokens: v.MASTODON_ACCESS_TOKENS ?? {},
      hashtags: v.MASTODON_HASHTAGS ?? [],
      timeline: v.MASTODON_TIMELINE,
      replyInstance: v.MASTODON_REPLY_INSTANCE ?? null,
      queries: v.MASTODON_QUERIES ?? [],
    },
  };
}
