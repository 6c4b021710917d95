import { z } from 'zod';
import type { Author, Mention } from './mention.js';

export type RedactionReason = 'erasure' | 'retention';

/**
 * What an erased author becomes. The brackets make it a handle no network
 * allows, so it never matches a real person's identity or history.
 */
export const ERASED_AUTHOR: Author = { id: null, handle: '[erased]', name: null, followers: 0, verified: false, url: null };
export const ERASED_CUSTOMER_NAME = 'Erased customer';

/** What a redacted mention keeps: its scores (less the intent cues, which quote the text), triage and counts; never its text, author or link. Both store adapters write exactly this. */
export const redactedMention = (m: Mention, at: string, reason: RedactionReason): Mention => ({
  ...m,
  text: '',
  author: ERASED_AUTHOR,
  url: null,
  scores: { ...m.scores, intent: { ...m.scores.intent, cues: [] } },
  redacted: { at, reason },
});

/** How long raw mention text and author data are kept; null keeps them until erased. */
export const RetentionSchema = z
  .object({
    mentionDays: z.number().int().min(1, 'mentionDays must be at least 1').max(3650, 'mentionDays must be at most 3650 (ten years)').nullable(),
  })
  .strict();
export type Retention = z.infer<typeof RetentionSchema>;
export const RETENTION_KEY = 'privacy.retention';
export const DEFAULT_RETENTION: Retention = { mentionDays: null };
export const PutRetentionSchema = RetentionSchema.extend({ version: z.number().int().min(0) }).strict();

/** The erase request names the customer, so a slip of the mouse cannot erase someone. */
export const EraseCustomerSchema = z.object({ confirmName: z.string().max(400) }).strict();

export interface ErasureCounts {
  mentions: number;
  replies: number;
  cases: number;
  notes: number;
}
