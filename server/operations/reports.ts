import type { User } from '../../shared/auth.js';
import type { ListeningQuery } from '../../shared/networks.js';
import {
  ALL,
  DAY_MS,
  DEFAULT_EEX_WEIGHTS,
  EEX_PROCESSES,
  EEX_WEIGHTS_KEY,
  eexOf,
  eexTerms,
  FEEDBACK_KINDS,
  HOUR_MS,
  WEEK_MS,
  grainsOf,
  periodStart,
  percentileOf,
  type EexProcess,
  type EexWeights,
  type ExperienceReport,
  type ExperienceRow,
  type FeedbackKind,
  type Grain,
  type ReportDim,
  type ReportQuery,
  type ReportRow,
  type ResponseGroup,
  type ResponseReport,
  type ShareOfVoiceReport,
  type SovBrand,
  type TopicsReport,
  type VolumeReport,
  addHistogram,
  type Histogram,
} from '../../shared/reports.js';
import { readForReplace, readSetting, writeSetting } from '../settings/registry.js';
import { audit, type OpsDeps } from './deps.js';
import { loadSlaPolicy } from './sla-policy.js';

/**
 * The reports: each reads rollup rows (server/store/*report-store.ts) and
 * never a mention, so their cost follows the number of periods and groups,
 * not of mentions: a 90-day report reads about 13 weeks and up to 12 days
 * per slice (see spansFor).
 */

type Span = { grain: Grain; from: number; to: number };

export function spansOf(fromIso: string, toIso: string): Span[] {
  const from = Math.floor(Date.parse(fromIso) / HOUR_MS) * HOUR_MS;
  const to = Math.ceil(Date.parse(toIso) / HOUR_MS) * HOUR_MS;
  const d1 = Math.ceil(from / DAY_MS) * DAY_MS;
  const d2 = Math.floor(to / DAY_MS) * DAY_MS;
  if (d1 >= d2) return [{ grain: 'hour', from, to }];
  return [
    { grain: 'hour' as const, from, to: d1 },
    { grain: 'day' as const, from: d1, to: d2 },
    { grain: 'hour' as const, from: d2, to },
  ].filter((s) => s.to > s.from);
}

/** Charts: hourly up to three days, daily beyond. */
export const seriesGrain = (q: Pick<ReportQuery, 'from' | 'to'>): Grain => (Date.parse(q.to) - Date.parse(q.from) <= 3 * DAY_MS ? 'hour' : 'day');

type Deps = Pick<OpsDeps, 'store'>;

/**
 * The periods to read for a dimension and range: volume over up to three days
 * in hours (whole days inside from day rows); everything else in whole UTC
 * days (from's day to to's day), whole weeks inside from week rows. Daily
 * series read day rows only, hourly ones hour rows only.
 */
export function spansFor(dim: ReportDim, q: Pick<ReportQuery, 'from' | 'to'>, series?: Grain): Span[] {
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  const hourly = grainsOf(dim).includes('hour') && to - from <= 3 * DAY_MS;
  if (series === 'hour' && hourly) return [{ grain: 'hour', from: periodStart(from, 'hour'), to: Math.ceil(to / HOUR_MS) * HOUR_MS }];
  if (hourly) return spansOf(q.from, q.to);
  const d1 = periodStart(from, 'day');
  const d2 = Math.ceil(to / DAY_MS) * DAY_MS;
  if (series || !grainsOf(dim).includes('week')) return [{ grain: 'day', from: d1, to: d2 }];
  const ws = periodStart(d1, 'week');
  const w1 = ws === d1 ? d1 : ws + WEEK_MS;
  const w2 = periodStart(d2, 'week');
  if (w2 <= w1) return [{ grain: 'day', from: d1, to: d2 }];
  return [
    { grain: 'day' as const, from: d1, to: w1 },
    { grain: 'week' as const, from: w1, to: w2 },
    { grain: 'day' as const, from: w2, to: d2 },
  ].filter((x) => x.to > x.from);
}

async function readRows(deps: Deps, q: Pick<ReportQuery, 'from' | 'to' | 'network'>, dim: ReportDim, opts: { brands?: string[]; byPeriod?: Grain; metrics?: string[] }) {
  const spans = spansFor(dim, q, opts.byPeriod);
  const parts = await Promise.all(
    spans.map((s) =>
      deps.store.reports.sum({
        grain: s.grain,
        dim,
        from: new Date(s.from).toISOString(),
        to: new Date(s.to).toISOString(),
        byPeriod: !!opts.byPeriod,
        ...(opts.brands ? { brands: opts.brands } : {}),
        ...(q.network ? { network: q.network } : {}),
        ...(opts.metrics ? { metrics: opts.metrics } : {}),
      }),
    ),
  );
  return parts.flat();
}

