import { describe, expect, it } from 'vitest';
import {
  addHistogram,
  aggregateIncrements,
  ALL,
  rowKey,
  correctionIncrements,
  EexWeightsSchema,
  FEEDBACK_KINDS,
  bucketEnd,
  bucketOf,
  bucketStart,
  businessSeconds,
  csvField,
  DEFAULT_EEX_WEIGHTS,
  eexOf,
  eexTerms,
  expandIncrement,
  HIST_BASE,
  percentileOf,
  ReportQuerySchema,
  toCsv,
  type FeedbackKind,
} from '../../../shared/reports.js';
import { addSlaMinutes, type BusinessHours } from '../../../shared/sla.js';
import { spansFor, spansOf } from '../../../server/operations/reports.js';

const histOf = (values: number[]) => {
  const h = new Map<number, number>();
  for (const v of values) h.set(bucketOf(v), (h.get(bucketOf(v)) ?? 0) + 1);
  return h;
};
const exact = (values: number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)]!;
};

describe('histogram percentiles', () => {
  it('buckets are log-spaced with base 2^(1/4) and every value falls in its own bucket', () => {
    for (const v of [0, 0.5, 1.2, 5, 59, 60, 3599, 86_400, 30 * 86_400]) {
      const b = bucketOf(v);
      expect(v).toBeGreaterThanOrEqual(bucketStart(b) - 1e-9);
      expect(v).toBeLessThan(bucketEnd(b));
    }
    expect(bucketEnd(10) / bucketStart(10)).toBeCloseTo(HIST_BASE, 10);
  });

  it('median and p90 of a skewed sample are within one bucket width (19 %) of the exact values', () => {
    // deterministic log-normal-ish response times: 30 s to 2 days
    const values = Array.from({ length: 5000 }, (_, i) => 30 * Math.exp(((i * 7919) % 5000) / 5000 * 8.5));
    const h = histOf(values);
    for (const q of [0.5, 0.9]) {
      const got = percentileOf(h, q)!;
      const want = exact(values, q);
      expect(Math.abs(got / want - 1)).toBeLessThan(HIST_BASE - 1);
    }
  });

  it('one value: its bucket; empty: null; a constant sample stays inside its bucket', () => {
    expect(percentileOf(new Map(), 0.5)).toBeNull();
    const h = histOf(Array(10).fill(600));
    const m = percentileOf(h, 0.5)!;
    expect(m).toBeGreaterThanOrEqual(bucketStart(bucketOf(600)));
    expect(m).toBeLessThan(bucketEnd(bucketOf(600)));
    expect(percentileOf(histOf([0, 0, 0]), 0.9)!).toBeLessThan(1.2);
  });

  it('p90 is above the median for a spread sample (order, not just closeness)', () => {
    const h = histOf([60, 60, 60, 60, 60, 60, 60, 60, 3600, 3600]);
    expect(percentileOf(h, 0.5)!).toBeLessThan(75);
    expect(percentileOf(h, 0.9)!).toBeGreaterThan(3000);
  });
});

