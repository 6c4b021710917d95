import type { BrandRoles } from '../../shared/brand-roles.js';
import type { Mention } from '../../shared/mention.js';
import type { WallBucket } from '../../shared/store.js';
import { DEFAULT_SPIKE_RULE, fullHistoryMinutes } from '../../shared/spikes.js';
import { WALL_RANGE_MINUTES, type WallAlert, type WallBrandNow, type WallInfluencer, type WallLayout, type WallScreenResponse, type WallVolumePoint } from '../../shared/wall.js';
import { addHistogram, METRICS, percentileOf, type Histogram } from '../../shared/reports.js';
import { addCounts, netSentiment, shareOfVoice, type SentimentCounts } from '../../shared/wall-maths.js';
import type { OpsDeps } from './deps.js';
import { mentionsBetween } from './mentions-between.js';
import type { RisingTopicsService } from './rising-topics.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const CACHE_MS = 4000;
/** Influencers are read from the last minutes' mentions, newest first, up to this many: a bounded window, never a scan. */
const INFLUENCER_SAMPLE = 3000;
const INFLUENCER_MINUTES = 15;
const WAITING_CAP = 10_000;
const ALERTS = 6;

const zero = (): SentimentCounts => ({ negative: 0, neutral: 0, positive: 0 });

/**
 * Everything the big-screen wall shows for one layout (brands, networks,
 * languages, range), from the roll-ups: per-brand net sentiment and its 24 h
 * trend, volume by sentiment, share of voice against each own brand's
 * competitors, and queue health; rising topics and alerts with examples;
 * influencers from a bounded window of the latest mentions. Answers are
 * cached a few seconds per layout, so many screens cost one computation.
 */
