import type { RawMention } from '../../shared/raw-mention.js';

/** The logical fields an import can fill, and the column each reads by default. */
export const IMPORT_FIELDS = [
  'id', 'text', 'author', 'author_name', 'author_id', 'author_followers', 'author_verified', 'created_at', 'lang', 'url',
  'likes', 'reposts', 'replies', 'in_reply_to', 'conversation_id', 'brand',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Parses `id=tweet_id,text=body` into a field → column map; errors name the bad part. */
export function parseMapSpec(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) throw new Error(`"${part}" is not field=column`);
    const field = part.slice(0, eq).trim();
    const column = part.slice(eq + 1).trim();
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) throw new Error(`unknown field "${field}" (known: ${IMPORT_FIELDS.join(', ')})`);
    out[field] = column;
  }
  if (Object.keys(out).length === 0) throw new Error('the mapping is empty');
  return out;
}

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : typeof v === 'string' ? v : typeof v === 'object' ? undefined : String(v));
const truthy = (v: unknown) => v === true || (typeof v === 'string' && /^(true|1|yes|y)$/i.test(v.trim())) || v === 1;

/** Reads one record (CSV row as an object, or a JSON line) into a RawMention, or says what is missing. */
export function toRawMention(rec: Record<string, unknown>, map: Record<string, string>, platform: string): RawMention | string {
  const get = (f: ImportField) => rec[map[f] ?? f];
  const id = str(get('id'));
  const text = str(get('text'));
  if (!id) return `missing ${map.id ?? 'id'}`;
  if (!text) return `missing ${map.text ?? 'text'}`;
  const authorValue = get('author');
  // A JSON author may be an object ({handle, followers}) or a handle.
  const authorObj = typeof authorValue === 'object' && authorValue !== null ? (authorValue as Record<string, unknown>) : null;
  const handle = str(authorObj ? (authorObj.handle ?? authorObj.username ?? authorObj.screen_name) : authorValue) ?? str(get('author_id'));
  return {
    platform,
    externalId: id,
    text,
    createdAt: str(get('created_at')),
    lang: str(get('lang')) ?? null,
    url: str(get('url')) ?? null,
    author: {
      handle: handle ?? null,
      id: str(get('author_id')) ?? str(authorObj?.id) ?? null,
      name: str(get('author_name')) ?? str(authorObj?.name) ?? null,
      followers: Number(str(get('author_followers')) ?? str(authorObj?.followers) ?? 0) || 0,
      verified: truthy(get('author_verified') ?? authorObj?.verified),
    },
    engagement: { likes: Number(str(get('likes')) ?? 0) || 0, reposts: Number(str(get('reposts')) ?? 0) || 0, replies: Number(str(get('replies')) ?? 0) || 0 },
    inReplyTo: str(get('in_reply_to')) ?? null,
    conversationId: str(get('conversation_id')) ?? null,
    brand: str(get('brand')) ?? null,
  };
}
