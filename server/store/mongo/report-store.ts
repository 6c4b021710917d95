import { ALL, aggregateIncrements, rowKey, type ReportIncrement, type ReportRow } from '../../../shared/reports.js';
import type { FeedbackWait, ReportStore } from '../../../shared/store.js';
import { type BulkOp, type Doc, type MongoDb } from './db.js';
import { guard } from './errors.js';

/**
 * The upserts that add increments to the rollup documents (one per hour or day
 * row, `_id` its key, `$inc` on n and sum). With `token`, each row is changed
 * at most once per token (the mention insert's idempotent rollup step: a retry
 * after a crash adds nothing twice).
 */
export function reportOps(increments: Iterable<ReportIncrement>, token?: string): BulkOp[] {
  const ops: BulkOp[] = [];
  for (const r of aggregateIncrements(increments).values()) {
    const _id = rowKey(r);
    const fields = { grain: r.grain, dim: r.dim, brand: r.brand, network: r.network, period: r.period, value: r.value, metric: r.metric, bucket: r.bucket };
    if (!token) {
      ops.push({ updateOne: { filter: { _id } as Doc, update: { $setOnInsert: fields, $inc: { n: r.n, sum: r.sum } }, upsert: true } });
      continue;
    }
    ops.push({ updateOne: { filter: { _id } as Doc, update: { $setOnInsert: { ...fields, n: 0, sum: 0, applied: [] } }, upsert: true } });
    ops.push({ updateOne: { filter: { _id, applied: { $ne: token } } as Doc, update: { $inc: { n: r.n, sum: r.sum }, $push: { applied: { $each: [token], $slice: -200 } } as Doc } } });
  }
  return ops;
}

export function reportStore(db: MongoDb): ReportStore {
  const rollups = db.col('report_rollups');
  const waits = db.col('feedback_waits');
  return {
    async add({ increments }) {
      const ops = reportOps(increments);
      if (ops.length) await guard('report rollup', () => rollups.bulkWrite(ops, { ordered: false }));
    },
    async forget({ increments }) {
      const rows = [...aggregateIncrements(increments).values()];
      if (rows.length === 0) return;
      await guard('report rollup', () => rollups.bulkWrite(rows.map((r) => ({ updateOne: { filter: { _id: rowKey(r) } as Doc, update: { $inc: { n: -r.n, sum: -r.sum } } } })), { ordered: true }));
      await guard('report rollup', () => rollups.deleteMany({ _id: { $in: rows.map((r) => rowKey(r)) }, n: { $lte: 0 } } as Doc));
    },
    async sum({ grain, dim, from, to, brands, network, byPeriod, metrics }) {
      const filter: Doc = { grain, dim, brand: { $in: brands ?? [ALL] }, network: network ?? ALL, period: { $gte: Date.parse(from), $lt: Date.parse(to) } };
      if (metrics?.length) filter.metric = { $in: metrics };
      const docs = await guard('report rollup', () => rollups.find(filter, { projection: { applied: 0 } }).toArray());
      const out = new Map<string, ReportRow>();
      for (const d of docs) {
        const period = byPeriod ? new Date(d.period as number).toISOString() : null;
        const k = [period, d.brand, d.value, d.metric, d.bucket].join('\u0001');
        const have = out.get(k);
        if (have) {
          have.n += d.n as number;
          have.sum += d.sum as number;
        } else out.set(k, { period, brand: d.brand as string, value: d.value as string, metric: d.metric as string, bucket: d.bucket as number, n: d.n as number, sum: d.sum as number });
      }
      return [...out.values()];
    },
    async awaitFeedback({ wait }) {
      const t = Date.parse(wait.repliedAt);
      // A later reply replaces an earlier one; an older one arriving late changes nothing.
      await guard('feedback', async () => {
        const r = await waits.updateOne({ _id: wait.key, t: { $lte: t } } as Doc, { $set: { t, doc: wait } });
        if (r.matchedCount === 0) {
          try {
            await waits.insertOne({ _id: wait.key, t, doc: wait } as Doc);
          } catch (e) {
            if ((e as { code?: number }).code !== 11000) throw e;
          }
        }
      });
    },
    async takeFeedback({ keys, since }) {
      const out: FeedbackWait[] = [];
      const t = Date.parse(since);
      // One read finds the few authors who were replied to; only those are taken, one by one, so each goes to one taker.
      const present = await guard('feedback', () => waits.find({ _id: { $in: [...new Set(keys)] }, t: { $gte: t } } as Doc, { projection: { _id: 1 } }).toArray());
      for (const key of present.map((d) => d._id as unknown as string)) {
        const d = await guard('feedback', () => waits.findOneAndDelete({ _id: key, t: { $gte: t } } as Doc));
        if (d) out.push(d.doc as FeedbackWait);
      }
      return out;
    },
  };
}
