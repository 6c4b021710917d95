import type { Case } from '../../../shared/case.js';
import type { InvestigationLink, InvestigationStore } from '../../../shared/store.js';
import type { Doc, MongoDb } from './db.js';
import { guard, isDuplicateKey } from './errors.js';

const HOUR = 3_600_000;

/** One document per link, `_id` "<case>:<mention>": the unique id is what makes a link happen once, whichever process writes it. */
export function investigationStore(db: MongoDb): InvestigationStore {
  const links = db.col('investigation_links');
  const cases = db.col('cases');
  const toLink = (d: Doc): InvestigationLink => ({ caseId: String(d.caseId), mentionId: String(d.mentionId), createdAt: new Date(d.t as number).toISOString(), sentiment: d.sentiment as InvestigationLink['sentiment'], linkedAt: new Date(d.linkedAt as number).toISOString() });
  return {
    async link({ caseId, mentions, at }) {
      if (mentions.length === 0) return 0;
      const docs = mentions.map((m) => ({ _id: `${caseId}:${m.mentionId}`, caseId: Number(caseId), mentionId: Number(m.mentionId), t: Date.parse(m.createdAt), sentiment: m.sentiment, linkedAt: Date.parse(at) }));
      const known = new Set((await guard('investigation', () => links.find({ _id: { $in: docs.map((d) => d._id) } } as Doc, { projection: { _id: 1 } }).toArray())).map((d) => String(d._id)));
      const fresh = docs.filter((d) => !known.has(d._id));
      if (fresh.length === 0) return 0;
      try {
        await links.insertMany(fresh as unknown as Doc[], { ordered: false });
        return fresh.length;
      } catch (e) {
        if (!isDuplicateKey(e)) return guard('investigation', () => Promise.reject(e));
        // Another writer linked some of them in between (unordered: the rest went in); what this call wrote carries its time.
        return guard('investigation', () => links.countDocuments({ _id: { $in: fresh.map((d) => d._id) }, linkedAt: Date.parse(at) } as Doc));
      }
    },
    async list({ caseId, limit, before }) {
      const filter: Doc = { caseId: Number(caseId) };
      if (before) {
        const t = Date.parse(before.createdAt);
        filter.$or = [{ t: { $lt: t } }, { t, mentionId: { $lt: Number(before.mentionId) } }];
      }
      const rows = await guard('investigation', () => links.find(filter).sort({ caseId: 1, t: -1, mentionId: -1 }).limit(limit).toArray());
      return rows.map(toLink);
    },
    async count({ caseId }) {
      return guard('investigation', () => links.countDocuments({ caseId: Number(caseId) }));
    },
    async series({ caseId }) {
      const rows = await guard('investigation', () => links.find({ caseId: Number(caseId) }, { projection: { t: 1, sentiment: 1 } }).toArray());
      const by = new Map<number, { negative: number; neutral: number; positive: number }>();
      for (const r of rows) {
        const h = Math.floor((r.t as number) / HOUR) * HOUR;
        const c = by.get(h) ?? by.set(h, { negative: 0, neutral: 0, positive: 0 }).get(h)!;
        c[r.sentiment as 'negative' | 'neutral' | 'positive']++;
      }
      return [...by].sort((a, b) => a[0] - b[0]).map(([start, c]) => ({ start: new Date(start).toISOString(), ...c }));
    },
    async openCases({ limit }) {
      const rows = await guard('case', () => cases.find({ status: { $in: ['open', 'pending'] }, 'doc.kind': 'investigation' }).sort({ _id: 1 }).limit(limit).toArray());
      return rows.map((d) => ({ ...(d.doc as Omit<Case, 'id' | 'version'>), id: String(d._id), version: d.version as number }));
    },
  };
}
