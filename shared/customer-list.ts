import type { Customer } from './customer.js';

/** What the Customers page shows beside each customer (computed from bounded reads, see server/operations/customers.ts). */
export interface CustomerSummary {
  /** The networks of the customer's identities, sorted. */
  networks: string[];
  /** Cases open or pending, counted up to `OPEN_CASES_CAP`; `openCasesMore` when there are more. */
  openCases: number;
  openCasesMore: boolean;
  /** When the customer last posted (their newest mention), null when never. */
  lastContactAt: string | null;
  sentiment: {
    /** How many of the customer's newest mentions the trend is judged on (at most `RECENT_MENTIONS`). */
    mentions: number;
    /** Average sentiment score (-1..1) of the newer half, and of the older half. */
    recent: number | null;
    earlier: number | null;
    trend: 'improving' | 'worsening' | 'steady' | 'unknown';
  };
}

export const OPEN_CASES_CAP = 20;
export const RECENT_MENTIONS = 20;
/** A change of the half averages smaller than this is "steady". */
export const TREND_THRESHOLD = 0.15;

export interface CustomerListItem extends Customer {
  summary: CustomerSummary;
}
export interface CustomerListResponse {
  items: CustomerListItem[];
  nextCursor: string | null;
}

/** Trend of a newest-first list of sentiment scores: newer half against older half. */
export function sentimentTrend(newestFirst: number[]): CustomerSummary['sentiment'] {
  const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  if (newestFirst.length < 2) return { mentions: newestFirst.length, recent: avg(newestFirst), earlier: null, trend: 'unknown' };
  const half = Math.ceil(newestFirst.length / 2);
  const recent = avg(newestFirst.slice(0, half))!;
  const earlier = avg(newestFirst.slice(half))!;
  const d = recent - earlier;
  return { mentions: newestFirst.length, recent, earlier, trend: d >= TREND_THRESHOLD ? 'improving' : d <= -TREND_THRESHOLD ? 'worsening' : 'steady' };
}
