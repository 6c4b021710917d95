import type { RisingTopicItem, RisingTopicsResponse } from '../../shared/api.js';
import type { Store } from '../../shared/store.js';
import type { Mention } from '../../shared/mention.js';
import { countPeople, risingTopics, type RisingTopic, type TermCounts } from '../../workers/nlp/topics.js';
import { mentionsBetween } from './mentions-between.js';
import { byBrand, topicReader } from './topic-posts.js';

const BASELINE_MINUTES = 12 * 60;
const BASELINE_REFRESH_MS = 10 * 60_000;
const RECENT_CACHE_MS = 15_000;
const CAP = 20_000;
const MIN_BASELINE_POSTS = 20;
const SHORT_WINDOW = 10;
/** The comparison needs a baseline at least this many windows long. */
const MIN_BASELINE_WINDOWS = 3;
/** A brand still learning (no baseline yet) shows a phrase only when a crowd uses it: this many people, and this share of the window's authors. */
export const YOUNG_MIN_PEOPLE = 10;
export const YOUNG_MIN_SHARE = 0.2;

/** Share of the smaller set that is in the other. */
function overlap(a: ReadonlySet<Mention>, b: ReadonlySet<Mention>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let n = 0;
  for (const x of small) if (big.has(x)) n++;
  return small.size ? n / small.size : 0;
}

/** `brand` may name several brands, comma-separated (the wall's brand filter). */
const brandList = (b: string) => b.split(',').map((x) => x.trim());

/** The loudest distinct people who used a phrase, loudest first: who is driving it. */
function peopleOf(carriers: readonly Mention[]): RisingTopicItem['people'] {
  const seen = new Map<string, Mention>();
  for (const m of carriers) {
    const k = `${m.platform}:${m.author.handle.toLowerCase()}`;
    const prev = seen.get(k);
    if (!prev || m.author.followers > prev.author.followers) seen.set(k, m);
  }
  return [...seen.values()]
    .sort((a, b) => b.author.followers - a.author.followers)
    .slice(0, 5)
    .map((m) => ({ handle: m.author.handle, platform: m.platform, followers: m.author.followers }));
}

/** Phrases a crowd is using at once: at least YOUNG_MIN_PEOPLE people and YOUNG_MIN_SHARE of the window's authors; for brands without a baseline. */
export function crowdTopics(window: TermCounts, limit: number): RisingTopic[] {
  const min = Math.max(YOUNG_MIN_PEOPLE, YOUNG_MIN_SHARE * window.posts);
  // Against a flat share of a fifth: "lift" says how far above that the phrase is.
  const expected = Math.max(1, YOUNG_MIN_SHARE * window.posts);
  const out = [...window.terms].filter(([, n]) => n >= min).map(([phrase, count]) => ({ phrase, count, expected: Math.round(expected * 100) / 100, lift: Math.round((count / expected) * 10) / 10, p: 0 }));
  const pairs = out.filter((t) => t.phrase.includes(' '));
  const kept = out.filter((t) => t.phrase.includes(' ') || !pairs.some((p) => p.count >= 0.6 * t.count && p.phrase.split(' ').includes(t.phrase)));
  // Pairs first: "having outage" names a story where "working" only shares its posts.
  const pair = (t: RisingTopic) => (t.phrase.includes(' ') ? 1 : 0);
  return kept.sort((a, b) => pair(b) - pair(a) || b.count - a.count || (a.phrase < b.phrase ? -1 : 1)).slice(0, limit);
}

/**
 * What the wall shows under "rising": per brand, the phrases of the last
 * window that are far more common than in the brand's previous 12 hours. The
 * baseline is re-read every 10 minutes; answers are cached for 15 seconds, so
 * many walls cost one computation.
 */
