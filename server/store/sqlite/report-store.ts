import type Database from 'better-sqlite3';
import { ALL, aggregateIncrements, type ReportIncrement, type ReportRow } from '../../../shared/reports.js';
import type { FeedbackWait, ReportStore } from '../../../shared/store.js';
import { translateSqliteError } from './errors.js';
import type { Param, Prepare } from './prepare.js';

/** Adds increments to the rollup rows; callable inside another transaction (the mention insert). */
export function reportWriter(prepare: Prepare) {
  return (increments: Iterable<ReportIncrement>) => {
    const upsert = prepare(
      `INSERT INTO report_rollups (grain, dim, brand, network, period, value, metric, bucket, n, sum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (grain, dim, brand, network, period, value, metric, bucket) DO UPDATE SET n = n + excluded.n, sum = sum + excluded.sum`,
    );
    for (const r of aggregateIncrements(increments).values()) upsert.run(r.grain, r.dim, r.brand, r.network, r.period, r.value, r.metric, r.bucket, r.n, r.sum);
  };
}

export function reportStore(db: Database.Database, prepare: Prepare): ReportStore {
  const write = reportWriter(prepare);
  const addTx = db.transaction((incs: ReportIncrement[]) => write(incs));
  const forgetTx = db.transaction((incs: ReportIncrement[]) => {
    const key = 'grain = ? AND dim = ? AND brand = ? AND network = ? AND period = ? AND value = ? AND metric = ? AND bucket = ?';
    const dec = prepare(`UPDATE report_rollups SET n = n - ?, sum = sum - ? WHERE ${key}`);
    const drop = prepare(`DELETE FROM report_rollups WHERE ${key} AND n <= 0`);
    for (const r of aggregateIncrements(incs).values()) {
      const k = [r.grain, r.dim, r.brand, r.network, r.period, r.value, r.metric, r.bucket] as const;
      dec.run(r.n, r.sum, ...k);
      drop.run(...k);
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
  return {
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
      const keys = `${byPeriod ? 'period, ' : ''}brand, value, metric, bucket`;
      const rows = prepare(`SELECT ${byPeriod ? 'period' : 'NULL AS period'}, brand, value, metric, bucket, sum(n) AS n, sum(sum) AS s FROM report_rollups WHERE ${where.join(' AND ')} GROUP BY ${keys}`).all(...params) as Array<{
        period: number | null;
        brand: string;
        value: string;
        metric: string;
        bucket: number;
        n: number;
        s: number;
      }>;
      return rows.map((r): ReportRow => ({ period: r.period === null ? null : new Date(r.period).toISOString(), brand: r.brand, value: r.value, metric: r.metric, bucket: r.bucket, n: r.n, sum: r.s }));
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
