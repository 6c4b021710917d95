import type { Mention } from '../../shared/mention.js';
import { DEFAULT_SPIKE_RULE, detectSpike, detectYoungSpike, fullHistoryMinutes, type Alert, type SpikeRule } from '../../shared/spikes.js';
import { DEFAULT_TOPIC_SPIKE_RULE, detectTopicSpike, type TopicSpikeRule } from '../../workers/nlp/topic-spikes.js';
import { countPeople, risingTopics, topPhrase, type TermCounts } from '../../workers/nlp/topics.js';
import type { OpsDeps } from './deps.js';
import { mentionsBetween } from './mentions-between.js';
import { byBrand, topicReader } from './topic-posts.js';

/** Any alert keeps a brand quiet this long; the same topic stays quiet much longer. */
export const QUIET_MINUTES = 30;
export const TOPIC_QUIET_MINUTES = 6 * 60;
const BASELINE_REFRESH_MS = 10 * 60_000;
const BASELINE_CAP = 20_000;

export interface SpikeWatchOptions {
  rule?: SpikeRule;
  topicRule?: TopicSpikeRule;
  quietMinutes?: number;
}

/**
 * Each brand's negatives, two ways: volume per minute against its own
 * baseline (shared/spikes.ts), and phrases rising among them against the
 * phrases of its previous 12 hours (a handful of posts saying "app down" is a
 * crisis long before the volume is). An alert names the brand, what spiked,
 * and shows example mentions; a brand is paged at most once per quiet period,
 * and a topic alerted in the last 6 hours pages again only if it tripled. The topic baseline is re-read every 10 minutes.
 * A brand with less than the baseline's 12 hours of history is still learning:
 * it is paged only for an unmistakable burst (shared/spikes.ts, detectYoungSpike).
 */
