import type { mastodon } from 'masto';
import type { RawMention } from '../../shared/raw-mention.js';

/** A status as masto returns it (camelCase); the streaming payloads are converted to the same shape. */
export type MastoStatus = mastodon.v1.Status;

/** Mastodon's JSON is snake_case; masto turns it into camelCase, and stream payloads we parse ourselves get the same. */
export function camelize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelize);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), camelize(x)]));
  return v;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Status content is HTML: paragraphs and line breaks become newlines, tags go, entities are decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .trim();
}

/** user@instance for every account (local accounts' acct lacks the instance). */
export const fullAcct = (acct: string, instanceHost: string) => (acct.includes('@') ? acct : `${acct}@${instanceHost}`).toLowerCase();

export const statusText = (s: MastoStatus) => [s.spoilerText?.trim(), htmlToText(s.content ?? '')].filter(Boolean).join('\n\n');

/** What the listening queries are matched against. */
export function matchable(s: MastoStatus, instanceHost: string) {
  return {
    text: statusText(s),
    platform: 'mastodon',
    lang: s.language ? s.language.slice(0, 2).toLowerCase() : null,
    authorHandle: fullAcct(s.account.acct, instanceHost),
    toHandles: (s.mentions ?? []).flatMap((m) => [fullAcct(m.acct, instanceHost), m.username.toLowerCase()]),
  };
}

/**
 * One status as a raw mention. The externalId is the status's ActivityPub
 * URI, the same on every instance that sees it (ids are per instance), so a
 * post reached through two instances is one mention.
 */
export function statusToMention(s: MastoStatus, instanceHost: string, extra: { brand: string; query: string }): RawMention {
  const handle = fullAcct(s.account.acct, instanceHost);
  return {
    platform: 'mastodon',
    externalId: s.uri,
    text: statusText(s),
    createdAt: s.createdAt,
    lang: s.language ? s.language.slice(0, 2).toLowerCase() : null,
    url: s.url ?? s.uri,
    author: {
      id: s.account.url || handle,
      handle,
      name: s.account.displayName?.trim() || null,
      followers: s.account.followersCount ?? 0,
      verified: false,
      url: s.account.url || null,
    },
    engagement: { likes: s.favouritesCount ?? 0, reposts: s.reblogsCount ?? 0, replies: s.repliesCount ?? 0 },
    inReplyTo: null,
    conversationId: null,
    brand: extra.brand,
    query: extra.query,
  };
}

/** Mastodon ids are per-instance numbers as strings (snowflakes): longer is newer, then by text. */
export const newerStatusId = (a: string, b: string | null | undefined) => !b || a.length > b.length || (a.length === b.length && a > b);