describe('business-hours durations', () => {
  // Mon-Fri 09:00-17:00 at UTC+1
  const hours: BusinessHours = { utcOffsetMinutes: 60, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

  it('counts only open hours, across a night and a weekend', () => {
    // Fri 2026-11-27 15:00 local (14:00Z) → Mon 2026-11-30 10:00 local (09:00Z): 2 h Friday + 1 h Monday
    expect(businessSeconds('2026-11-27T14:00:00Z', '2026-11-30T09:00:00Z', hours)).toBe(3 * 3600);
    // both inside one day
    expect(businessSeconds('2026-11-30T08:30:00Z', '2026-11-30T09:00:00Z', hours)).toBe(1800);
    // entirely at night
    expect(businessSeconds('2026-11-30T17:00:00Z', '2026-11-30T22:00:00Z', hours)).toBe(0);
    // no hours: wall clock; reversed: 0
    expect(businessSeconds('2026-11-30T17:00:00Z', '2026-11-30T22:00:00Z', null)).toBe(5 * 3600);
    expect(businessSeconds('2026-11-30T22:00:00Z', '2026-11-30T17:00:00Z', hours)).toBe(0);
  });

  it('is the inverse of the SLA clock (addSlaMinutes) for many starts and lengths', () => {
    for (let i = 0; i < 200; i++) {
      const start = new Date(Date.UTC(2026, 10, 1) + i * 3_517_000);
      const minutes = 1 + ((i * 37) % 3000);
      const due = addSlaMinutes(start, minutes, hours);
      expect(businessSeconds(start.toISOString(), due.toISOString(), hours)).toBeCloseTo(minutes * 60, 3);
    }
  });
});

describe('experience score', () => {
  const sums = (o: Partial<Record<FeedbackKind, [number, number]>>) => new Map(Object.entries(o).map(([k, [events, valueSum]]) => [k as FeedbackKind, { events, valueSum }]));

  it('EEX = Σ(Fₙ·Wₙ)/n with the weight of each kind, each term shown', () => {
    // followups: 100, 50, 0 → sum 150; resolved: 100, 100 → sum 200; reopened: 0
    const weights = { ...DEFAULT_EEX_WEIGHTS, reply_followup: 2, case_resolved: 0.5, case_reopened: 1 };
    const terms = eexTerms(sums({ reply_followup: [3, 150], case_resolved: [2, 200], case_reopened: [1, 0] }), weights);
    expect(terms).toEqual([
      { kind: 'reply_followup', events: 3, valueSum: 150, weight: 2, weighted: 300 },
      { kind: 'case_resolved', events: 2, valueSum: 200, weight: 0.5, weighted: 100 },
      { kind: 'case_reopened', events: 1, valueSum: 0, weight: 1, weighted: 0 },
    ]);
    expect(eexOf(terms)).toBeCloseTo((300 + 100 + 0) / 6, 10);
  });

  it('with every weight 1 it is the mean value; no events: null', () => {
    const terms = eexTerms(sums({ reply_followup: [4, 250] }), DEFAULT_EEX_WEIGHTS);
    expect(eexOf(terms)).toBe(62.5);
    expect(eexOf(eexTerms(new Map(), DEFAULT_EEX_WEIGHTS))).toBeNull();
  });
});

describe('the correction feedback kind', () => {
  const sums = (o: Partial<Record<FeedbackKind, [number, number]>>) => new Map(Object.entries(o).map(([k, [events, valueSum]]) => [k as FeedbackKind, { events, valueSum }]));
  const followUp = { mentionId: '6', kind: 'reply_followup' as const, value: 100, at: '2026-11-20T11:00:00Z', brand: 'Acme', network: 'x' };
  it('moves the event from its machine-read kind to correction, in the same period, brand and network: n unchanged', () => {
    const { takeBack, add } = correctionIncrements(followUp, 0);
    expect(takeBack).toEqual([{ at: followUp.at, dim: 'eex', value: 'triage_response|reply_followup|x', brand: 'Acme', network: 'x', metric: 'feedback', bucket: -1, n: 1, sum: 100 }]);
    expect(add).toEqual([{ at: followUp.at, dim: 'eex', value: 'triage_response|correction|x', brand: 'Acme', network: 'x', metric: 'feedback', bucket: -1, n: 1, sum: 0 }]);
    // a second correction revises the first; the same value again changes nothing
    const again = correctionIncrements({ ...followUp, kind: 'correction', value: 0 }, 50);
    expect(again.takeBack.map((i) => [i.value, i.sum])).toEqual([['triage_response|correction|x', 0]]);
    expect(again.add.map((i) => [i.value, i.sum])).toEqual([['triage_response|correction|x', 50]]);
    expect(correctionIncrements({ ...followUp, kind: 'correction', value: 50 }, 50)).toEqual({ takeBack: [], add: [] });
  });

  it('is a triage_response term with its own weight: EEX = Σ(Fₙ·Wₙ)/n over follow-ups and corrections', () => {
    expect(FEEDBACK_KINDS.correction).toBe('triage_response');
    expect(DEFAULT_EEX_WEIGHTS.correction).toBe(1);
    // 3 follow-ups (100, 50, 100) read by Hark, 1 corrected to 0; correction weighted 2
    const weights = { ...DEFAULT_EEX_WEIGHTS, correction: 2 };
    const terms = eexTerms(sums({ reply_followup: [3, 250], correction: [1, 0] }), weights);
    expect(terms.map((t) => [t.kind, t.weighted])).toEqual([['reply_followup', 250], ['correction', 0]]);
    expect(eexOf(terms)).toBe(62.5);
    // a correction to positive at weight 2: (250 + 200) / 4
    expect(eexOf(eexTerms(sums({ reply_followup: [3, 250], correction: [1, 100] }), weights))).toBe(112.5);
    // weights saved before the kind existed still parse, with its default
    expect(EexWeightsSchema.parse({ reply_followup: 1, case_resolved: 1, case_reopened: 1 })).toEqual(DEFAULT_EEX_WEIGHTS);
    expect(EexWeightsSchema.safeParse({ ...DEFAULT_EEX_WEIGHTS, correction: 11 }).error?.issues[0]?.message).toBe('correction: at most 10');
  });
});

describe('rollup rows and ranges', () => {
  it('a volume increment becomes hour, day and week rows in four slices; response ones have no hour rows', () => {
    const rows = expandIncrement({ at: '2026-11-20T10:15:00Z', dim: 'sentiment', value: 'negative', brand: 'Acme', network: 'x', metric: 'mentions', bucket: -1, n: 1, sum: 0 });
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => `${r.grain}:${r.brand}:${r.network}`)).size).toBe(12);
    expect(rows.filter((r) => r.grain === 'hour').every((r) => r.period === Date.parse('2026-11-20T10:00:00Z'))).toBe(true);
    // 2026-11-20 is a Friday: its week starts on Monday the 16th
    expect(rows.filter((r) => r.grain === 'week').every((r) => r.period === Date.parse('2026-11-16T00:00:00Z'))).toBe(true);
    expect(expandIncrement({ ...rows[0]!, bucket: -1, at: '2026-11-20T10:15:00Z', dim: 'resp.team' }).map((r) => r.grain).sort()).toEqual(['day', 'day', 'day', 'day', 'week', 'week', 'week', 'week']);
  });

  it('a batch is the sum of its increments\' expanded rows, each under its rowKey', () => {
    const at = ['2026-11-20T10:15:00Z', '2026-11-20T23:59:59Z', '2026-11-23T00:00:00Z'];
    const incs = at.flatMap((t, i) => [
      { at: t, dim: 'sentiment' as const, value: 'negative', brand: 'Acme', network: 'x', metric: 'mentions', bucket: -1, n: 1, sum: -0.5 },
      { at: t, dim: 'resp.team' as const, value: 'care', brand: i === 2 ? ALL : 'Acme', network: i === 1 ? ALL : 'reddit', metric: 'frt_wall', bucket: 10 + i, n: 1, sum: 30 },
      { at: t, dim: 'neg.topic' as const, value: 'lost bag', brand: 'Nimbus', network: 'x', metric: 'mentions', bucket: -1, n: 2, sum: 0 },
    ]);
    const expected = new Map<string, { n: number; sum: number; hist: Record<string, number> | null }>();
    for (const r of incs.flatMap((inc) => expandIncrement(inc))) {
      const e = expected.get(rowKey(r)) ?? { n: 0, sum: 0, hist: null };
      e.n += r.n;
      e.sum += r.sum;
      e.hist = addHistogram(e.hist, r.hist);
      expected.set(rowKey(r), e);
    }
    const got = aggregateIncrements(incs);
    expect(got.map(rowKey).sort()).toEqual([...expected.keys()].sort());
    for (const row of got) expect({ n: row.n, sum: row.sum, hist: row.hist }).toEqual(expected.get(rowKey(row)));
  });

  it('a histogram is one row per key: a batch sums its buckets into it, plain metrics carry none', () => {
    const base = { at: '2026-11-20T10:15:00Z', dim: 'resp.team' as const, value: 'care', brand: 'Acme', network: 'x', metric: 'frt_wall', n: 1, sum: 60 };
    const rows = aggregateIncrements([{ ...base, bucket: 20 }, { ...base, bucket: 20 }, { ...base, bucket: 31 }, { ...base, metric: 'responded', bucket: -1, sum: 0 }]);
    // 2 metrics × (day, week) × 4 slices
    expect(rows).toHaveLength(16);
    const frt = rows.filter((r) => r.metric === 'frt_wall');
    expect(frt.every((r) => r.n === 3 && r.sum === 180 && JSON.stringify(r.hist) === JSON.stringify({ 20: 2, 31: 1 }))).toBe(true);
    expect(rows.filter((r) => r.metric === 'responded').every((r) => r.hist === null)).toBe(true);
    expect(percentileOf({ 20: 2, 31: 1 }, 0.5)).toBeCloseTo(percentileOf(new Map([[20, 2], [31, 1]]), 0.5)!, 10);
  });

  it('long ranges read whole days, whole weeks inside from week rows; volume series read one grain', () => {
    const show = (sp: ReturnType<typeof spansFor>) => sp.map((s) => [s.grain, new Date(s.from).toISOString().slice(0, 10), new Date(s.to).toISOString().slice(0, 10)]);
    // Wed 2026-11-04 10:00 → Tue 2026-11-24 08:00
    const q = { from: '2026-11-04T10:00:00Z', to: '2026-11-24T08:00:00Z' };
    expect(show(spansFor('resp.team', q))).toEqual([
      ['day', '2026-11-04', '2026-11-09'],
      ['week', '2026-11-09', '2026-11-23'],
      ['day', '2026-11-23', '2026-11-25'],
    ]);
    expect(show(spansFor('sentiment', q, 'day'))).toEqual([['day', '2026-11-04', '2026-11-25']]);
    expect(spansFor('sentiment', { from: '2026-11-04T10:30:00Z', to: '2026-11-05T10:00:00Z' }, 'hour').map((s) => s.grain)).toEqual(['hour']);
    // a short range of a dimension without hour rows: whole days
    expect(show(spansFor('resp.team', { from: '2026-11-04T10:30:00Z', to: '2026-11-05T10:00:00Z' }))).toEqual([['day', '2026-11-04', '2026-11-06']]);
    // negative topics keep no week rows: every day is read from day rows
    expect(show(spansFor('neg.topic', q))).toEqual([['day', '2026-11-04', '2026-11-25']]);
  });

  it('a negative topic becomes day rows only, in four slices', () => {
    const rows = expandIncrement({ at: '2026-11-20T10:15:00Z', dim: 'neg.topic', value: 'lost bag', brand: 'Acme', network: 'x', metric: 'mentions', bucket: -1, n: 1, sum: 0 });
    expect(rows.map((r) => r.grain)).toEqual(['day', 'day', 'day', 'day']);
  });

  it('a range reads whole days from day rows and the ends from hour rows', () => {
    expect(spansOf('2026-11-01T05:30:00Z', '2026-11-04T02:00:00Z').map((s) => [s.grain, new Date(s.from).toISOString(), new Date(s.to).toISOString()])).toEqual([
      ['hour', '2026-11-01T05:00:00.000Z', '2026-11-02T00:00:00.000Z'],
      ['day', '2026-11-02T00:00:00.000Z', '2026-11-04T00:00:00.000Z'],
      ['hour', '2026-11-04T00:00:00.000Z', '2026-11-04T02:00:00.000Z'],
    ]);
    expect(spansOf('2026-11-01T05:00:00Z', '2026-11-01T09:10:00Z').map((s) => s.grain)).toEqual(['hour']);
  });

  it('query: bad dates and reversed ranges name the field; CSV fields are quoted and defused', () => {
    const bad = ReportQuerySchema.safeParse({ from: 'yesterday', to: '2026-11-02T00:00:00Z' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['from']);
    const rev = ReportQuerySchema.safeParse({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' });
    expect(rev.error!.issues[0]!.path).toEqual(['to']);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('=cmd()')).toBe("'=cmd()");
    expect(csvField(0.33333333)).toBe('0.3333');
    expect(csvField(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n');
  });
});
