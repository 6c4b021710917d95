/**
 * The wall's arithmetic, shared by server and client: net sentiment, share of
 * voice, and the first-response histogram (a median without keeping every
 * response time).
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

/** Buckets per doubling of the time: each is 2^(1/8) ≈ 9% wide, so a median read from them is within about 4.5%. */
const PER_OCTAVE = 8;

/** The histogram bucket of a response time in seconds (0 for under a second). */
export function responseBucket(seconds: number): number {
  if (!(seconds >= 1)) return 0;
  return 1 + Math.floor(Math.log2(seconds) * PER_OCTAVE);
}

/** The middle of a bucket, in seconds (geometric middle: the buckets are log-spaced). */
export function bucketSeconds(bucket: number): number {
  if (bucket <= 0) return 0;
  return 2 ** ((bucket - 1 + 0.5) / PER_OCTAVE);
}

/** The median (or any quantile) of a histogram of response times, in seconds; null when it is empty. */
export function histogramQuantile(buckets: ReadonlyArray<{ bucket: number; count: number }>, q = 0.5): number | null {
  const sorted = [...buckets].filter((b) => b.count > 0).sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((s, b) => s + b.count, 0);
  if (total === 0) return null;
  // The rank of the lower median, so one response gives itself and two give the first.
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const b of sorted) {
    seen += b.count;
    if (seen >= rank) return Math.round(bucketSeconds(b.bucket));
  }
  return Math.round(bucketSeconds(sorted[sorted.length - 1]!.bucket));
}
