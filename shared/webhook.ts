import { z } from 'zod';

export const WEBHOOK_EVENTS = ['case.created', 'case.updated', 'case.resolved'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WebhookSchema = z
  .object({
    id: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'id must be lowercase letters, digits or -'),
    url: z.string().url('url must be an http(s) URL').refine((u) => /^https?:\/\//.test(u), 'url must be an http(s) URL'),
    /** HMAC-SHA256 key; receivers verify X-Hark-Signature with it. */
    secret: z.string().min(16, 'secret must be at least 16 characters').max(200),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'events needs at least one event'),
    active: z.boolean().default(true),
  })
  .strict();
export type Webhook = z.infer<typeof WebhookSchema>;

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  /** Unique per webhook: one event is delivered at most once. */
  eventId: string;
  event: WebhookEvent;
  payload: unknown;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /**
   * Set when a dispatcher claims the delivery (compare-and-set on version):
   * until then no other dispatcher sends it. A dispatcher that dies mid-send
   * leaves it claimed; at `leaseUntil` (also its `nextAttemptAt`) it is due
   * again and another one sends it, with the same X-Hark-Delivery id.
   */
  leaseUntil?: string | null;
  claimedBy?: string | null;
  version: number;
}