export function createSpikeWatcher(deps: OpsDeps, opts: SpikeWatchOptions = {}) {
  const rule = opts.rule ?? DEFAULT_SPIKE_RULE;
  const topicRule = opts.topicRule ?? DEFAULT_TOPIC_SPIKE_RULE;
  const quietMinutes = opts.quietMinutes ?? QUIET_MINUTES;
  const longestTopic = Math.max(...topicRule.windowsMinutes);
  let baseline: { at: number; byBrand: Map<string, TermCounts> } | null = null;
  const { wordsOf, termsOf, postOf } = topicReader();

  async function topicBaseline(nowMs: number) {
    if (baseline && nowMs - baseline.at < BASELINE_REFRESH_MS) return baseline.byBrand;
    const to = nowMs - longestTopic * 60_000;
    const from = to - rule.baselineMinutes * 60_000;
    const past = await mentionsBetween(deps.store, { from, to, sentiment: ['negative'], cap: BASELINE_CAP });
    const counts = new Map<string, TermCounts>();
    for (const [brand, ms] of byBrand(past)) counts.set(brand, countPeople(ms.map(postOf), rule.baselineMinutes));
    baseline = { at: nowMs, byBrand: counts };
    return counts;
  }

  async function volumeSeries(nowMs: number) {
    const minutes = rule.baselineMinutes + Math.max(...rule.windowsMinutes);
    const from = nowMs - minutes * 60_000;
    const series = await deps.store.rollups.brandSeries({ from: new Date(from).toISOString(), to: new Date(nowMs).toISOString() });
    const byBrand = new Map<string, number[]>();
    // The first minute each brand has any mention in: a brand younger than the baseline is judged by the young rule.
    const firstAt = new Map<string, number>();
    for (const r of series) {
      const counts = byBrand.get(r.brand) ?? new Array<number>(minutes).fill(0);
      const i = Math.floor((Date.parse(r.minute) - from) / 60_000);
      if (i >= 0 && i < counts.length) counts[i]! += r.negative;
      if (r.total > 0 && !firstAt.has(r.brand)) firstAt.set(r.brand, i);
      byBrand.set(r.brand, counts);
    }
    return { byBrand, firstAt, minutes };
  }

  // A quiet brand can have a silent start of the window and still a long past: asked once per brand, the past does not go away.
  const old = new Set<string>();
  async function hasOlderHistory(brand: string, before: number) {
    if (old.has(brand)) return true;
    const past = await deps.store.wallRollups.series({ span: 'hour', from: new Date(before - 7 * 86_400_000).toISOString(), to: new Date(Math.floor(before / 3_600_000) * 3_600_000).toISOString(), brands: [brand] });
    if (past.length > 0) old.add(brand);
    return past.length > 0;
  }

  async function check(): Promise<Alert[]> {
    const nowMs = Math.floor(deps.now().getTime() / 60_000) * 60_000 + 60_000; // include the current minute
    const { byBrand: volume, firstAt, minutes } = await volumeSeries(nowMs);
    const recent = byBrand(await mentionsBetween(deps.store, { from: nowMs - longestTopic * 60_000, to: nowMs, sentiment: ['negative'], cap: BASELINE_CAP }));
    const base = recent.size ? await topicBaseline(nowMs) : new Map<string, TermCounts>();
    const raised: Alert[] = [];
    for (const brand of new Set([...volume.keys(), ...recent.keys()])) {
      const mine = recent.get(brand) ?? [];
      const counts = volume.get(brand) ?? [0];
      const first = firstAt.get(brand) ?? counts.length - 1;
      // Its first minute is usually partial (the install or the brand started in it): history counts from the next.
      const young = minutes - first - 1 < fullHistoryMinutes(rule) && !(await hasOlderHistory(brand, nowMs - minutes * 60_000));
      const people = (w: number) => new Set(mine.filter((m) => Date.parse(m.createdAt) >= nowMs - w * 60_000).map((m) => postOf(m).author)).size;
      const v = young ? detectYoungSpike(counts.slice(first + 1), people, rule) : detectSpike(counts, rule);
      const windows = topicRule.windowsMinutes.map((w) => countPeople(mine.filter((m) => Date.parse(m.createdAt) >= nowMs - w * 60_000).map(postOf), w));
      const brandBase = base.get(brand) ?? { minutes: rule.baselineMinutes, posts: 0, terms: new Map() };
      // A young brand has no phrases of its own yet to compare with: every phrase would be "new". Only its volume rule (which asks for a crowd) can page.
      const topic = v.spike || young ? null : detectTopicSpike(windows, brandBase, topicRule);
      if (!v.spike && !topic) continue;

      const since = new Date(nowMs - quietMinutes * 60_000).toISOString();
      if ((await deps.store.alerts.list({ brand, since, limit: 1 })).length > 0) continue;
      const windowMinutes = topic ? topic.windowMinutes : v.windowMinutes;
      const inWindow = mine.filter((m) => Date.parse(m.createdAt) >= nowMs - windowMinutes * 60_000).sort((a, b) => b.scores.priority.score - a.scores.priority.score);
      const about = topic?.topic ?? risingTopics(countPeople(inWindow.map(postOf), windowMinutes), brandBase, { minCount: 2, limit: 1 })[0]?.phrase ?? topPhrase(inWindow.map((m) => m.text), wordsOf(brand));
      const negatives = topic ? topic.count : v.current;
      if (about) {
        // Still the same story: no new page unless it got much worse.
        const lately = await deps.store.alerts.list({ brand, since: new Date(nowMs - TOPIC_QUIET_MINUTES * 60_000).toISOString(), limit: 50 });
        if (lately.some((a) => a.topic === about && negatives < 3 * a.negatives)) continue;
      }
      // Examples that carry the topic first: what an agent should read to understand it.
      const carries = (m: Mention) => about !== null && termsOf(m).includes(about);
      const examples = [...inWindow.filter(carries), ...inWindow.filter((m) => !carries(m))];
      // The key makes two runners of the same minute (a lease taken over mid-sweep, two processes racing) raise one alert: the store refuses the second.
      const alert = await deps.store.alerts.createOnce({
        key: `${brand}\u0000${new Date(nowMs).toISOString()}`,
        alert: {
          brand,
          topic: about,
          windowStart: new Date(nowMs - windowMinutes * 60_000).toISOString(),
          windowEnd: new Date(nowMs).toISOString(),
          negatives,
          baselineMean: topic ? topic.expected : v.expected,
          exampleMentionIds: examples.slice(0, 5).map((m) => m.id),
          raisedAt: deps.now().toISOString(),
        },
      });
      if (!alert) continue;
      deps.bus.publish('alert.raised', { alert });
      raised.push(alert);
    }
    return raised;
  }

  return { check };
}


/** One check without a cached baseline (tests, one-off runs). */
export const checkSpikes = (deps: OpsDeps, opts: SpikeWatchOptions = {}) => createSpikeWatcher(deps, opts).check();

/** Spikes raised, newest first. */
export const listAlerts = (deps: Pick<OpsDeps, 'store'>, q: { brand?: string; limit: number }): Promise<Alert[]> => deps.store.alerts.list(q);
