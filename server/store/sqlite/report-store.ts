import type Database from 'better-sqlite3';
import { addHistogram, ALL, aggregateIncrements, type FeedbackEvent, type FeedbackKind, type Histogram, type ReportIncrement, type ReportRow, type StoredRow } from '../../../shared/reports.js';
import type { FeedbackWait, ReportStore } from '../../../shared/store.js';
import { translateSqliteError } from './errors.js';
import type { Param, Prepare } from './prepare.js';

/**
 * Adds one histogram (JSON object) to another, bucket by bucket, inside the
 * upsert statement itself: SQLite runs the statement under the write lock, so
 * two processes adding to the same row never lose an increment (no read in
 * JavaScript, no read-modify-write across statements).
 */
const mergeHist = (other: string, sign: '+' | '-') =>
  `CASE WHEN ${other} IS NULL THEN report_rollups.hist ELSE (SELECT json_group_object(k, v) FROM (SELECT k, sum(v) AS v FROM (SELECT key AS k, value AS v FROM json_each(coalesce(report_rollups.hist, '{}')) UNION ALL SELECT key, ${sign === '+' ? '' : '-'}value FROM json_each(${other})) GROUP BY k HAVING sum(v) <> 0)) END`;

const KEY = 'grain, dim, brand, network, period, value, metric';
const histJson = (h: StoredRow['hist']) => (h ? JSON.stringify(h) : null);

/** Adds increments to the rollup rows; callable inside another transaction (the mention insert). */
export function reportWriter(prepare: Prepare) {
  return (increments: Iterable<ReportIncrement>) => {
    const upsert = prepare(
      `INSERT INTO report_rollups (${KEY}, n, sum, hist) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (${KEY}) DO UPDATE SET n = n + excluded.n, sum = sum + excluded.sum, hist = ${mergeHist('excluded.hist', '+')}`,
    );
    for (const r of aggregateIncrements(increments)) upsert.run(r.grain, r.dim, r.brand, r.network, r.period, r.value, r.metric, r.n, r.sum, histJson(r.hist));
  };
}

export function reportStore(db: Database.Database, prepare: Prepare): ReportStore {
  const write = reportWriter(prepare);
  const addTx = db.transaction((incs: ReportIncrement[]) => write(incs));
  const forgetTx = db.transaction((incs: ReportIncrement[]) => {
    const key = 'grain = @grain AND dim = @dim AND brand = @brand AND network = @network AND period = @period AND value = @value AND metric = @metric';
    const dec = prepare(`UPDATE report_rollups SET n = n - @n, sum = sum - @sum, hist = ${mergeHist('@hist', '-')} WHERE ${key}`);
    const drop = prepare(`DELETE FROM report_rollups WHERE ${key} AND n <= 0`);
    for (const r of aggregateIncrements(incs)) {
      const k = { grain: r.grain, dim: r.dim, brand: r.brand, network: r.network, period: r.period, value: r.value, metric: r.metric };
      dec.run({ ...k, n: r.n, sum: r.sum, hist: histJson(r.hist) });
      drop.run(k);
    }
  });
  const takeTx = db.transaction((keys: string[], since: number): FeedbackWait[] => {
    const out: FeedbackWait[] = [];
    const del = prepare('DELETE FROM feedback_waits WHERE key = ? AND replied_at >= ? RETURNING doc');
    for (const key of keys) {
      const row = del.get(key, since) as { doc: string } | undefined;
      if (row) out.push(JSON.parse(row.doc) as FeedbackWait);
    }
    return out;
  });
  // IMMEDIATE: the write lock is taken before the read, so two processes revising one event go one after the other.
  const reviseTx = db.transaction((mentionId: string, kind: FeedbackKind, value: number): FeedbackEvent | null => {
    const row = prepare('SELECT doc FROM feedback_events WHERE mention_id = ?').get(mentionId) as { doc: string } | undefined;
    if (!row) return null;
    const before = JSON.parse(row.doc) as FeedbackEvent;
    prepare('UPDATE feedback_events SET doc = ? WHERE mention_id = ?').run(JSON.stringify({ ...before, kind, value }), mentionId);
    return before;
  });
  return {
    async noteFeedback({ events }) {
      const ins = prepare('INSERT INTO feedback_events (mention_id, doc) VALUES (?, ?) ON CONFLICT (mention_id) DO NOTHING');
      try {
        db.transaction(() => {
          for (const e of events) ins.run(e.mentionId, JSON.stringify(e));
        })();
      } catch (e) {
        throw translateSqliteError(e, 'feedback');
      }
    },
    async reviseFeedback({ mentionId, kind, value }) {
      try {
        return reviseTx.immediate(mentionId, kind, value);
      } catch (e) {
        throw translateSqliteError(e, 'feedback');
      }
    },
    async add({ increments }) {
      if (increments.length === 0) return;
      try {
        addTx(increments);
      } catch (e) {
        throw translateSqliteError(e, 'report rollup');
      }
    },
    async forget({ increments }) {
      if (increments.length === 0) return;
      try {
        forgetTx(increments);
      } catch (e) {
        throw translateSqliteError(e, 'report rollup');
      }
    },
    async sum({ grain, dim, from, to, brands, network, byPeriod, metrics }) {
      const params: Param[] = [grain, dim];
      const brandList = brands ?? [ALL];
      const where = [`grain = ?`, `dim = ?`, `brand IN (${brandList.map(() => '?').join(',')})`, `network = ?`, `period >= ?`, `period < ?`];
      params.push(...brandList, network ?? ALL, Date.parse(from), Date.parse(to));
      if (metrics?.length) {
        where.push(`metric IN (${metrics.map(() => '?').join(',')})`);
        params.push(...metrics);
      }
      const keys = `${byPeriod ? 'period, ' : ''}brand, value, metric`;
      // Histograms come back as one JSON array of the selected rows' objects per group, summed here (a few rows per group).
      const rows = prepare(
        `SELECT ${byPeriod ? 'period' : 'NULL AS period'}, brand, value, metric, sum(n) AS n, sum(sum) AS s, json_group_array(json(hist)) FILTER (WHERE hist IS NOT NULL) AS hists FROM report_rollups WHERE ${where.join(' AND ')} GROUP BY ${keys}`,
      ).all(...params) as Array<{ period: number | null; brand: string; value: string; metric: string; n: number; s: number; hists: string | null }>;
      return rows.map((r): ReportRow => {
        let hist: Histogram | null = null;
        if (r.hists && r.hists !== '[]') for (const h of JSON.parse(r.hists) as Histogram[]) hist = addHistogram(hist, h);
        return { period: r.period === null ? null : new Date(r.period).toISOString(), brand: r.brand, value: r.value, metric: r.metric, n: r.n, sum: r.s, hist };
      });
    },
    async awaitFeedback({ wait }) {
      prepare('INSERT INTO feedback_waits (key, replied_at, doc) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET replied_at = excluded.replied_at, doc = excluded.doc WHERE excluded.replied_at >= feedback_waits.replied_at').run(
        wait.key,
        Date.parse(wait.repliedAt),
        JSON.stringify(wait),
      );
    },
    async takeFeedback({ keys, since }) {
      if (keys.length === 0) return [];
      return takeTx([...new Set(keys)], Date.parse(since));
    },
  };
}
