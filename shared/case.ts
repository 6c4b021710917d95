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
  sla: { firstResponseDueAt: string | null; resolutionDueAt: string | null; breached: Array<'first_response' | 'resolution'> };
  /** `customer` (absent on older cases): a conversation to answer. `investigation`: a trend a manager looks into (shared/investigation.ts). */
  kind?: CaseKind;
  /** For investigations: the brand and topic it follows; its mentions are linked apart from mentionIds (InvestigationStore). */
  investigation?: { brand: string; topic: string; alertId: string | null } | null;
  version: number;
}
export type CaseKind = 'customer' | 'investigation';

export const TIMELINE_KINDS = ['created', 'note', 'reply', 'status', 'assignment', 'priority', 'mention_linked', 'escalated', 'sla_breach', 'tags'] as const;
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
  })
  .strict();
export type UpdateCaseInput = z.infer<typeof UpdateCaseSchema>;

export const CaseNoteSchema = z.object({ text: multilineText({ max: 10_000, required: 'text is required' }) }).strict();
