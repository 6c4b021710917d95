import type Database from 'better-sqlite3';
import type { NewMention } from '../../../shared/mention.js';
import type { WallBucket, WallRollupStore, WallSpan } from '../../../shared/store.js';
import type { Param, Prepare } from './prepare.js';

export const SPAN_MS: Record<WallSpan, number> = { minute: 60_000, hour: 3_600_000 };

/** Adds stored mentions to wall_buckets; called inside insertMany's transaction with exactly the mentions it stored. */
export function wallRollupWriter(db: Database.Database) {
  const bump = db.prepare(
    `INSERT INTO wall_buckets (span, start, brand, platform, lang, negative, neutral, positive, score_sum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (span, start, brand, platform, lang) DO UPDATE SET negative = negative + excluded.negative, neutral = neutral + excluded.neutral,
       positive = positive + excluded.positive, score_sum = score_sum + excluded.score_sum`,
  );
  return (mentions: readonly NewMention[]) => {
    const acc = new Map<string, { span: number; start: number; brand: string; platform: string; lang: string; negative: number; neutral: number; positive: number; scoreSum: number }>();
    for (const m of mentions) {
      if (!m.brand) continue;
      const t = Date.parse(m.createdAt);
      for (const span of [SPAN_MS.minute, SPAN_MS.hour]) {
        const start = Math.floor(t / span) * span;
        const key = `${span}\u0000${start}\u0000${m.brand}\u0000${m.platform}\u0000${m.lang}`;
        let b = acc.get(key);
        if (!b) acc.set(key, (b = { span, start, brand: m.brand, platform: m.platform, lang: m.lang, negative: 0, neutral: 0, positive: 0, scoreSum: 0 }));
        b[m.scores.sentiment.label]++;
        b.scoreSum += m.scores.sentiment.score;
      }
    }
    for (const b of acc.values()) bump.run(b.span, b.start, b.brand, b.platform, b.lang, b.negative, b.neutral, b.positive, b.scoreSum);
  };
}

const inList = (col: string, values: readonly string[] | undefined, params: Param[]) => {
  if (!values?.length) return '';
  params.push(...values);
  return ` AND ${col} IN (${values.map(() => '?').join(', ')})`;
};

export function wallRollupStore(prepare: Prepare): WallRollupStore {
  return {
    async series({ span, from, to, brands, platforms, langs }) {
      const ms = SPAN_MS[span];
      const params: Param[] = [ms, Math.floor(Date.parse(from) / ms) * ms, Date.parse(to)];
      const where = inList('brand', brands, params) + inList('platform', platforms, params) + inList('lang', langs, params);
      const rows = prepare(
        `SELECT brand, start, sum(negative) AS negative, sum(neutral) AS neutral, sum(positive) AS positive, sum(score_sum) AS score_sum
         FROM wall_buckets WHERE span = ? AND start >= ? AND start < ?${where} GROUP BY start, brand ORDER BY start, brand`,
      ).all(...params) as Array<{ brand: string; start: number; negative: number; neutral: number; positive: number; score_sum: number }>;
      return rows
        .filter((r) => r.negative + r.neutral + r.positive > 0)
        .map((r): WallBucket => ({ brand: r.brand, start: new Date(r.start).toISOString(), negative: r.negative, neutral: r.neutral, positive: r.positive, scoreSum: r.score_sum }));
    },
    async waiting({ cap }) {
      const n = prepare("SELECT count(*) AS n FROM (SELECT 1 FROM mentions WHERE status = 'new' LIMIT ?)").get(cap) as { n: number };
      const oldest = prepare("SELECT min(created_at) AS t FROM mentions WHERE status = 'new'").get() as { t: number | null };
      return { count: n.n, oldestAt: oldest.t === null ? null : new Date(oldest.t).toISOString() };
    },
  };
}
