import type { Mention } from '../../../shared/mention.js';
import type { WallBucket, WallRollupStore, WallSpan } from '../../../shared/store.js';
import type { BulkOp, Doc, MongoDb } from './db.js';
import { guard } from './errors.js';

const SPAN_MS: Record<WallSpan, number> = { minute: 60_000, hour: 3_600_000 };

type Counted = { t: number; doc: Pick<Omit<Mention, 'id' | 'version'>, 'brand' | 'platform' | 'lang' | 'scores'> };

/**
 * The wall_buckets writes for the mentions stored under `token`, in the same
 * once-per-token form as the other roll-ups (the $inc only matches a document
 * that has not seen the token), so a retried or repaired write counts nothing twice.
 */
export function wallRollupOps(token: string, docs: readonly Counted[]): BulkOp[] {
  const acc = new Map<string, { span: number; start: number; brand: string; platform: string; lang: string; negative: number; neutral: number; positive: number; scoreSum: number }>();
  for (const d of docs) {
    const brand = d.doc.brand;
    if (!brand) continue;
    for (const span of [SPAN_MS.minute, SPAN_MS.hour]) {
      const start = Math.floor(d.t / span) * span;
      const id = `${span}:${start}:${brand}\u0000${d.doc.platform}\u0000${d.doc.lang}`;
      let b = acc.get(id);
      if (!b) acc.set(id, (b = { span, start, brand, platform: d.doc.platform, lang: d.doc.lang, negative: 0, neutral: 0, positive: 0, scoreSum: 0 }));
      b[d.doc.scores.sentiment.label]++;
      b.scoreSum += d.doc.scores.sentiment.score;
    }
  }
  return [...acc].flatMap(([id, b]): BulkOp[] => [
    {
      updateOne: {
        filter: { _id: id } as Doc,
        update: { $setOnInsert: { span: b.span, start: b.start, brand: b.brand, platform: b.platform, lang: b.lang, negative: 0, neutral: 0, positive: 0, scoreSum: 0, applied: [] } },
        upsert: true,
      },
    },
    {
      updateOne: {
        filter: { _id: id, applied: { $ne: token } } as Doc,
        update: { $inc: { negative: b.negative, neutral: b.neutral, positive: b.positive, scoreSum: b.scoreSum }, $push: { applied: { $each: [token], $slice: -2000 } } } as Doc,
      },
    },
  ]);
}

export function wallRollupStore(db: MongoDb): WallRollupStore {
  const buckets = db.col('wall_buckets');
  const mentions = db.col('mentions');
  return {
    async series({ span, from, to, brands, platforms, langs }) {
      const msSpan = SPAN_MS[span];
      const filter: Doc = { span: msSpan, start: { $gte: Math.floor(Date.parse(from) / msSpan) * msSpan, $lt: Date.parse(to) } };
      if (brands?.length) filter.brand = { $in: brands };
      if (platforms?.length) filter.platform = { $in: platforms };
      if (langs?.length) filter.lang = { $in: langs };
      const rows = await guard('rollup', () => buckets.find(filter, { projection: { applied: 0 } }).toArray());
      // Summed here over networks and languages: the wire test server has no aggregation pipeline to rely on.
      const sum = new Map<string, WallBucket>();
      for (const r of rows) {
        const key = `${r.start as number}\u0000${r.brand as string}`;
        let b = sum.get(key);
        if (!b) sum.set(key, (b = { brand: r.brand as string, start: new Date(r.start as number).toISOString(), negative: 0, neutral: 0, positive: 0, scoreSum: 0 }));
        b.negative += r.negative as number;
        b.neutral += r.neutral as number;
        b.positive += r.positive as number;
        b.scoreSum += r.scoreSum as number;
      }
      return [...sum.values()].filter((b) => b.negative + b.neutral + b.positive > 0).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : 0));
    },
    async waiting({ cap }) {
      const ids = await guard('mention', () => mentions.find({ status: 'new' }, { projection: { _id: 1 } }).limit(cap).toArray());
      const oldest = await guard('mention', () => mentions.find({ status: 'new' }, { projection: { t: 1 } }).sort({ status: 1, t: 1, _id: 1 }).limit(1).toArray());
      return { count: ids.length, oldestAt: oldest[0] ? new Date(oldest[0].t as number).toISOString() : null };
    },
  };
}