export function createWallScreen(deps: Pick<OpsDeps, 'store' | 'now'> & { rising: RisingTopicsService; brandRoles: () => Promise<BrandRoles> }) {
  const answers = new Map<string, { at: number; body: WallScreenResponse }>();

  async function compute(layout: WallLayout, nowMs: number): Promise<WallScreenResponse> {
    const roles = await deps.brandRoles();
    const filters = { ...(layout.networks?.length ? { platforms: layout.networks } : {}), ...(layout.langs?.length ? { langs: layout.langs } : {}) };
    const rangeMinutes = WALL_RANGE_MINUTES[layout.range];
    const hourFrom = Math.floor(nowMs / HOUR) * HOUR - 23 * HOUR;
    // 24 hourly buckets for every brand (own and competitors), and the last hour (or range) by minute.
    const hours = await deps.store.wallRollups.series({ span: 'hour', from: new Date(hourFrom).toISOString(), to: new Date(nowMs + HOUR).toISOString(), ...filters });
    const minuteFrom = Math.floor(nowMs / MIN) * MIN - (Math.max(60, Math.min(rangeMinutes, 240)) - 1) * MIN;
    const minutes = await deps.store.wallRollups.series({ span: 'minute', from: new Date(minuteFrom).toISOString(), to: new Date(nowMs + MIN).toISOString(), ...filters });

    const seen = [...new Set([...hours.map((b) => b.brand), ...minutes.map((b) => b.brand)])];
    const ownSeen = seen.filter((b) => roles.of(b).role === 'own');
    const shown = layout.brands?.length ? layout.brands : [...new Set([...roles.own(), ...ownSeen])].sort();
    const rivalsOf = (b: string) => roles.competitorsOf(b);
    const involved = new Set([...shown, ...shown.flatMap(rivalsOf)]);

    // "Now" over the range: by minute up to 4 hours, by hour beyond.
    const nowFrom = nowMs - rangeMinutes * MIN;
    const inRange: WallBucket[] = rangeMinutes <= 240 ? minutes.filter((b) => Date.parse(b.start) >= Math.floor(nowFrom / MIN) * MIN) : hours;
    const rangeTotals = new Map<string, SentimentCounts>();
    for (const b of inRange) if (involved.has(b.brand)) addCounts(rangeTotals.get(b.brand) ?? rangeTotals.set(b.brand, zero()).get(b.brand)!, b);

    const historyStart = await historyStarts(deps, [...involved], nowMs);
    const brands: WallBrandNow[] = [...involved].map((brand) => {
      const r = roles.of(brand);
      const c = rangeTotals.get(brand) ?? zero();
      const trend = Array.from({ length: 24 }, (_, i) => {
        const start = new Date(hourFrom + i * HOUR).toISOString();
        const h = hours.find((b) => b.brand === brand && b.start === start) ?? { negative: 0, neutral: 0, positive: 0 };
        return { start, net: netSentiment(h), total: h.negative + h.neutral + h.positive };
      });
      const first = historyStart.get(brand);
      const had = first === undefined ? 0 : Math.max(0, Math.floor((nowMs - first) / MIN));
      const needed = fullHistoryMinutes(DEFAULT_SPIKE_RULE);
      return { brand, role: r.role, competitorOf: r.competitorOf, net: netSentiment(c), total: c.negative + c.neutral + c.positive, counts: { ...c }, trend, learning: had < needed ? { minutes: had, needed } : null };
    });

    const sum = (rows: WallBucket[], from: number, step: number, n: number): WallVolumePoint[] =>
      Array.from({ length: n }, (_, i) => {
        const start = new Date(from + i * step).toISOString();
        const p = { start, ...zero() };
        for (const b of rows) if (b.start === start && shown.includes(b.brand)) addCounts(p, b);
        return p;
      });
    const lastHourFrom = Math.floor(nowMs / MIN) * MIN - 59 * MIN;
    const volume = { minutes: sum(minutes, lastHourFrom, MIN, 60), hours: sum(hours, hourFrom, HOUR, 24) };

    const share = shown.map((brand) => {
      const all = [brand, ...rivalsOf(brand)];
      const totals = all.map((b) => {
        const c = rangeTotals.get(b) ?? zero();
        return { brand: b, total: c.negative + c.neutral + c.positive };
      });
      return { brand, rivals: shareOfVoice(totals).map((t) => ({ ...t, role: roles.of(t.brand).role, net: netSentiment(rangeTotals.get(t.brand) ?? zero()) })) };
    });

    const [topics, influencers, alerts, queue] = await Promise.all([
      deps.rising.get({ minutes: 60, limit: 8, ...(layout.brands?.length ? { brand: shown.join(',') } : {}) }),
      influencersNow(deps, nowMs, shown, layout),
      openAlerts(deps, shown, nowMs),
      queueHealth(deps, nowMs),
    ]);
    return { computedAt: new Date(nowMs).toISOString(), layout, brands, volume, share, topics: { ...topics, items: topics.items.filter((t) => shown.includes(t.brand)) }, influencers, alerts, queue };
  }

  return {
    async get(layout: WallLayout): Promise<WallScreenResponse> {
      const nowMs = deps.now().getTime();
      const key = JSON.stringify(layout);
      const hit = answers.get(key);
      if (hit && nowMs - hit.at < CACHE_MS) return hit.body;
      const body = await compute(layout, nowMs);
      answers.set(key, { at: nowMs, body });
      // Many layouts over days: the cache stays small.
      if (answers.size > 50) for (const [k, v] of answers) if (nowMs - v.at > CACHE_MS) answers.delete(k);
      return body;
    },
  };
}
export type WallScreenService = ReturnType<typeof createWallScreen>;

/** When each brand's history starts (its first minute with mentions), looked up in the hourly roll-ups of the spike baseline's span and refined by the minute. */
async function historyStarts(deps: Pick<OpsDeps, 'store'>, brands: string[], nowMs: number): Promise<Map<string, number>> {
  if (brands.length === 0) return new Map();
  const needed = fullHistoryMinutes(DEFAULT_SPIKE_RULE) * MIN;
  const from = Math.floor((nowMs - needed) / HOUR) * HOUR - HOUR;
  const hours = await deps.store.wallRollups.series({ span: 'hour', from: new Date(from).toISOString(), to: new Date(nowMs + HOUR).toISOString(), brands });
  const out = new Map<string, number>();
  const firstHour = new Map<string, number>();
  for (const b of hours) if (!firstHour.has(b.brand)) firstHour.set(b.brand, Date.parse(b.start));
  for (const brand of brands) {
    const h = firstHour.get(brand);
    if (h === undefined) continue;
    if (h <= from) {
      out.set(brand, h); // older than the baseline needs: that is all that matters
      continue;
    }
    const mins = await deps.store.wallRollups.series({ span: 'minute', from: new Date(h).toISOString(), to: new Date(h + HOUR).toISOString(), brands: [brand] });
    out.set(brand, mins[0] ? Date.parse(mins[0].start) : h);
  }
  return out;
}

