import { z } from 'zod';
import { isoDateTime, YEAR_MS } from './dates.js';
import { multilineText, text } from './text.js';

const version = z.number({ error: 'version is required (the mention version you saw)' }).int().min(1);
const tag = z.string().trim().toLowerCase().regex(/^[\p{L}\p{N}_-]{1,40}$/u, 'tags are 1-40 letters, digits, _ or -');
/** A snooze looks ahead, but not past a year (shared/dates.ts). */
const futureIso = isoDateTime({ maxAheadMs: YEAR_MS });

export const VersionedSchema = z.object({ version }).strict();
export const AssignSchema = z.object({ version, assignee: z.string().max(64).nullable(), team: z.string().max(64).nullable().optional() }).strict();
export const DismissSchema = z.object({ version, reason: text({ max: 200, required: 'reason is required' }) }).strict();
export const SnoozeSchema = z.object({ version, until: futureIso }).strict();
export const TagsSchema = z.object({ version, add: z.array(tag).max(20).default([]), remove: z.array(tag).max(20).default([]) }).strict();
export const CorrectionSchema = z
  .object({ version, sentiment: z.enum(['negative', 'neutral', 'positive']).optional(), intent: z.enum(['complaint', 'question', 'praise', 'lead', 'spam', 'other']).optional() })
  .strict()
  .refine((v) => v.sentiment || v.intent, { message: 'give sentiment or intent to correct', path: ['sentiment'] });
export const NoteSchema = z.object({ text: multilineText({ max: 10_000, required: 'text is required' }) }).strict();

export const BULK_ACTIONS = ['dismiss', 'watch', 'release', 'assign', 'snooze', 'tag'] as const;
export const BulkSchema = z
  .object({
    ids: z.array(z.string().min(1)).min(1, 'ids needs at least one mention').max(500),
    action: z.enum(BULK_ACTIONS),
    reason: text({ max: 200 }).optional(),
    until: futureIso.optional(),
    assignee: z.string().max(64).nullable().optional(),
    tags: z.array(tag).max(20).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.action === 'dismiss' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reason is required to dismiss' });
    if (v.action === 'snooze' && !v.until) ctx.addIssue({ code: 'custom', path: ['until'], message: 'until is required to snooze' });
    if (v.action === 'assign' && v.assignee === undefined) ctx.addIssue({ code: 'custom', path: ['assignee'], message: 'assignee is required to assign' });
    if (v.action === 'tag' && !v.tags?.length) ctx.addIssue({ code: 'custom', path: ['tags'], message: 'tags is required to tag' });
  });
export type BulkInput = z.infer<typeof BulkSchema>;

export interface BulkResult {
  ok: string[];
  failed: Array<{ id: string; code: string; message: string }>;
}
