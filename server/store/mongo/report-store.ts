import { addHistogram, ALL, aggregateIncrements, rowKey, type FeedbackEvent, type Histogram, type ReportIncrement, type ReportRow, type StoredRow } from '../../../shared/reports.js';
import type { FeedbackWait, ReportStore } from '../../../shared/store.js';
import { type BulkOp, type Col, type Doc, type MongoDb } from './db.js';
import { guard } from './errors.js';

/** `$inc` fields of a row: n, sum and, for a histogram, each bucket in place (`hist.<bucket>`: one atomic update, no read). */
const incOf = (r: Pick<StoredRow, 'n' | 'sum' | 'hist'>, sign = 1): Doc => {
  const inc: Doc = { n: sign * r.n, sum: sign * r.sum };
  for (const [b, k] of Object.entries(r.hist ?? {})) inc[`hist.${b}`] = sign * k;
  return inc;
};
const keyFields = (r: StoredRow) => ({ grain: r.grain, dim: r.dim, brand: r.brand, network: r.network, period: r.period, value: r.value, metric: r.metric });

/**
 * The upserts that add increments to the rollup documents (one per hour or day
 * row, `_id` its key, `$inc` on n, sum and the histogram's buckets). With `token`, each row is changed
 * at most once per token (the mention insert's idempotent rollup step: a retry
 * after a crash adds nothing twice).
 */
export function reportOps(increments: Iterable<ReportIncrement>, token?: string): BulkOp[] {
  const ops: BulkOp[] = [];
  for (const r of aggregateIncrements(increments)) {
    const _id = rowKey(r);
    const fields = keyFields(r);
    if (!token) {
      ops.push({ updateOne: { filter: { _id } as Doc, update: { $setOnInsert: fields, $inc: incOf(r) }, upsert: true } });
      continue;
    }
    ops.push({ updateOne: { filter: { _id } as Doc, update: { $setOnInsert: { ...fields, n: 0, sum: 0, applied: [] } }, upsert: true } });
    ops.push({ updateOne: { filter: { _id, applied: { $ne: token } } as Doc, update: { $inc: incOf(r), $push: { applied: { $each: [token], $slice: -200 } } as Doc } } });
  }
  return ops;
}

/** A stored document's histogram (a sub-document bucket → count; zero buckets left by a decrement are dropped). */
const histOf = (d: Doc): Histogram | null => {
  const h = d.hist as Histogram | undefined;
  if (!h) return null;
  const out: Histogram = {};
  for (const [k, v] of Object.entries(h)) if (v) out[k] = v;
  return out;
};

/**
 * Rows stored before histograms were one document each (a document per
 * bucket, `bucket` ≥ 0) are folded into the row's document: each old one is
 * added once (its `_id` goes into the target's `applied`, so two processes
 * upgrading together, or a re-run after a crash, add it once) and then removed.
 */
export async function foldBucketRows(rollups: Col): Promise<number> {
  let folded = 0;
  for (;;) {
    const old = await rollups.find({ bucket: { $gte: 0 } } as Doc).limit(1000).toArray();
    if (old.length === 0) return folded;
    for (const d of old) {
      const row = { grain: d.grain, dim: d.dim, brand: d.brand, network: d.network, period: d.period, value: d.value, metric: d.metric } as StoredRow;
      const _id = rowKey(row);
      const tag = `fold:${String(d._id)}`;
      await rollups.updateOne({ _id } as Doc, { $setOnInsert: { ...keyFields(row), n: 0, sum: 0, applied: [] } }, { upsert: true });
      await rollups.updateOne({ _id, applied: { $ne: tag } } as Doc, { $inc: incOf({ n: d.n as number, sum: d.sum as number, hist: { [String(d.bucket)]: d.n as number } }), $push: { applied: { $each: [tag], $slice: -400 } } as Doc });
      await rollups.deleteOne({ _id: d._id } as Doc);
      folded++;
    }
  }
}

export function reportStore(db: MongoDb): ReportStore {
  const rollups = db.col('report_rollups');
  const waits = db.col('feedback_waits');
  const events = db.col('feedback_events');
  return {
    async noteFeedback({ events: list }) {
      if (list.length === 0) return;
      await guard('feedback', () => events.bulkWrite(list.map((e) => ({ updateOne: { filter: { _id: e.mentionId } as Doc, update: { $setOnInsert: { doc: e } }, upsert: true } })), { ordered: false }));
    },
    async reviseFeedback({ mentionId, kind, value }) {
      // One findOneAndUpdate: the document as it was before this revision, changed in the same step.
      const d = await guard('feedback', () => events.findOneAndUpdate({ _id: mentionId } as Doc, { $set: { 'doc.kind': kind, 'doc.value': value } }, { returnDocument: 'before' }));
      return d ? (d.doc as FeedbackEvent) : null;
    },
    async add({ increments }) {
      const ops = reportOps(increments);
      if (ops.length) await guard('report rollup', () => rollups.bulkWrite(ops, { ordered: false }));
    },
    async forget({ increments }) {
      const rows = aggregateIncrements(increments);
      if (rows.length === 0) return;
      await guard('report rollup', () => rollups.bulkWrite(rows.map((r) => ({ updateOne: { filter: { _id: rowKey(r) } as Doc, update: { $inc: incOf(r, -1) } } })), { ordered: true }));
      await guard('report rollup', () => rollups.deleteMany({ _id: { $in: rows.map((r) => rowKey(r)) }, n: { $lte: 0 } } as Doc));
    },
    async sum({ grain, dim, from, to, brands, network, byPeriod, metrics }) {
      const filter: Doc = { grain, dim, brand: { $in: brands ?? [ALL] }, network: network ?? ALL, period: { $gte: Date.parse(from), $lt: Date.parse(to) } };
      if (metrics?.length) filter.metric = { $in: metrics };
      const docs = await guard('report rollup', () => rollups.find(filter, { projection: { applied: 0 } }).toArray());
      const out = new Map<string, ReportRow>();
      for (const d of docs) {
        const period = byPeriod ? new Date(d.period as number).toISOString() : null;
        const k = [period, d.brand, d.value, d.metric].join('\u0001');
        const have = out.get(k);
        if (have) {
          have.n += d.n as number;
          have.sum += d.sum as number;
          have.hist = addHistogram(have.hist, histOf(d));
        } else out.set(k, { period, brand: d.brand as string, value: d.value as string, metric: d.metric as string, n: d.n as number, sum: d.sum as number, hist: histOf(d) });
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
