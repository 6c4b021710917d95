import { z } from 'zod';

export const NOTICE_KINDS = ['mentioned', 'assigned', 'sla_at_risk', 'sla_breached', 'reply_approval', 'team'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** One entry of a user's notices inbox. */
export interface Notice {
  id: string;
  userId: string;
  kind: NoticeKind;
  /** One line, shown as is. */
  message: string;
  /** Where the notice leads, a hash route of the app (e.g. "#/cases/7"). */
  link: string;
  caseId: string | null;
  actorId: string | null;
  at: string;
  readAt: string | null;
}
export type NewNotice = Omit<Notice, 'id' | 'readAt'>;

export const MarkNoticesReadSchema = z
  .object({ ids: z.array(z.string().min(1).max(32)).min(1).max(200).optional(), all: z.literal(true).optional() })
  .strict()
  .refine((b) => !!b.ids !== !!b.all, { message: 'give ids or all, not both', path: ['ids'] });

export const NoticeListQuerySchema = z
  .object({
    unread: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(30),
    before: z.string().regex(/^\d{1,18}$/, 'before must be a notice id').optional(),
  })
  .strict();