const brandsOf = (q: Pick<ReportQuery, 'brand'>) => (q.brand ? [q.brand] : undefined);
const round = (v: number | null, digits = 0) => (v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits);
const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 4) : null);

// ---- response -------------------------------------------------------------

interface Acc {
  received: number;
  responded: number;
  frt: Histogram;
  resolved: number;
  reopened: number;
  ttr: Histogram;
  slaMet: number;
  slaMissed: number;
}
const emptyAcc = (): Acc => ({ received: 0, responded: 0, frt: {}, resolved: 0, reopened: 0, ttr: {}, slaMet: 0, slaMissed: 0 });
const addHist = (h: Histogram, r: ReportRow) => void addHistogram(h, r.hist);

function accumulate(acc: Acc, r: ReportRow, business: boolean) {
  switch (r.metric) {
    case 'received':
      acc.received += r.n;
      break;
    case 'responded':
      acc.responded += r.n;
      break;
    case 'frt_wall':
      if (!business) addHist(acc.frt, r);
      break;
    case 'frt_bh':
      if (business) addHist(acc.frt, r);
      break;
    case 'ttr_wall':
      if (!business) addHist(acc.ttr, r);
      break;
    case 'ttr_bh':
      if (business) addHist(acc.ttr, r);
      break;
    case 'resolved':
      acc.resolved += r.n;
      break;
    case 'reopened':
      acc.reopened += r.n;
      break;
    case 'fr_sla_met':
    case 'res_sla_met':
      acc.slaMet += r.n;
      break;
    case 'fr_sla_missed':
    case 'res_sla_missed':
      acc.slaMissed += r.n;
      break;
  }
}

function groupOf(key: string, a: Acc, hasReceived: boolean): ResponseGroup {
  return {
    key,
    received: hasReceived ? a.received : null,
    responded: a.responded,
    responseRate: hasReceived ? ratio(a.responded, a.received) : null,
    frtMedianSeconds: round(percentileOf(a.frt, 0.5)),
    frtP90Seconds: round(percentileOf(a.frt, 0.9)),
    resolved: a.resolved,
    reopened: a.reopened,
    resolveMedianSeconds: round(percentileOf(a.ttr, 0.5)),
    resolveP90Seconds: round(percentileOf(a.ttr, 0.9)),
    slaMet: a.slaMet,
    slaMissed: a.slaMissed,
    slaCompliance: ratio(a.slaMet, a.slaMet + a.slaMissed),
  };
}

/**
 * First-response time (median, p90; in business hours when the SLA policy
 * has them), response rate, time to resolve, SLA compliance, per group.
 * Responses count in the period their mention was posted; resolutions when
 * they happened.
 */
export async function responseReport(deps: Deps, q: ReportQuery): Promise<ResponseReport> {
  const { policy } = await loadSlaPolicy(deps);
  const business = !!policy.businessHours;
  const rows = await readRows(deps, q, `resp.${q.groupBy}`, { ...(q.brand ? { brands: [q.brand] } : {}) });
  const groups = new Map<string, Acc>();
  const total = emptyAcc();
  for (const r of rows) {
    let a = groups.get(r.value);
    if (!a) groups.set(r.value, (a = emptyAcc()));
    accumulate(a, r, business);
    accumulate(total, r, business);
  }
  const hasReceived = q.groupBy !== 'agent';
  let names = new Map<string, string>();
  if (q.groupBy === 'agent') names = new Map((await deps.store.users.list()).map((u) => [u.id, u.name]));
  const out = [...groups].map(([k, a]) => groupOf(names.get(k) ?? k, a, hasReceived)).sort((x, y) => x.key.localeCompare(y.key));
  // Agents do not receive mentions: the total's received comes from the brand rows, which hold each mention once.
  const totalGroup = groupOf('total', total, true);
  if (!hasReceived) {
    const received = await readRows(deps, q, 'resp.brand', { ...(q.brand ? { brands: [q.brand] } : {}), metrics: ['received'] });
    const n = received.reduce((s, r) => s + r.n, 0);
    totalGroup.received = n;
    totalGroup.responseRate = ratio(total.responded, n);
  }
  return { from: q.from, to: q.to, groupBy: q.groupBy, businessHours: business, groups: out, total: totalGroup };
}

// ---- volume ---------------------------------------------------------------

