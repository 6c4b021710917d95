import type { Case, SlaState } from '../../../shared/case.js';
import type { CaseQueueQuery, CaseQueueStore } from '../../../shared/store.js';
import type { Doc, MongoDb } from './db.js';
import { guard } from './errors.js';

type Filters = Omit<CaseQueueQuery, 'limit' | 'offset'>;

const DUE = 'doc.sla.nextDueAt';
const RISK = 'doc.sla.nextRiskAt';
const BREACHED = 'doc.sla.breached';

/** The same SLA states as the SQLite adapter's, on the stored due and at-risk instants. */
function stateFilter(s: SlaState, now: string): Doc {
  if (s === 'breached') return { $or: [{ [BREACHED]: { $not: { $size: 0 } } }, { [DUE]: { $ne: null, $lte: now } }] };
  if (s === 'at_risk') return { [BREACHED]: { $size: 0 }, [DUE]: { $ne: null, $gt: now }, [RISK]: { $ne: null, $lte: now } };
  return { [BREACHED]: { $size: 0 }, $or: [{ [DUE]: null }, { [DUE]: { $gt: now }, $or: [{ [RISK]: null }, { [RISK]: { $gt: now } }] }] };
}

function filter(q: Filters): Doc {
  const and: Doc[] = [];
  if (q.status?.length) and.push({ status: { $in: q.status } });
  if (q.priority?.length) and.push({ 'doc.priority': { $in: q.priority } });
  if (q.assignee === 'none') and.push({ assignee: null });
  else if (q.assignee) and.push({ assignee: q.assignee });
  if (q.team) and.push({ 'doc.team': q.team });
  if (q.brand) and.push({ 'doc.brand': q.brand });
  if (q.category) and.push({ 'doc.category': q.category });
  if (q.slaState) and.push(stateFilter(q.slaState, q.now));
  return and.length ? { $and: and } : {};
}

const toCase = (d: Doc): Case => ({ ...(d.doc as Omit<Case, 'id' | 'version'>), id: String(d._id), version: d.version as number });

export function caseQueueStore(db: MongoDb): CaseQueueStore {
  const col = db.col('cases');
  return {
    async page(q) {
      return guard('case', async () => {
        const base = filter(q);
        const offset = q.offset ?? 0;
        // Running clocks first (soonest due on top), then paused and finished cases newest first: two
        // ordered reads, because MongoDB sorts missing and null due times before the others.
        const running = { $and: [base, { [DUE]: { $ne: null } }] };
        const idle = { $and: [base, { [DUE]: null }] };
        const [nRunning, nIdle] = await Promise.all([col.countDocuments(running), col.countDocuments(idle)]);
        const items: Doc[] = [];
        if (offset < nRunning) items.push(...(await col.find(running).sort({ [DUE]: 1, _id: -1 }).skip(offset).limit(q.limit).toArray()));
        const left = q.limit - items.length;
        if (left > 0) items.push(...(await col.find(idle).sort({ _id: -1 }).skip(Math.max(0, offset - nRunning)).limit(left).toArray()));
        return { items: items.map(toCase), total: nRunning + nIdle };
      });
    },
    async counts(q) {
      return guard('case', async () => {
        const base = filter({ ...q, slaState: undefined });
        const n = (s: SlaState) => col.countDocuments({ $and: [base, stateFilter(s, q.now)] });
        const [on_track, at_risk, breached] = await Promise.all([n('on_track'), n('at_risk'), n('breached')]);
        return { on_track, at_risk, breached };
      });
    },
  };
}
