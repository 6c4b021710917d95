import { dateRangeProblem } from '../../shared/dates.js';
import { MAX_AUTHOR_NAME, MAX_TEXT_LENGTH, RawMentionSchema } from '../../shared/raw-mention.js';
import { cleanText, truncate } from '../../shared/text.js';
import type { NewMention } from '../../shared/mention.js';

/** A mention with its facts settled, waiting for scores. */
export type NormalizedMention = Omit<NewMention, 'scores' | 'triage' | 'lang' | 'customerId'> & { langHint: string | null };

export interface Rejected {
  index: number;
  message: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

/** Networks send HTML-escaped text (X does); we store what the author wrote and the UI escapes it on display. */
const decodeEntities = (s: string) => (s.includes('&') ? s.replace(/&(?:amp|lt|gt|quot|apos|#39);/g, (e) => ENTITIES[e] ?? e) : s);

/** Post text keeps its lines; everything else a network gives is one line. */
const body = (s: string) => truncate(cleanText(s, { multiline: true }), MAX_TEXT_LENGTH).trim();
const line = (s: string | null | undefined, max?: number) => {
  if (s === null || s === undefined) return null;
  const cleaned = cleanText(s, { multiline: false }).trim();
  return (max ? truncate(cleaned, max).trim() : cleaned) || null;
};

/** Only plain http(s) links reach the UI: no javascript:, no controls or spaces hidden inside. */
// eslint-disable-next-line no-control-regex
const httpUrl = (u: string | null | undefined) => (u && /^https?:\/\/[^\s\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]+$/i.test(u) ? u : null);

function toIso(v: string | number | Date | undefined, now: Date): string | null {
  if (v === undefined || v === '') return now.toISOString();
  let d: Date;
  if (v instanceof Date) d = v;
  else if (typeof v === 'number') d = new Date(v < 1e12 ? v * 1000 : v); // seconds or ms since epoch
  else if (/^\d{9,13}$/.test(v)) d = new Date(Number(v) < 1e12 ? Number(v) * 1000 : Number(v));
  else d = new Date(v);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString();
}

/**
 * Stage 1: validates raw input and settles defaults. Bad items are rejected
 * with a reason naming the field; the rest of the batch goes on.
 */
export function normalize(batch: readonly unknown[], deps: { now: () => Date }): { ok: Array<{ index: number; mention: NormalizedMention }>; rejected: Rejected[] } {
  const ok: Array<{ index: number; mention: NormalizedMention }> = [];
  const rejected: Rejected[] = [];
  const now = deps.now();
  const ingestedAt = now.toISOString();
  batch.forEach((item, index) => {
    const parsed = RawMentionSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      rejected.push({ index, message: `${issue.path.join('.') || 'mention'}: ${issue.message}` });
      return;
    }
    const r = parsed.data;
    const createdAt = toIso(r.createdAt, now);
    if (!createdAt) {
      rejected.push({ index, message: `createdAt: not a date (${line(String(r.createdAt), 40)})` });
      return;
    }
    const outOfRange = dateRangeProblem(Date.parse(createdAt), now.getTime());
    if (outOfRange) {
      rejected.push({ index, message: `createdAt: ${outOfRange} (${createdAt})` });
      return;
    }
    // Cleaned after decoding, so an escaped control cannot slip through.
    const text = body(decodeEntities(r.text));
    if (!text) {
      rejected.push({ index, message: 'text: is empty' });
      return;
    }
    const handle = line(r.author?.handle) ?? line(r.author?.id) ?? 'unknown';
    ok.push({
      index,
      mention: {
        platform: r.platform,
        externalId: r.externalId,
        url: httpUrl(r.url),
        text,
        langHint: r.lang ? r.lang.toLowerCase() : null,
        createdAt,
        ingestedAt,
        author: {
          id: line(r.author?.id),
          handle,
          name: line(r.author?.name, MAX_AUTHOR_NAME),
          followers: r.author?.followers ?? 0,
          verified: r.author?.verified ?? false,
          url: httpUrl(r.author?.url),
        },
        engagement: { likes: r.engagement?.likes ?? 0, reposts: r.engagement?.reposts ?? 0, replies: r.engagement?.replies ?? 0 },
        inReplyTo: line(r.inReplyTo),
        conversationId: line(r.conversationId),
        brand: line(r.brand),
        query: line(r.query),
        demo: r.demo ?? false,
      },
    });
  });
  return { ok, rejected };
}
