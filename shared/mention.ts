import { z } from 'zod';

/** A network's short lowercase name: x, reddit, simulator, or any imported source. */
export const PlatformSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'platform must be 1-32 lowercase letters, digits, - or _');
export type Platform = z.infer<typeof PlatformSchema>;

export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;
export const SentimentLabelSchema = z.enum(SENTIMENT_LABELS);
export type SentimentLabel = z.infer<typeof SentimentLabelSchema>;

export const INTENTS = ['complaint', 'question', 'praise', 'lead', 'spam', 'other'] as const;
export const IntentSchema = z.enum(INTENTS);
export type Intent = z.infer<typeof IntentSchema>;

export const ACTIONS = ['escalate', 'respond', 'watch', 'dismiss'] as const;
export const ActionSchema = z.enum(ACTIONS);
export type Action = z.infer<typeof ActionSchema>;

export const TRIAGE_STATUSES = ['new', 'claimed', 'responded', 'escalated', 'watching', 'snoozed', 'dismissed'] as const;
export const TriageStatusSchema = z.enum(TRIAGE_STATUSES);
export type TriageStatus = z.infer<typeof TriageStatusSchema>;

export const AuthorSchema = z.object({
  id: z.string().max(128).nullable(),
  handle: z.string().min(1).max(128),
  name: z.string().max(256).nullable(),
  followers: z.number().int().min(0),
  verified: z.boolean(),
  url: z.string().max(2048).nullable(),
});
export type Author = z.infer<typeof AuthorSchema>;

export const EngagementSchema = z.object({
  likes: z.number().int().min(0),
  reposts: z.number().int().min(0),
  replies: z.number().int().min(0),
});
export type Engagement = z.infer<typeof EngagementSchema>;

export const SentimentScoreSchema = z.object({
  label: SentimentLabelSchema,
  /** -1 (most negative) .. 1 (most positive). */
  score: z.number().min(-1).max(1),
  confidence: z.number().min(0).max(1),
  method: z.string(),
});
export type SentimentScore = z.infer<typeof SentimentScoreSchema>;

export const InfluenceScoreSchema = z.object({
  score: z.number().min(0).max(100),
  parts: z.object({ followers: z.number(), verified: z.number(), engagement: z.number() }),
});
export type InfluenceScore = z.infer<typeof InfluenceScoreSchema>;

export const IntentScoreSchema = z.object({
  label: IntentSchema,
  confidence: z.number().min(0).max(1),
  /** The words or patterns that decided it, shown to agents. */
  cues: z.array(z.string()),
});
export type IntentScore = z.infer<typeof IntentScoreSchema>;

export const PriorityScoreSchema = z.object({
  score: z.number().int().min(0).max(100),
  action: ActionSchema,
  reasons: z.array(z.string()),
});
export type PriorityScore = z.infer<typeof PriorityScoreSchema>;

export const ScoresSchema = z.object({
  sentiment: SentimentScoreSchema,
  influence: InfluenceScoreSchema,
  intent: IntentScoreSchema,
  priority: PriorityScoreSchema,
  /** Risk words (legal, safety, security) that force escalation. */
  risks: z.array(z.string()),
});
export type Scores = z.infer<typeof ScoresSchema>;

export const TriageSchema = z.object({
  status: TriageStatusSchema,
  /** User id of the agent holding the mention. */
  assignee: z.string().nullable(),
  team: z.string().nullable(),
  slaDueAt: z.string().nullable(),
  recommendation: ActionSchema,
  tags: z.array(z.string()).default([]),
  snoozedUntil: z.string().nullable().default(null),
  dismissReason: z.string().nullable().default(null),
  claimedAt: z.string().nullable().default(null),
  firstResponseAt: z.string().nullable().default(null),
});
export type Triage = z.infer<typeof TriageSchema>;

/** A mention after normalization and scoring, before the store gives it an id. */
export const NewMentionSchema = z.object({
  platform: PlatformSchema,
  externalId: z.string().min(1).max(256),
  url: z.string().max(2048).nullable(),
  text: z.string(),
  lang: z.string(),
  createdAt: z.string(),
  ingestedAt: z.string(),
  author: AuthorSchema,
  engagement: EngagementSchema,
  inReplyTo: z.string().nullable(),
  conversationId: z.string().nullable(),
  brand: z.string().nullable(),
  /** Whether `brand` is one Hark answers for or a competitor watched for share of voice (shared/brand-roles.ts); absent on mentions stored before roles existed (own). */
  brandRole: z.enum(['own', 'competitor']).optional(),
  query: z.string().nullable(),
  /** True for simulator output: the UI labels it as demo data. */
  demo: z.boolean(),
  scores: ScoresSchema,
  triage: TriageSchema,
  /** The CRM customer this author is linked to, if any. */
  customerId: z.string().nullable(),
});
export type NewMention = z.infer<typeof NewMentionSchema>;

export const MentionSchema = NewMentionSchema.extend({
  id: z.string(),
  caseId: z.string().nullable(),
  /** Bumped on every change; writes that race compare-and-set on it. */
  version: z.number().int().min(1),
  /** Set when the text and author were removed (a customer's erasure, or the retention period). */
  redacted: z.object({ at: z.string(), reason: z.enum(['erasure', 'retention']) }).nullable().optional(),
});
export type Mention = z.infer<typeof MentionSchema>;

export const mentionKey = (m: { platform: string; externalId: string }): string =>
  `${m.platform}\u0000${m.externalId}`;

/** The triage state of a mention fresh from the pipeline. */
export const newTriage = (recommendation: Action, status: TriageStatus = 'new'): Triage => ({
  status,
  assignee: null,
  team: null,
  slaDueAt: null,
  recommendation,
  tags: [],
  snoozedUntil: null,
  dismissReason: null,
  claimedAt: null,
  firstResponseAt: null,
});