export async function volumeReport(deps: Deps, q: ReportQuery): Promise<VolumeReport> {
  const grain = seriesGrain(q);
  const brands = brandsOf(q);
  const [sent, intent] = await Promise.all([
    readRows(deps, q, 'sentiment', { ...(brands ? { brands } : {}), byPeriod: grain }),
    readRows(deps, q, 'intent', { ...(brands ? { brands } : {}), byPeriod: grain }),
  ]);
  const points = new Map<string, VolumeReport['points'][number]>();
  const point = (p: string) => {
    let v = points.get(p);
    if (!v) points.set(p, (v = { period: p, bySentiment: { positive: 0, neutral: 0, negative: 0 }, byIntent: {}, total: 0 }));
    return v;
  };
  const totals: VolumeReport['totals'] = { bySentiment: { positive: 0, neutral: 0, negative: 0 }, byIntent: {}, total: 0 };
  for (const r of sent) {
    const p = point(r.period!);
    p.bySentiment[r.value] = (p.bySentiment[r.value] ?? 0) + r.n;
    p.total += r.n;
    totals.bySentiment[r.value] = (totals.bySentiment[r.value] ?? 0) + r.n;
    totals.total += r.n;
  }
  for (const r of intent) {
    const p = point(r.period!);
    p.byIntent[r.value] = (p.byIntent[r.value] ?? 0) + r.n;
    totals.byIntent[r.value] = (totals.byIntent[r.value] ?? 0) + r.n;
  }
  return { from: q.from, to: q.to, grain, points: [...points.values()].sort((a, b) => a.period.localeCompare(b.period)), totals };
}

// ---- share of voice -------------------------------------------------------

/**
 * The brands compared: the brand and every brand whose listening query is
 * marked `competitorOf` it. Without a brand: every own brand with its
 * competitors; with no listening queries at all, every brand seen.
 */
async function sovBrands(deps: Deps, q: ReportQuery, queries: ListeningQuery[]): Promise<Array<{ brand: string; role: 'own' | 'competitor' }>> {
  const competitors = (b: string) => [...new Set(queries.filter((x) => x.role === 'competitor' && x.competitorOf === b).map((x) => x.brand))];
  if (q.brand) return [{ brand: q.brand, role: 'own' }, ...competitors(q.brand).filter((c) => c !== q.brand).map((brand) => ({ brand, role: 'competitor' as const }))];
  const own = [...new Set(queries.filter((x) => x.role !== 'competitor').map((x) => x.brand))];
  const out = new Map<string, 'own' | 'competitor'>(own.map((b) => [b, 'own']));
  for (const b of own) for (const c of competitors(b)) if (!out.has(c)) out.set(c, 'competitor');
  if (out.size === 0) {
    const seen = await readRows(deps, q, 'resp.brand', { metrics: ['received'] });
    for (const r of seen) out.set(r.value, 'own');
  }
  return [...out].map(([brand, role]) => ({ brand, role }));
}

export async function shareOfVoiceReport(deps: Deps & { queries: () => Promise<ListeningQuery[]> }, q: ReportQuery): Promise<ShareOfVoiceReport> {
  const set = await sovBrands(deps, q, await deps.queries());
  const grain = seriesGrain(q);
  const rows = set.length ? await readRows(deps, q, 'sentiment', { brands: set.map((b) => b.brand), byPeriod: grain }) : [];
  const per = new Map<string, SovBrand>(set.map((b) => [b.brand, { ...b, mentions: 0, share: 0, positive: 0, neutral: 0, negative: 0, netSentiment: null }]));
  const points = new Map<string, { period: string; shares: Record<string, number>; mentions: Record<string, number> }>();
  for (const r of rows) {
    const b = per.get(r.brand);
    if (!b) continue;
    b.mentions += r.n;
    if (r.value === 'positive' || r.value === 'neutral' || r.value === 'negative') b[r.value] += r.n;
    let p = points.get(r.period!);
    if (!p) points.set(r.period!, (p = { period: r.period!, shares: {}, mentions: {} }));
    p.mentions[r.brand] = (p.mentions[r.brand] ?? 0) + r.n;
  }
  const all = [...per.values()].reduce((s, b) => s + b.mentions, 0);
  for (const b of per.values()) {
    b.share = ratio(b.mentions, all) ?? 0;
    b.netSentiment = b.mentions ? round((b.positive - b.negative) / b.mentions, 4) : null;
  }
  for (const p of points.values()) {
    const sum = Object.values(p.mentions).reduce((s, n) => s + n, 0);
    for (const [b, n] of Object.entries(p.mentions)) p.shares[b] = ratio(n, sum) ?? 0;
  }
  return { from: q.from, to: q.to, brand: q.brand ?? ALL, grain, brands: [...per.values()], points: [...points.values()].sort((a, b) => a.period.localeCompare(b.period)) };
}