async function influencersNow(deps: Pick<OpsDeps, 'store'>, nowMs: number, brands: string[], layout: WallLayout): Promise<WallInfluencer[]> {
  const recent = await mentionsBetween(deps.store, { from: nowMs - INFLUENCER_MINUTES * MIN, to: nowMs + MIN, cap: INFLUENCER_SAMPLE });
  const byAuthor = new Map<string, { latest: Mention; loudest: Mention; n: number }>();
  for (const m of recent) {
    if (!m.brand || !brands.includes(m.brand) || m.redacted) continue;
    if (layout.networks?.length && !layout.networks.includes(m.platform)) continue;
    if (layout.langs?.length && !layout.langs.includes(m.lang)) continue;
    const k = `${m.platform}:${m.author.handle.toLowerCase()}`;
    const a = byAuthor.get(k);
    // Newest first: the first seen is the latest.
    if (!a) byAuthor.set(k, { latest: m, loudest: m, n: 1 });
    else {
      a.n++;
      if (m.scores.influence.score > a.loudest.scores.influence.score) a.loudest = m;
    }
  }
  return [...byAuthor.values()]
    .sort((a, b) => b.loudest.scores.influence.score - a.loudest.scores.influence.score || b.latest.author.followers - a.latest.author.followers)
    .slice(0, 8)
    .map(({ latest, loudest, n }) => ({
      platform: latest.platform,
      handle: latest.author.handle,
      name: latest.author.name,
      followers: latest.author.followers,
      influence: loudest.scores.influence.score,
      brand: latest.brand,
      mentions: n,
      sentiment: latest.scores.sentiment.label,
      latestText: latest.text.slice(0, 280),
      latestMentionId: latest.id,
    }));
}

/** Alerts of the last 24 hours for these brands, newest first, each with its example mentions. */
async function openAlerts(deps: Pick<OpsDeps, 'store'>, brands: string[], nowMs: number): Promise<WallAlert[]> {
  const since = new Date(nowMs - 24 * HOUR).toISOString();
  const lists = await Promise.all(brands.map((brand) => deps.store.alerts.list({ brand, since, limit: ALERTS })));
  const alerts = lists.flat().sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : -1)).slice(0, ALERTS);
  const examples = await deps.store.mentions.getMany({ ids: [...new Set(alerts.flatMap((a) => a.exampleMentionIds.slice(0, 3)))] });
  const byId = new Map(examples.map((m) => [m.id, m]));
  return alerts.map((alert) => ({
    alert,
    examples: alert.exampleMentionIds
      .slice(0, 3)
      .map((id) => byId.get(id))
      .filter((m): m is Mention => !!m && !m.redacted)
      .map((m) => ({ id: m.id, handle: m.author.handle, text: m.text.slice(0, 280), sentiment: m.scores.sentiment.label, createdAt: m.createdAt })),
  }));
}

async function queueHealth(deps: Pick<OpsDeps, 'store'>, nowMs: number) {
  const day = Math.floor(nowMs / 86_400_000) * 86_400_000;
  const [waiting, responses, cases] = await Promise.all([
    deps.store.wallRollups.waiting({ cap: WAITING_CAP }),
    // The report rollups' first-response histogram (all brands and networks) of today's mentions: one record of response times for reports and wall.
    deps.store.reports.sum({ grain: 'day', dim: 'resp.network', from: new Date(day).toISOString(), to: new Date(day + 86_400_000).toISOString(), byPeriod: false, metrics: [METRICS.frtWall] }),
    deps.store.cases.list({ status: ['open', 'pending'], limit: 500 }),
  ]);
  const hist: Histogram = {};
  for (const r of responses) addHistogram(hist, r.hist);
  const median = percentileOf(hist, 0.5);
  return {
    unanswered: waiting.count,
    unansweredCapped: waiting.count >= WAITING_CAP,
    oldestWaitingAt: waiting.oldestAt,
    medianFirstResponseSeconds: median === null ? null : Math.round(median),
    firstResponsesToday: responses.reduce((s, r) => s + r.n, 0),
    slaBreaches: cases.items.filter((c) => c.sla.breached.length > 0).length,
  };
}
