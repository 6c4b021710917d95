import { z } from 'zod';
import { isoDateTime } from './dates.js';
import { text } from './text.js';
import type { Mention } from './mention.js';
import { IntentSchema, PlatformSchema, SentimentLabelSchema, TriageStatusSchema } from './mention.js';

const isoDate = isoDateTime();

/** Comma-separated list in a query string, or a repeated parameter. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    if (v === undefined || v === '') return undefined;
    const arr = Array.isArray(v) ? v : String(v).split(',');
    return arr.map((s) => String(s).trim()).filter(Boolean);
  }, z.array(item).min(1).max(20).optional());

export const MENTION_SORTS = ['priority', 'recent'] as const;

/** Filters of the triage queue; the same object drives the HTTP query, the store and the UI. */
export const MentionQuerySchema = z
  .object({
    status: listOf(TriageStatusSchema),
    platform: listOf(PlatformSchema),
    sentiment: listOf(SentimentLabelSchema),
    brand: listOf(z.string().min(1).max(128)),
    lang: listOf(z.string().regex(/^[a-z]{2,3}$|^und$/, 'lang is a language code such as en')),
    intent: listOf(IntentSchema),
    /** Mentions carrying this tag. */
    tag: z.string().trim().min(1).max(64).optional(),
    /** Team id; "none" for mentions no rule routed. */
    team: z.string().max(64).optional(),
    priorityMin: z.coerce.number().int().min(0).max(100).optional(),
    priorityMax: z.coerce.number().int().min(0).max(100).optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
    q: text({ max: 200 }).optional(),
    /** User id of the holder; "none" for unassigned. */
    assignee: z.string().max(64).optional(),
    sort: z.enum(MENTION_SORTS).default('priority'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict()
  .refine((v) => v.priorityMin === undefined || v.priorityMax === undefined || v.priorityMin <= v.priorityMax, {
    message: 'priorityMin must not exceed priorityMax',
    path: ['priorityMin'],
  });
export type MentionQuery = z.output<typeof MentionQuerySchema>;
export type MentionQueryInput = z.input<typeof MentionQuerySchema>;

export interface MentionPage {
  items: Mention[];
  nextCursor: string | null;
  /**
   * Set when a text search stopped at its work bound before filling the page:
   * `items` are the first matches in order, fewer than asked (maybe none), and
   * `nextCursor` continues after the last mention examined, so more may follow.
   */
  partial?: true;
}

/**
 * How much work one text-search page may do, and when each plan is used (see
 * server/store/sqlite/mention-search.ts). Defaults suit 1M+ mentions; tests
 * lower them to reach every plan with a few hundred rows.
 */
export interface SearchBounds {
  /** Fewer matches than this: the matches are sorted directly. */
  rareMatches: number;
  /** At least this many matches: the queue order is walked and each mention checked. */
  commonMatches: number;
  /** Mentions one page may examine in a walk before it answers `partial`. */
  walkBudgetRows: number;
  /** Rows read per step of a walk. */
  walkChunkRows: number;
  /** Server-side time limit of one search query (MongoDB `maxTimeMS`). */
  maxTimeMs: number;
}

export const DEFAULT_SEARCH_BOUNDS: SearchBounds = { rareMatches: 2000, commonMatches: 15_000, walkBudgetRows: 12_000, walkChunkRows: 400, maxTimeMs: 200 };

/**
 * Whether a mention belongs on a queue with these filters. The client uses it
 * to place live mentions; the store's query must agree with it (contract C-LIST-5).
 * Full-text `q` is matched loosely here (every word present), the store uses FTS.
 */
export function matchesQuery(m: Mention, q: MentionQuery): boolean {
  if (q.status && !q.status.includes(m.triage.status)) return false;
  if (q.platform && !q.platform.includes(m.platform)) return false;
  if (q.sentiment && !q.sentiment.includes(m.scores.sentiment.label)) return false;
  if (q.brand && !(m.brand !== null && q.brand.includes(m.brand))) return false;
  if (q.lang && !q.lang.includes(m.lang)) return false;
  if (q.intent && !q.intent.includes(m.scores.intent.label)) return false;
  if (q.tag !== undefined && !m.triage.tags.includes(q.tag)) return false;
  if (q.team !== undefined && (q.team === 'none' ? m.triage.team !== null : m.triage.team !== q.team)) return false;
  if (q.priorityMin !== undefined && m.scores.priority.score < q.priorityMin) return false;
  if (q.priorityMax !== undefined && m.scores.priority.score > q.priorityMax) return false;
  if (q.since && m.createdAt < q.since) return false;
  if (q.until && m.createdAt >= q.until) return false;
  if (q.assignee !== undefined && (q.assignee === 'none' ? m.triage.assignee !== null : m.triage.assignee !== q.assignee)) return false;
  if (q.q) {
    const text = m.text.toLowerCase();
    for (const word of q.q.toLowerCase().split(/\s+/)) if (word && !text.includes(word.replace(/"/g, ''))) return false;
  }
  return true;
}

/**
 * Queue order: by priority (then newest) or newest first; ties broken by id
 * so pagination is stable. Ids compare numerically when both are numeric.
 */
export function compareMentions(sort: MentionQuery['sort']): (a: Mention, b: Mention) => number {
  const byId = (a: Mention, b: Mention) =>
    a.id.length !== b.id.length ? b.id.length - a.id.length : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  const byTime = (a: Mention, b: Mention) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : byId(a, b));
  if (sort === 'recent') return byTime;
  return (a, b) => b.scores.priority.score - a.scores.priority.score || byTime(a, b);
}
