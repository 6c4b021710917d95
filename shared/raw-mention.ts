import { z } from 'zod';
import { PlatformSchema } from './mention.js';
import { truncate } from './text.js';

/** Posts longer than this are cut: no network allows more, and it bounds memory per mention. */
export const MAX_TEXT_LENGTH = 40_000;

const count = z.coerce.number().int().min(0).catch(0);

/**
 * Limits on what a network or a file brings. Identifiers over their limit make
 * the row an error (a cut id would be another id); display text is cut:
 * author names to MAX_AUTHOR_NAME, post text to MAX_TEXT_LENGTH. Nothing
 * unbounded reaches the store, so one hostile row cannot bloat a queue page.
 */
export const MAX_ID_LENGTH = 256;
export const MAX_AUTHOR_ID = 128;
export const MAX_HANDLE = 128;
export const MAX_AUTHOR_NAME = 256;
export const MAX_URL = 2048;
const tooLong = (max: number) => `must be at most ${max} characters`;
const id = (max: number) => z.coerce.string().max(max, tooLong(max));

/**
 * What a connector or an import hands to the pipeline. Lenient on purpose: the
 * normalize stage turns it into a strict NewMention or rejects it with a reason.
 */
export const RawMentionSchema = z.object({
  platform: PlatformSchema,
  externalId: z.coerce.string().trim().min(1, 'id is required').max(MAX_ID_LENGTH, tooLong(MAX_ID_LENGTH)),
  text: z.string().min(1, 'text is required'),
  createdAt: z.union([z.string(), z.number(), z.date()]).optional(),
  url: z.string().max(MAX_URL, tooLong(MAX_URL)).nullish(),
  lang: z.string().max(16).nullish(),
  author: z
    .object({
      id: id(MAX_AUTHOR_ID).nullish(),
      handle: id(MAX_HANDLE).nullish(),
      name: z.string().transform((n) => truncate(n, MAX_AUTHOR_NAME * 2)).nullish(),
      followers: count.optional(),
      verified: z.coerce.boolean().optional(),
      url: z.string().max(MAX_URL, tooLong(MAX_URL)).nullish(),
    })
    .optional(),
  engagement: z
    .object({ likes: count.optional(), reposts: count.optional(), replies: count.optional() })
    .optional(),
  inReplyTo: id(MAX_ID_LENGTH).nullish(),
  conversationId: id(MAX_ID_LENGTH).nullish(),
  brand: z.string().max(128).nullish(),
  query: z.string().max(1024).nullish(),
  demo: z.boolean().optional(),
});
export type RawMention = z.input<typeof RawMentionSchema>;
export type ParsedRawMention = z.output<typeof RawMentionSchema>;