export function createRisingTopics(deps: { store: Store; now: () => Date }) {
  const baselines = new Map<number, { at: number; byBrand: Map<string, TermCounts & { coveredMinutes: number }> }>();
  const answers = new Map<string, { at: number; body: RisingTopicsResponse }>();
  const { postOf } = topicReader();

  async function baseline(nowMs: number, minutes: number) {
    const cached = baselines.get(minutes);
    if (cached && nowMs - cached.at < BASELINE_REFRESH_MS) return cached.byBrand;
    const to = nowMs - minutes * 60_000;
    const past = await mentionsBetween(deps.store, { from: to - BASELINE_MINUTES * 60_000, to, cap: CAP });
    const counts = new Map<string, TermCounts & { coveredMinutes: number }>();
    for (const [brand, ms] of byBrand(past)) {
      // How much history the baseline really holds (a young install has minutes, not 12 hours): the newest sample runs back to its oldest post.
      const oldest = Math.min(...ms.map((m) => Date.parse(m.createdAt)));
      counts.set(brand, { ...countPeople(ms.map(postOf), BASELINE_MINUTES), coveredMinutes: (to - oldest) / 60_000 });
    }
    // A thin baseline (a new install, a new brand) is read again soon rather than in ten minutes.
    const thin = past.length < MIN_BASELINE_POSTS || [...counts.values()].some((c) => c.coveredMinutes < BASELINE_MINUTES / 2);
    baselines.set(minutes, { at: thin ? nowMs - BASELINE_REFRESH_MS + 30_000 : nowMs, byBrand: counts });
    return counts;
  }

  async function compute(nowMs: number, minutes: number, args: { brand?: string; limit: number }) {
    const recent = await mentionsBetween(deps.store, { from: nowMs - minutes * 60_000, to: nowMs + 60_000, cap: CAP });
    const base = await baseline(nowMs, minutes);
    const items: RisingTopicItem[] = [];
    const learning: string[] = [];
    let comparable = false;
    for (const [brand, ms] of byBrand(recent)) {
      if (args.brand && !brandList(args.brand).includes(brand)) continue;
      const history = base.get(brand);
      const posts = ms.map((m) => ({ m, post: postOf(m) }));
      const window = countPeople(posts.map((p) => p.post), minutes);
      // A phrase rises against a baseline several windows long; minutes of history are no baseline for an hour's window.
      const young = !history || history.posts < MIN_BASELINE_POSTS || history.coveredMinutes < MIN_BASELINE_WINDOWS * minutes;
      // Without some history nothing can be said to rise against it (a new brand's first posts would all look new): only what a crowd is saying at once stands out.
      const found = young ? crowdTopics(window, args.limit) : risingTopics(window, history, { minCount: 3, limit: args.limit });
      if (young) learning.push(brand);
      else comparable = true;
      const kept: Array<Set<Mention>> = [];
      for (const t of found) {
        const carriers = posts.filter((p) => p.post.terms.includes(t.phrase)).map((p) => p.m);
        // One story is one line: "app down", "down cannot" and "cannot log" come from the same posts.
        const set = new Set(carriers);
        if (kept.some((k) => overlap(k, set) >= 0.8)) continue;
        kept.push(set);
        items.push({
          brand,
          phrase: t.phrase,
          count: t.count,
          expected: t.expected,
          lift: t.lift,
          negativeShare: Math.round((carriers.filter((m) => m.scores.sentiment.label === 'negative').length / carriers.length) * 100) / 100,
          exampleMentionIds: [...carriers].sort((a, b) => b.scores.priority.score - a.scores.priority.score).slice(0, 3).map((m) => m.id),
          people: peopleOf(carriers),
        });
      }
    }
    items.sort((a, b) => b.lift * Math.log1p(b.count) - a.lift * Math.log1p(a.count));
    return { items: items.slice(0, args.limit), comparable, learning };
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
      const body: RisingTopicsResponse = { windowMinutes, computedAt: new Date(nowMs).toISOString(), items: r.items, learning: r.learning };
      answers.set(key, { at: nowMs, body });
      return body;
    },
  };
}
export type RisingTopicsService = ReturnType<typeof createRisingTopics>;

