import { z } from 'zod';
import { PlatformSchema } from './mention.js';

/** Posts longer than this are cut: no network allows more, and it bounds memory per mention. */
export const MAX_TEXT_LENGTH = 40_000;

const count = z.coerce.number().int().min(0).catch(0);

/**
 * What a connector or an import hands to the pipeline. Lenient on purpose: the
 * normalize stage turns it into a strict NewMention or rejects it with a reason.
 */
export const RawMentionSchema = z.object({
  platform: PlatformSchema,
  externalId: z.coerce.string().trim().min(1, 'id is required').max(256),
  text: z.string().min(1, 'text is required'),
  createdAt: z.union([z.string(), z.number(), z.date()]).optional(),
  url: z.string().max(2048).nullish(),
  lang: z.string().max(16).nullish(),
  author: z
    .object({
      id: z.coerce.string().nullish(),
      handle: z.coerce.string().nullish(),
      name: z.string().nullish(),
      followers: count.optional(),
      verified: z.coerce.boolean().optional(),
      url: z.string().nullish(),
    })
    .optional(),
  engagement: z
    .object({ likes: count.optional(), reposts: count.optional(), replies: count.optional() })
    .optional(),
  inReplyTo: z.coerce.string().nullish(),
  conversationId: z.coerce.string().nullish(),
  brand: z.string().max(128).nullish(),
  query: z.string().max(1024).nullish(),
  demo: z.boolean().optional(),
});
export type RawMention = z.input<typeof RawMentionSchema>;
export type ParsedRawMention = z.output<typeof RawMentionSchema>;
