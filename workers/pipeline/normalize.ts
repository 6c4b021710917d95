import { MAX_TEXT_LENGTH, RawMentionSchema } from '../../shared/raw-mention.js';
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

function toIso(v: string | number | Date | undefined, now: Date): string | null {
  if (v === undefined || v === '') return now.toISOString();
  let d: Date;
  if (v instanceof Date) d = v;
  else if (typeof v === 'number') d = new Date(v < 1e12 ? v * 1000 : v); // seconds or ms since epoch
  else if (/^\d{9,13}$/.test(v)) d = new Date(Number(v) < 1e12 ? Number(v) * 1000 : Number(v));
  else d = new Date(v);
  const t = d.getTime();
  if (Number.isNaN(t)) return null;
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
      rejected.push({ index, message: `createdAt: not a date (${String(r.createdAt).slice(0, 40)})` });
      return;
    }
    const text = decodeEntities(r.text).slice(0, MAX_TEXT_LENGTH).trim();
    if (!text) {
      rejected.push({ index, message: 'text: is empty' });
      return;
    }
    const handle = (r.author?.handle ?? r.author?.id ?? 'unknown').toString().slice(0, 128) || 'unknown';
    ok.push({
      index,
      mention: {
        platform: r.platform,
        externalId: r.externalId,
        url: r.url && /^https?:\/\//i.test(r.url) ? r.url : null,
        text,
        langHint: r.lang ? r.lang.toLowerCase() : null,
        createdAt,
        ingestedAt,
        author: {
          id: r.author?.id ?? null,
          handle,
          name: r.author?.name ?? null,
          followers: r.author?.followers ?? 0,
          verified: r.author?.verified ?? false,
          url: r.author?.url && /^https?:\/\//i.test(r.author.url) ? r.author.url : null,
        },
        engagement: { likes: r.engagement?.likes ?? 0, reposts: r.engagement?.reposts ?? 0, replies: r.engagement?.replies ?? 0 },
        inReplyTo: r.inReplyTo ?? null,
        conversationId: r.conversationId ?? null,
        brand: r.brand ?? null,
        query: r.query ?? null,
        demo: r.demo ?? false,
      },
    });
  });
  return { ok, rejected };
}
