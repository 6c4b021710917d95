/**
 * The wall's arithmetic, shared by server and client: net sentiment and share
 * of voice (the median first response comes from the report rollups' histogram).
 */

export interface SentimentCounts {
  negative: number;
  neutral: number;
  positive: number;
}

/** Net sentiment, −100..100: (positive − negative) / all mentions; null without mentions. */
export function netSentiment(c: SentimentCounts): number | null {
  const total = c.negative + c.neutral + c.positive;
  if (total === 0) return null;
  return Math.round(((c.positive - c.negative) / total) * 1000) / 10;
}

export function addCounts<T extends SentimentCounts>(into: SentimentCounts, c: T): SentimentCounts {
  into.negative += c.negative;
  into.neutral += c.neutral;
  into.positive += c.positive;
  return into;
}

/** Each brand's share of all mentions of the brands given, in percent (one decimal); they sum to 100 up to rounding. */
export function shareOfVoice(totals: ReadonlyArray<{ brand: string; total: number }>): Array<{ brand: string; total: number; share: number }> {
  const all = totals.reduce((s, t) => s + t.total, 0);
  return totals.map((t) => ({ ...t, share: all === 0 ? 0 : Math.round((t.total / all) * 1000) / 10 }));
}
