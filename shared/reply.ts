import { z } from 'zod';
import { multilineText, text } from './text.js';

export const REPLY_STATES = ['pending_approval', 'queued', 'sent', 'failed', 'rejected'] as const;
export type ReplyState = (typeof REPLY_STATES)[number];

export interface Reply {
  id: string;
  mentionId: string;
  caseId: string | null;
  authorId: string;
  text: string;
  /** Client-chosen; the same key never posts twice. */
  idempotencyKey: string;
  state: ReplyState;
  externalId: string | null;
  url: string | null;
  error: string | null;
  /** Post attempts started (an attempt may have reached the network even if its outcome was never recorded). */
  attempts: number;
  approvedBy: string | null;
  createdAt: string;
  sentAt: string | null;
  /**
   * The outbox lease: the sender process holding a queued reply, and until
   * when. Another process takes the reply over only once the lease expired.
   */
  claimedBy: string | null;
  leaseUntil: string | null;
  /** When the newest post attempt began: where a sender looks on the network before posting again. */
  attemptStartedAt: string | null;
  /**
   * What a sender does when an earlier attempt may have been posted and the
   * network cannot say: `fail` (after a crash, so a person decides) or `post`
   * (a person retried it knowing the reason).
   */
  onUnverifiable: 'fail' | 'post';
  version: number;
}

/** Lease fields of a reply nobody is sending. */
export const UNCLAIMED = { claimedBy: null, leaseUntil: null } as const;

export const SendReplySchema = z
  .object({
    text: multilineText({ max: 10_000, required: 'text is required' }),
    idempotencyKey: z.string().trim().min(8, 'idempotencyKey must be at least 8 characters').max(100),
    cannedResponseId: z.string().max(64).optional(),
  })
  .strict();
export type SendReplyInput = z.infer<typeof SendReplySchema>;

/** Networks' length limits, shown live in the composer. Unknown networks get a generous default. */
// Bluesky counts 300 graphemes (code points here are never fewer); Mastodon's default is 500 characters, and a reply there also carries the author's @handle.
export const REPLY_LIMITS: Record<string, number> = { x: 280, reddit: 10_000, simulator: 280, bluesky: 300, mastodon: 500 };
export const replyLimit = (platform: string): number => REPLY_LIMITS[platform] ?? 5_000;

export interface CannedResponse {
  id: string;
  title: string;
  /** May contain {{author}}, {{author_name}}, {{brand}}, {{agent}}. */
  body: string;
  shortcut: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const CannedResponseInputSchema = z
  .object({
    title: text({ max: 120, required: 'title is required' }),
    body: multilineText({ max: 5_000, required: 'body is required' }),
    shortcut: z.string().trim().regex(/^[a-z0-9-]{1,32}$/, 'shortcut must be 1-32 lowercase letters, digits or -').nullable().optional(),
  })
  .strict();
export type CannedResponseInput = z.infer<typeof CannedResponseInputSchema>;

/** Fills a saved reply's variables; unknown variables are left visible so the agent notices. */
export function fillTemplate(body: string, vars: Record<string, string | null | undefined>): string {
  return body.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);
}
