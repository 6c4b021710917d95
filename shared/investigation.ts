import { z } from 'zod';
import type { Case } from './case.js';
import type { Mention } from './mention.js';
import { text } from './text.js';

/**
 * An investigation case follows a trend (a rising topic or an alert's topic)
 * for one brand: every mention of the brand that carries the topic is linked
 * to it, and new ones keep attaching while it is open or pending. Replies to
 * each mention go on as usual (short tail); the case carries the long tail:
 * cause, collaboration, the change made.
 */
export const OpenInvestigationSchema = z
  .object({
    brand: text({ max: 128, required: 'brand is required' }),
    topic: text({ max: 120, required: 'topic is required' }),
    alertId: z.string().regex(/^\d{1,18}$/, 'alertId is an alert id').optional(),
  })
  .strict();
export type OpenInvestigationInput = z.output<typeof OpenInvestigationSchema>;

export interface InvestigationView {
  case: Case;
  linked: number;
  /** The topic's linked mentions per hour by sentiment over the case's life. */
  series: Array<{ start: string; negative: number; neutral: number; positive: number }>;
  /** The newest linked mentions. */
  mentions: Mention[];
}
/** How far back opening an investigation looks for mentions that already carry the topic. */
export const INVESTIGATION_LOOKBACK_HOURS = 24;
export const INVESTIGATION_BACKFILL_CAP = 5000;
