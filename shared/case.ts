import { z } from 'zod';
import { multilineText, text } from './text.js';

export const CASE_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export const CaseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

export const CASE_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export const CasePrioritySchema = z.enum(CASE_PRIORITIES);
export type CasePriority = z.infer<typeof CasePrioritySchema>;

/** Allowed status moves; resolved and closed cases can be reopened. */
export const CASE_TRANSITIONS: Record<CaseStatus, CaseStatus[]> = {
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

export interface Case {
  id: string;
  /** Human-readable, e.g. "HK-1042"; unique and increasing. */
  number: string;
  title: string;
  status: CaseStatus;
  priority: CasePriority;
  team: string | null;
  assignee: string | null;
  customerId: string | null;
  mentionIds: string[];
  externalRef: string | null;
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  sla: CaseSla;
  /** From the managed list (cases.taxonomy); absent on cases made before categories existed. */
  category?: string | null;
  resolutionCode?: string | null;
  resolutionNote?: string | null;
  /** The case this one was merged into (the survivor); a merged case is closed and points there. */
  mergedInto?: string | null;
  /** The brand of the case's first mention, for the case queue's brand filter. */
  brand?: string | null;
  /** `customer` (absent on older cases): a conversation to answer. `investigation`: a trend a manager looks into (shared/investigation.ts). */
  kind?: CaseKind;
  /** For investigations: the brand and topic it follows; its mentions are linked apart from mentionIds (InvestigationStore). */
  investigation?: { brand: string; topic: string; alertId: string | null } | null;
  version: number;
}
export type CaseKind = 'customer' | 'investigation';

export type SlaTarget = 'first_response' | 'resolution';
export interface CaseSla {
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  breached: SlaTarget[];
  /** When each clock turns at risk (the policy's share of its budget used); moved with the due times by pauses. */
  firstResponseRiskAt?: string | null;
  resolutionRiskAt?: string | null;
  /** Set while the case is pending (waiting on the customer): the clocks stand still from then. */
  pausedAt?: string | null;
  /** SLA minutes (business minutes when the policy has hours) spent paused so far. */
  pausedMinutes?: number;
  /** The clock that runs out next and when it turns at risk: null when paused or done. Stored so the store can sort and filter by it. */
  nextDueAt?: string | null;
  nextRiskAt?: string | null;
}

export const TIMELINE_KINDS = ['created', 'note', 'reply', 'status', 'assignment', 'priority', 'mention_linked', 'escalated', 'sla_breach', 'tags', 'category', 'resolution', 'merged', 'sla_paused', 'sla_resumed'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** One entry of a case's or a mention's history, shown in its timeline. */
export interface TimelineEvent {
  id: string;
  entityType: 'mention' | 'case';
  entityId: string;
  kind: TimelineKind;
  actorId: string | null;
  at: string;
  /** Kind-specific facts: { text } for notes, { from, to } for changes, { replyId } for replies. */
  data: Record<string, unknown>;
}
export type NewTimelineEvent = Omit<TimelineEvent, 'id'>;

export const CreateCaseSchema = z
  .object({
    mentionIds: z.array(z.string().min(1)).min(1, 'mentionIds needs at least one mention').max(100),
    title: text({ max: 200 }).optional(),
    priority: CasePrioritySchema.optional(),
    team: z.string().max(64).nullable().optional(),
    assignee: z.string().max(64).nullable().optional(),
    note: multilineText({ min: 0, max: 10_000 }).optional(),
    /** Attach to this open case instead of creating one. */
    attachTo: z.string().optional(),
    category: z.string().max(64).nullable().optional(),
  })
  .strict();
export type CreateCaseInput = z.infer<typeof CreateCaseSchema>;

export const UpdateCaseSchema = z
  .object({
    version: z.number().int().min(1),
    status: CaseStatusSchema.optional(),
    priority: CasePrioritySchema.optional(),
    team: z.string().max(64).nullable().optional(),
    assignee: z.string().max(64).nullable().optional(),
    title: text({ max: 200 }).optional(),
    externalRef: text({ min: 0, max: 200 }).nullable().optional(),
    category: z.string().max(64).nullable().optional(),
    resolutionCode: z.string().max(64).nullable().optional(),
    resolutionNote: multilineText({ min: 0, max: 5_000 }).nullable().optional(),
  })
  .strict();
export type UpdateCaseInput = z.infer<typeof UpdateCaseSchema>;

export const CaseNoteSchema = z
  .object({
    text: multilineText({ max: 10_000, required: 'text is required' }),
    /** Colleagues @mentioned in the note (user ids); each gets a notice. */
    mentions: z.array(z.string().min(1).max(64)).max(20).optional(),
  })
  .strict();

export const MergeCaseSchema = z.object({ into: z.string().min(1).max(32) }).strict();

export const CaseReplySchema = z
  .object({
    mentionId: z.string().min(1).max(32),
    text: multilineText({ max: 10_000, required: 'text is required' }),
    idempotencyKey: z.string().min(8).max(100),
  })
  .strict();

/** The managed lists of case categories and resolution codes. */
export const CaseTaxonomySchema = z
  .object({
    categories: z.array(text({ max: 64 })).max(100),
    resolutionCodes: z.array(text({ max: 64 })).max(100),
  })
  .strict()
  .refine((t) => new Set(t.categories).size === t.categories.length, { message: 'categories must be unique', path: ['categories'] })
  .refine((t) => new Set(t.resolutionCodes).size === t.resolutionCodes.length, { message: 'resolution codes must be unique', path: ['resolutionCodes'] });
export type CaseTaxonomy = z.infer<typeof CaseTaxonomySchema>;
export const DEFAULT_CASE_TAXONOMY: CaseTaxonomy = {
  categories: ['billing', 'delivery', 'outage', 'account', 'product defect', 'other'],
  resolutionCodes: ['answered', 'refunded', 'fixed', 'workaround', 'duplicate', 'no response from customer'],
};

export const SLA_STATES = ['on_track', 'at_risk', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];
