/**
 * Spike rule: negative mentions of a brand in the current window against the
 * same brand's own baseline (the previous windows). A spike needs enough volume
 * to matter, and to stand out both in absolute terms (k standard deviations) and
 * relative ones (ratio × the mean), so a quiet brand is not paged for three posts.
 */
export interface SpikeRule {
  windowMinutes: number;
  baselineWindows: number;
  minCount: number;
  k: number;
  ratio: number;
}

export const DEFAULT_SPIKE_RULE: SpikeRule = { windowMinutes: 5, baselineWindows: 144, minCount: 8, k: 4, ratio: 3 };

export interface SpikeVerdict {
  spike: boolean;
  current: number;
  mean: number;
  sd: number;
}

/** `counts`: negatives per window, oldest first; the last one is the current window. */
export function detectSpike(counts: readonly number[], rule: SpikeRule = DEFAULT_SPIKE_RULE): SpikeVerdict {
  const current = counts[counts.length - 1] ?? 0;
  const base = counts.slice(0, -1);
  const n = Math.max(1, base.length);
  const mean = base.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(base.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const spike = current >= rule.minCount && current >= mean + rule.k * Math.max(sd, 1) && current >= rule.ratio * Math.max(mean, 1);
  return { spike, current, mean: Math.round(mean * 100) / 100, sd: Math.round(sd * 100) / 100 };
}

export interface Alert {
  id: string;
  brand: string;
  /** The phrase most common in the spike's mentions, e.g. "app down". */
  topic: string | null;
  windowStart: string;
  windowEnd: string;
  negatives: number;
  baselineMean: number;
  exampleMentionIds: string[];
  raisedAt: string;
  version: number;
}
