import { z } from 'zod';
import { addSlaMinutes, slaMinutesBetween, type BusinessHours } from './sla.js';

/**
 * Reports: the rollup vocabulary, the maths (histogram percentiles, business
 * hours, the experience score) and the query and answer shapes. Pure, shared
 * by the store adapters, the operations and the client.
 */

/** Every rollup row is written for its brand and network and for '*' (all), so any filter reads one slice. */
export const ALL = '*';
/** A mention with no brand is counted under this name. */
export const NO_BRAND = '(none)';

export const GROUP_BYS = ['team', 'agent', 'network', 'priority', 'brand'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/**
 * Rollup dimensions. `resp.<groupBy>` rows carry the response facts grouped
 * that way; `sentiment`, `intent` the volume; `neg.topic`, `neg.reason` the
 * negative topics (day grain only, their vocabulary is open); `eex` the feedback
 * events, value `<process>|<kind>|<network>`.
 */
export type ReportDim = `resp.${GroupBy}` | 'sentiment' | 'intent' | 'neg.topic' | 'neg.reason' | 'eex';

/** Response metrics (rows of `resp.*`): counts in `n`; histograms use `bucket` ≥ 0. */
export const METRICS = {
  received: 'received',
  responded: 'responded',
  frtWall: 'frt_wall',
  frtBusiness: 'frt_bh',
  frSlaMet: 'fr_sla_met',
  frSlaMissed: 'fr_sla_missed',
  resolved: 'resolved',
  reopened: 'reopened',
  resolveWall: 'ttr_wall',
  resolveBusiness: 'ttr_bh',
  resSlaMet: 'res_sla_met',
  resSlaMissed: 'res_sla_missed',
  mentions: 'mentions',
  feedback: 'feedback',
} as const;

export interface ReportIncrement {
  /** When it happened (the hour and day it is counted in). */
  at: string;
  dim: ReportDim;
  value: string;
  brand: string;
  network: string;
  metric: string;
  /** Histogram bucket (see bucketOf), or -1 for a plain count. */
  bucket: number;
  n: number;
  /** Sum of the values counted (seconds, feedback scores), so a mean needs no scan. */
  sum: number;
}

export type Grain = 'hour' | 'day' | 'week';
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** Weeks start on Monday 00:00 UTC (1970-01-05 was a Monday). */
const WEEK_ORIGIN = 4 * DAY_MS;
export const periodStart = (t: number, grain: Grain) =>
  grain === 'hour' ? Math.floor(t / HOUR_MS) * HOUR_MS : grain === 'day' ? Math.floor(t / DAY_MS) * DAY_MS : Math.floor((t - WEEK_ORIGIN) / WEEK_MS) * WEEK_MS + WEEK_ORIGIN;

/**
 * Which periods a dimension keeps: volume has hour rows (hourly charts); the
 * rest only day and week rows, since their reports count whole days, and
 * hour rows of five groupings × four slices would cost more than they give.
 * Negative topics keep day rows only: most of their terms are seen once, where
 * a week row is as many rows to read as its day row and saves nothing, but it
 * was 44% of all the rollup rows written at ingest (a third of the pipeline's
 * thread went to rollups).
 */
export const grainsOf = (dim: ReportDim): readonly Grain[] => (dim === 'sentiment' || dim === 'intent' ? ['hour', 'day', 'week'] : dim === 'neg.topic' ? ['day'] : ['day', 'week']);

/**
 * A histogram: bucket (see bucketOf) → count, only the buckets that have any.
 * Kept in ONE rollup row per metric (a JSON object column on SQLite, a
 * sub-document on MongoDB, each bucket incremented in place), so a report
 * reads one row per metric and period, not one per bucket.
 */
export type Histogram = Record<string, number>;

/** One stored rollup row, after the store summed the rows a query selects. */
export interface ReportRow {
  /** Start of the hour or day (ISO) when asked per period, else null. */
  period: string | null;
  value: string;
  brand: string;
  metric: string;
  n: number;
  sum: number;
  /** The bucket counts of a histogram metric (frt_*, ttr_*), else null. */
  hist: Histogram | null;
}

/** A row as stored: its key, its counts and, for a histogram metric, its buckets. */
export interface StoredRow {
  grain: Grain;
  period: number;
  dim: ReportDim;
  value: string;
  brand: string;
  network: string;
  metric: string;
  n: number;
  sum: number;
  hist: Histogram | null;
}

/** The stored rows one increment becomes: each grain of its dimension × {brand, *} × {network, *}. */
export const expandIncrement = (inc: ReportIncrement): StoredRow[] => aggregateIncrements([inc]);

/** Adds histogram b into a (in place; a may be null), returning the sum. */
export function addHistogram(a: Histogram | null, b: Histogram | null, sign = 1): Histogram | null {
  if (!b) return a;
  const out = a ?? {};
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + sign * v;
  return out;
}

/**
 * Sums expanded rows with the same key (histogram buckets too), so a batch writes
 * each row once: the rows of expandIncrement, without its intermediate objects.
 * At ingest every mention makes ~16 rows, most of them negative topics with
 * values seen once, so rows are grouped by their few (grain, dim, slice, period,
 * metric) first and by value inside: a value's hash is computed once, where one
 * long joined key per row was hashed anew. One row per rowKey.
 */
export function aggregateIncrements(incs: Iterable<ReportIncrement>): StoredRow[] {
  const groups = new Map<string, Map<string, StoredRow>>();
  let lastAt = '';
  let t = 0;
  for (const inc of incs) {
    // A mention's increments share its time: parse it once.
    if (inc.at !== lastAt) {
      lastAt = inc.at;
      t = Date.parse(inc.at);
    }
    const brands = inc.brand === ALL ? ONLY_ALL : [inc.brand, ALL];
    const networks = inc.network === ALL ? ONLY_ALL : [inc.network, ALL];
    for (const grain of grainsOf(inc.dim)) {
      const period = periodStart(t, grain);
      for (const brand of brands) {
        for (const network of networks) {
          const group = `${grain}\u0001${inc.dim}\u0001${brand}\u0001${network}\u0001${period}\u0001${inc.metric}`;
          let rows = groups.get(group);
          if (!rows) groups.set(group, (rows = new Map()));
          const have = rows.get(inc.value);
          if (have) {
            have.n += inc.n;
            have.sum += inc.sum;
            if (inc.bucket >= 0) have.hist = addHistogram(have.hist, { [inc.bucket]: inc.n });
          } else rows.set(inc.value, { grain, period, dim: inc.dim, value: inc.value, brand, network, metric: inc.metric, n: inc.n, sum: inc.sum, hist: inc.bucket >= 0 ? { [inc.bucket]: inc.n } : null });
        }
      }
    }
  }
  const out: StoredRow[] = [];
  for (const rows of groups.values()) for (const r of rows.values()) out.push(r);
  return out;
}
const ONLY_ALL = [ALL] as const;

/**
 * A row's key. Its last part is always -1: rows used to be kept per histogram
 * bucket (the bucket was the last part), and a MongoDB row's `_id` is this key,
 * so plain rows stored then keep their ids (mongo-store.ts upgrade folds the
 * old per-bucket rows into these).
 */
export const rowKey = (r: { grain: Grain; period: number; dim: string; value: string; brand: string; network: string; metric: string }) =>
  [r.grain, r.dim, r.brand, r.network, r.period, r.value, r.metric, -1].join('\u0001');

// ---- histograms -----------------------------------------------------------

/**
 * Durations are kept as log-spaced histograms: bucket i holds [B^i, B^(i+1))
 * seconds with B = 2^(1/4), so bucket 0 is under 1.19 s and bucket 100 starts
 * at about 12 days (bucket 120 at 2.4 years: the last one, it takes the rest).
 * A percentile read from them is within one bucket's width (19 %) of the true
 * value, and within about 9 % (half a bucket, geometrically) typically.
 */
export const HIST_BASE = 2 ** 0.25;
export const HIST_LAST = 120;
export const bucketOf = (seconds: number) => (seconds < HIST_BASE ? 0 : Math.min(HIST_LAST, Math.floor(Math.log(seconds) / Math.log(HIST_BASE) + 1e-9)));
export const bucketStart = (i: number) => (i === 0 ? 0 : HIST_BASE ** i);
export const bucketEnd = (i: number) => HIST_BASE ** (i + 1);

/**
 * The q-quantile (0..1) of a histogram (bucket → count), interpolated inside
 * its bucket (geometrically; linearly in bucket 0, which starts at 0). Null when empty.
 */
export function percentileOf(hist: ReadonlyMap<number, number> | Histogram, q: number): number | null {
  const entries: Array<[number, number]> = hist instanceof Map ? [...hist] : Object.entries(hist).map(([k, n]) => [Number(k), n]);
  const buckets = entries.filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (const [i, n] of buckets) {
    if (below + n >= rank) {
      const f = n === 0 ? 0 : Math.min(1, Math.max(0, (rank - below) / n));
      if (i === 0) return bucketEnd(0) * f;
      return bucketStart(i) * HIST_BASE ** f;
    }
    below += n;
  }
  return bucketEnd(buckets[buckets.length - 1]![0]);
}

// ---- business hours -------------------------------------------------------

/** Seconds between two instants inside business hours (or wall-clock seconds without hours): the SLA clock's own rule. */
export const businessSeconds = (from: string, to: string, hours: BusinessHours | null): number => slaMinutesBetween(new Date(from), new Date(to), hours) * 60;

export { addSlaMinutes };

// ---- experience score -----------------------------------------------------

export const EEX_PROCESSES = ['triage_response', 'case_resolution'] as const;
export type EexProcess = (typeof EEX_PROCESSES)[number];

/** Feedback kinds: what the customer said or did after the team touched the conversation, with the process it judges. */
export const FEEDBACK_KINDS = {
  /** Their next mention after a reply: positive 100, neutral 50, negative 0 (the sentiment as Hark read it). */
  reply_followup: 'triage_response',
  /** Their case resolved: 100. */
  case_resolved: 'case_resolution',
  /** Their case reopened after being resolved or closed: 0. */
  case_reopened: 'case_resolution',
  /**
   * Their next mention after a reply (a reply_followup event) whose sentiment
   * an agent then corrected: the event is what the customer really said, the
   * corrected label valued as reply_followup is (100/50/0), and it replaces
   * the machine-read reply_followup event of that mention (that one is taken
   * back), so one customer mention stays one event. Correcting it again
   * revises the correction. A correction of any other mention (not a
   * follow-up to a reply) is not feedback on the team and counts nothing.
   */
  correction: 'triage_response',
} as const satisfies Record<string, EexProcess>;
export type FeedbackKind = keyof typeof FEEDBACK_KINDS;
export const FEEDBACK_KIND_NAMES = Object.keys(FEEDBACK_KINDS) as FeedbackKind[];

export const sentimentValue = (label: 'positive' | 'neutral' | 'negative') => (label === 'positive' ? 100 : label === 'neutral' ? 50 : 0);

/** Every weight 1 (the score is then the plain mean of the values): corrections count as much as any follow-up, until a manager says otherwise. */
export const DEFAULT_EEX_WEIGHTS: Record<FeedbackKind, number> = { reply_followup: 1, case_resolved: 1, case_reopened: 1, correction: 1 };

/** A kind left out takes its default weight (weights saved before a kind existed keep working). */
export const EexWeightsSchema = z
  .object(Object.fromEntries(FEEDBACK_KIND_NAMES.map((k) => [k, z.number().min(0, `${k}: at least 0`).max(10, `${k}: at most 10`).default(DEFAULT_EEX_WEIGHTS[k])])) as Record<FeedbackKind, z.ZodDefault<z.ZodNumber>>)
  .strict();
export type EexWeights = z.infer<typeof EexWeightsSchema>;

/**
 * A feedback event counted on one customer mention, kept so that a later
 * correction of that mention can revise it (store: noteFeedback, reviseFeedback).
 */
export interface FeedbackEvent {
  mentionId: string;
  kind: FeedbackKind;
  /** Fₙ, 0..100. */
  value: number;
  /** When it counts (the mention's time: the period its rollup row is in). */
  at: string;
  brand: string;
  network: string;
}

/** The eex rollup increment of one event (n = ±1). */
export const feedbackIncrement = (e: Pick<FeedbackEvent, 'kind' | 'value' | 'at' | 'brand' | 'network'>, sign: 1 | -1 = 1): ReportIncrement => ({
  at: e.at,
  dim: 'eex',
  value: `${FEEDBACK_KINDS[e.kind]}|${e.kind}|${e.network}`,
  brand: e.brand,
  network: e.network,
  metric: 'feedback',
  bucket: -1,
  n: sign,
  sum: sign * e.value,
});

/**
 * An agent corrected the sentiment of a mention counted as `before`: the
 * increments that take `before` back out and count the correction instead,
 * in the same period, brand and network (so n is unchanged and only the
 * value and kind move). Nothing when the value and kind would not change.
 */
export function correctionIncrements(before: FeedbackEvent, correctedValue: number): { takeBack: ReportIncrement[]; add: ReportIncrement[] } {
  if (before.kind === 'correction' && before.value === correctedValue) return { takeBack: [], add: [] };
  return { takeBack: [feedbackIncrement(before)], add: [feedbackIncrement({ ...before, kind: 'correction', value: correctedValue })] };
}

export const EEX_WEIGHTS_KEY = 'reports.eex_weights' as const;

/** One term group of the score: the events of one kind, their values' sum, and the kind's weight. */
export interface EexTerm {
  kind: FeedbackKind;
  events: number;
  /** Σ Fₙ over the events of this kind. */
  valueSum: number;
  weight: number;
  /** Σ Fₙ·Wₙ = weight × valueSum. */
  weighted: number;
}

/** EEX = Σ(Fₙ·Wₙ)/n over all events; Wₙ depends only on the event's kind. Null without events. */
export function eexOf(terms: EexTerm[]): number | null {
  const n = terms.reduce((s, t) => s + t.events, 0);
  if (n === 0) return null;
  return terms.reduce((s, t) => s + t.weighted, 0) / n;
}

export function eexTerms(byKind: ReadonlyMap<FeedbackKind, { events: number; valueSum: number }>, weights: EexWeights): EexTerm[] {
  return FEEDBACK_KIND_NAMES.filter((k) => (byKind.get(k)?.events ?? 0) > 0).map((kind) => {
    const { events, valueSum } = byKind.get(kind)!;
    const weight = weights[kind];
    return { kind, events, valueSum, weight, weighted: weight * valueSum };
  });
}

// ---- queries and answers --------------------------------------------------

const isoDate = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date (ISO 8601)');

export const MAX_REPORT_DAYS = 400;

export const ReportQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    brand: z.string().min(1).max(128).optional(),
    network: z.enum(['x', 'reddit', 'bluesky', 'mastodon', 'file', 'simulator']).optional(),
    groupBy: z.enum(GROUP_BYS).default('team'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict()
  .superRefine((q, ctx) => {
    const a = Date.parse(q.from);
    const b = Date.parse(q.to);
    if (!(b > a)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (b - a > MAX_REPORT_DAYS * DAY_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_REPORT_DAYS} days after from` });
  });
export type ReportQuery = z.output<typeof ReportQuerySchema>;

export interface ResponseGroup {
  key: string;
  received: number | null;
  responded: number;
  /** responded / received; null for agents (mentions are not received by an agent). */
  responseRate: number | null;
  frtMedianSeconds: number | null;
  frtP90Seconds: number | null;
  resolved: number;
  reopened: number;
  resolveMedianSeconds: number | null;
  resolveP90Seconds: number | null;
  slaMet: number;
  slaMissed: number;
  /** met / (met + missed) over first responses and resolutions with a due time. */
  slaCompliance: number | null;
}
export interface ResponseReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  businessHours: boolean;
  groups: ResponseGroup[];
  total: ResponseGroup;
}

export interface VolumePoint {
  period: string;
  bySentiment: Record<string, number>;
  byIntent: Record<string, number>;
  total: number;
}
export interface VolumeReport {
  from: string;
  to: string;
  grain: Grain;
  points: VolumePoint[];
  totals: { bySentiment: Record<string, number>; byIntent: Record<string, number>; total: number };
}

export interface SovBrand {
  brand: string;
  role: 'own' | 'competitor';
  mentions: number;
  share: number;
  positive: number;
  neutral: number;
  negative: number;
  /** (positive − negative) / mentions, −1..1. */
  netSentiment: number | null;
}
export interface ShareOfVoiceReport {
  from: string;
  to: string;
  brand: string;
  grain: Grain;
  brands: SovBrand[];
  points: Array<{ period: string; shares: Record<string, number>; mentions: Record<string, number> }>;
}

export interface TopicsReport {
  from: string;
  to: string;
  negativeMentions: number;
  topics: Array<{ topic: string; mentions: number; share: number }>;
  reasons: Array<{ reason: string; mentions: number; share: number }>;
}

export interface ExperienceRow {
  network: string;
  process: EexProcess;
  events: number;
  eex: number | null;
  terms: EexTerm[];
}
export interface ExperienceReport {
  from: string;
  to: string;
  weights: EexWeights;
  rows: ExperienceRow[];
  byProcess: ExperienceRow[];
  overall: { events: number; eex: number | null; terms: EexTerm[] };
}

/** A CSV field: quoted when needed; a leading = + - @ is neutralised so a spreadsheet never runs it. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, '').replace(/\.$/, '')) : String(v);
  if (/^[=+\-@]/.test(s) && typeof v !== 'number') s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const toCsv = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';

export interface CsvTable {
  header: string[];
  rows: unknown[][];
}

/** The tables the screen shows, in the order it shows them: the CSV is built from these, so it has the same numbers. */
export function responseTable(r: ResponseReport): CsvTable {
  const row = (g: ResponseGroup) => [g.key, g.received, g.responded, g.responseRate, g.frtMedianSeconds, g.frtP90Seconds, g.resolved, g.reopened, g.resolveMedianSeconds, g.resolveP90Seconds, g.slaMet, g.slaMissed, g.slaCompliance];
  return {
    header: [r.groupBy, 'received', 'responded', 'response_rate', 'first_response_median_s', 'first_response_p90_s', 'resolved', 'reopened', 'resolve_median_s', 'resolve_p90_s', 'sla_met', 'sla_missed', 'sla_compliance'],
    rows: [...r.groups.map(row), row(r.total)],
  };
}
export function volumeTable(r: VolumeReport): CsvTable {
  const sentiments = ['positive', 'neutral', 'negative'];
  const intents = Object.keys(r.totals.byIntent).sort();
  return {
    header: ['period', 'total', ...sentiments, ...intents.map((i) => `intent_${i}`)],
    rows: r.points.map((p) => [p.period, p.total, ...sentiments.map((s) => p.bySentiment[s] ?? 0), ...intents.map((i) => p.byIntent[i] ?? 0)]),
  };
}
export function sovTable(r: ShareOfVoiceReport): CsvTable {
  return { header: ['brand', 'role', 'mentions', 'share', 'positive', 'neutral', 'negative', 'net_sentiment'], rows: r.brands.map((b) => [b.brand, b.role, b.mentions, b.share, b.positive, b.neutral, b.negative, b.netSentiment]) };
}
export function topicsTable(r: TopicsReport): CsvTable {
  return { header: ['kind', 'name', 'mentions', 'share'], rows: [...r.topics.map((t) => ['topic', t.topic, t.mentions, t.share]), ...r.reasons.map((t) => ['reason', t.reason, t.mentions, t.share])] };
}
export function experienceTable(r: ExperienceReport): CsvTable {
  const rows: unknown[][] = [];
  for (const row of [...r.rows, ...r.byProcess.map((p) => ({ ...p, network: ALL }))]) {
    for (const t of row.terms) rows.push([row.network, row.process, t.kind, t.events, t.valueSum, t.weight, t.weighted, row.events, row.eex]);
  }
  return { header: ['network', 'process', 'kind', 'events', 'value_sum', 'weight', 'weighted_sum', 'row_events', 'row_eex'], rows };
}
