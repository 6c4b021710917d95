import type { RisingTopicItem, RisingTopicsResponse } from '../../shared/api.js';
import type { Store } from '../../shared/store.js';
import { countPeople, risingTopics, type TermCounts } from '../../workers/nlp/topics.js';
import { mentionsBetween } from './mentions-between.js';
import { byBrand, topicReader } from './topic-posts.js';

const BASELINE_MINUTES = 12 * 60;
const BASELINE_REFRESH_MS = 10 * 60_000;
const RECENT_CACHE_MS = 15_000;
const CAP = 20_000;
const MIN_BASELINE_POSTS = 20;
const SHORT_WINDOW = 10;

/**
 * What the wall shows under "rising": per brand, the phrases of the last
 * window that are far more common than in the brand's previous 12 hours. The
 * baseline is re-read every 10 minutes; answers are cached for 15 seconds, so
 * many walls cost one computation.
 */
export function createRisingTopics(deps: { store: Store; now: () => Date }) {
  const baselines = new Map<number, { at: number; byBrand: Map<string, TermCounts> }>();
  const answers = new Map<string, { at: number; body: RisingTopicsResponse }>();
  const { postOf } = topicReader();

  async function baseline(nowMs: number, minutes: number) {
    const cached = baselines.get(minutes);
    if (cached && nowMs - cached.at < BASELINE_REFRESH_MS) return cached.byBrand;
    const to = nowMs - minutes * 60_000;
    const past = await mentionsBetween(deps.store, { from: to - BASELINE_MINUTES * 60_000, to, cap: CAP });
    const counts = new Map<string, TermCounts>();
    for (const [brand, ms] of byBrand(past)) counts.set(brand, countPeople(ms.map(postOf), BASELINE_MINUTES));
    // A thin baseline (a new install, a new brand) is read again soon rather than in ten minutes.
    const thin = past.length < MIN_BASELINE_POSTS;
    baselines.set(minutes, { at: thin ? nowMs - BASELINE_REFRESH_MS + 30_000 : nowMs, byBrand: counts });
    return counts;
  }

  async function compute(nowMs: number, minutes: number, args: { brand?: string; limit: number }) {
    const recent = await mentionsBetween(deps.store, { from: nowMs - minutes * 60_000, to: nowMs + 60_000, cap: CAP });
    const base = await baseline(nowMs, minutes);
    const items: RisingTopicItem[] = [];
    let comparable = false;
    for (const [brand, ms] of byBrand(recent)) {
      if (args.brand && brand !== args.brand) continue;
      const history = base.get(brand);
      // Without some history nothing can be said to rise: a new brand's first posts would all look new.
      if (!history || history.posts < MIN_BASELINE_POSTS) continue;
      comparable = true;
      const posts = ms.map((m) => ({ m, post: postOf(m) }));
      for (const t of risingTopics(countPeople(posts.map((p) => p.post), minutes), history, { minCount: 3, limit: args.limit })) {
        const carriers = posts.filter((p) => p.post.terms.includes(t.phrase)).map((p) => p.m);
        items.push({
          brand,
          phrase: t.phrase,
          count: t.count,
          expected: t.expected,
          lift: t.lift,
          negativeShare: Math.round((carriers.filter((m) => m.scores.sentiment.label === 'negative').length / carriers.length) * 100) / 100,
          exampleMentionIds: carriers.sort((a, b) => b.scores.priority.score - a.scores.priority.score).slice(0, 3).map((m) => m.id),
        });
      }
    }
    items.sort((a, b) => b.lift * Math.log1p(b.count) - a.lift * Math.log1p(a.count));
    return { items: items.slice(0, args.limit), comparable };
  }

  return {
    async get(args: { minutes: number; brand?: string; limit: number }): Promise<RisingTopicsResponse> {
      const nowMs = deps.now().getTime();
      const key = `${args.minutes}|${args.brand ?? ''}|${args.limit}`;
      const hit = answers.get(key);
      if (hit && nowMs - hit.at < RECENT_CACHE_MS) return hit.body;
      let windowMinutes = args.minutes;
      let r = await compute(nowMs, windowMinutes, args);
      // Less than the window's worth of history (a new install): compare the last minutes with what came before them.
      if (!r.comparable && windowMinutes > SHORT_WINDOW) {
        windowMinutes = SHORT_WINDOW;
        r = await compute(nowMs, windowMinutes, args);
      }
      const body: RisingTopicsResponse = { windowMinutes, computedAt: new Date(nowMs).toISOString(), items: r.items };
      answers.set(key, { at: nowMs, body });
      return body;
    },
  };
}
export type RisingTopicsService = ReturnType<typeof createRisingTopics>;