// ---- topics ---------------------------------------------------------------

export const TOP_TOPICS = 20;

/** Top terms and reasons of negative mentions, in whole UTC days. */
export async function topicsReport(deps: Deps, q: ReportQuery): Promise<TopicsReport> {
  const brands = brandsOf(q);
  const opt = { ...(brands ? { brands } : {}) };
  const [topics, reasons, negatives] = await Promise.all([
    readRows(deps, q, 'neg.topic', opt),
    readRows(deps, q, 'neg.reason', opt),
    readRows(deps, q, 'sentiment', { ...opt, metrics: ['mentions'] }),
  ]);
  const neg = negatives.filter((r) => r.value === 'negative').reduce((s, r) => s + r.n, 0);
  const top = (rows: ReportRow[]) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r.value, (m.get(r.value) ?? 0) + r.n);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP_TOPICS);
  };
  return {
    from: q.from,
    to: q.to,
    negativeMentions: neg,
    topics: top(topics).map(([topic, mentions]) => ({ topic, mentions, share: ratio(mentions, neg) ?? 0 })),
    reasons: top(reasons).map(([reason, mentions]) => ({ reason, mentions, share: ratio(mentions, neg) ?? 0 })),
  };
}

// ---- experience -----------------------------------------------------------

export async function loadEexWeights(deps: Deps): Promise<{ weights: EexWeights; version: number }> {
  const s = await readSetting(deps.store, EEX_WEIGHTS_KEY);
  return s ? { weights: s.value, version: s.version } : { weights: DEFAULT_EEX_WEIGHTS, version: 0 };
}

export async function saveEexWeights(deps: OpsDeps, actor: User, weights: EexWeights, version: number) {
  const before = await readForReplace(deps.store, EEX_WEIGHTS_KEY);
  const saved = await writeSetting(deps.store, EEX_WEIGHTS_KEY, weights, version);
  await audit(deps, actor, 'settings.eex_weights_changed', 'settings', EEX_WEIGHTS_KEY, before.value ?? DEFAULT_EEX_WEIGHTS, weights);
  return { weights: saved.value, version: saved.version };
}

type KindSums = Map<FeedbackKind, { events: number; valueSum: number }>;
const addKind = (m: KindSums, k: FeedbackKind, events: number, valueSum: number) => {
  const have = m.get(k) ?? { events: 0, valueSum: 0 };
  m.set(k, { events: have.events + events, valueSum: have.valueSum + valueSum });
};

/** EEX = Σ(Fₙ·Wₙ)/n per network and process, with each kind's term, so it can be checked by hand. */
export async function experienceReport(deps: Deps, q: ReportQuery): Promise<ExperienceReport> {
  const { weights } = await loadEexWeights(deps);
  const brands = brandsOf(q);
  const rows = await readRows(deps, q, 'eex', { ...(brands ? { brands } : {}) });
  const cells = new Map<string, KindSums>();
  const byProcess = new Map<EexProcess, KindSums>();
  const overall: KindSums = new Map();
  for (const r of rows) {
    const [process, kind, network] = r.value.split('|') as [EexProcess, FeedbackKind, string];
    if (!(kind in FEEDBACK_KINDS)) continue;
    const key = `${network}|${process}`;
    if (!cells.has(key)) cells.set(key, new Map());
    addKind(cells.get(key)!, kind, r.n, r.sum);
    if (!byProcess.has(process)) byProcess.set(process, new Map());
    addKind(byProcess.get(process)!, kind, r.n, r.sum);
    addKind(overall, kind, r.n, r.sum);
  }
  const rowOf = (network: string, process: EexProcess, sums: KindSums): ExperienceRow => {
    const terms = eexTerms(sums, weights);
    return { network, process, events: terms.reduce((s, t) => s + t.events, 0), eex: round(eexOf(terms), 2), terms };
  };
  const out = [...cells].map(([key, sums]) => {
    const [network, process] = key.split('|') as [string, EexProcess];
    return rowOf(network, process, sums);
  });
  out.sort((a, b) => a.network.localeCompare(b.network) || EEX_PROCESSES.indexOf(a.process) - EEX_PROCESSES.indexOf(b.process));
  const overallTerms = eexTerms(overall, weights);
  return {
    from: q.from,
    to: q.to,
    weights,
    rows: out,
    byProcess: EEX_PROCESSES.filter((p) => byProcess.has(p)).map((p) => rowOf(ALL, p, byProcess.get(p)!)),
    overall: { events: overallTerms.reduce((s, t) => s + t.events, 0), eex: round(eexOf(overallTerms), 2), terms: overallTerms },
  };
}
