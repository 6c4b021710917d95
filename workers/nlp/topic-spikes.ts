import { risingTopics, type TermCounts } from './topics.js';

export interface TopicSpikeRule {
  /** Tail probability below which a term's rise is a spike; small, because every term of every window is a test. */
  alpha: number;
  /** Posts sharing the term in the window, at least. */
  minCount: number;
  /** Windows ending now, shortest first. */
  windowsMinutes: number[];
}

// Tuned with tests/bench/spike-detection.ts on replays of real airline complaints.
export const DEFAULT_TOPIC_SPIKE_RULE: TopicSpikeRule = { alpha: 1e-9, minCount: 4, windowsMinutes: [3, 5, 10, 15, 30] };

export interface TopicSpike {
  topic: string;
  windowMinutes: number;
  count: number;
  expected: number;
  p: number;
}

/**
 * A crisis usually has a subject ("app down", "lost luggage"): a handful of
 * negative posts sharing a phrase the brand's baseline rarely sees is surer
 * than the same handful spread over everything. `windows` are the brand's
 * negatives of the last few minutes (shortest first), `baseline` those of the
 * hours before.
 */
export function detectTopicSpike(windows: ReadonlyArray<TermCounts>, baseline: TermCounts, rule: TopicSpikeRule = DEFAULT_TOPIC_SPIKE_RULE): TopicSpike | null {
  for (const w of windows) {
    const top = risingTopics(w, baseline, { minCount: rule.minCount, limit: 1 })[0];
    if (top && top.p < rule.alpha) return { topic: top.phrase, windowMinutes: w.minutes, count: top.count, expected: top.expected, p: top.p };
  }
  return null;
}
