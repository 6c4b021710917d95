import type { AuditEvent } from '../../../shared/audit.js';
import type { Case, TimelineEvent } from '../../../shared/case.js';
import { ConflictError } from '../../../shared/errors.js';
import type { CannedResponse, Reply } from '../../../shared/reply.js';
import type { AuditStore, CannedResponseStore, CaseStore, Correction, CorrectionStore, ReplyStore, SettingsStore, TimelineStore } from '../../../shared/store.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { type Doc, isId, type MongoDb, ms } from './db.js';
import { docCollection, type Fields, pageById } from './doc-collection.js';
import { guard, isDuplicateKey } from './errors.js';
import { nextCount } from './lease-store.js';

const idCursor = (id: number) => encodeCursor([id]);
const beforeCursor = (cursor: string | undefined): Doc => (cursor ? { _id: { $lt: decodeCursor(cursor, ['number'])[0] as number } } : {});
const clamp = (n: number, max: number) => Math.max(1, Math.min(max, n));

/** Case numbers come from the `case` counter, starting after HK-1000, as in SQLite. */
export const CASE_NUMBER_BASE = 1000;
export const CASE_COUNTER = 'case';

export const CASE_FIELDS: Fields<Case> = (c) => ({ status: c.status, assignee: c.assignee, customerId: c.customerId, updatedAt: ms(c.updatedAt), number: Number(c.number.replace(/\D/g, '')) });
export const REPLY_FIELDS: Fields<Reply> = (r) => ({ idempotencyKey: r.idempotencyKey, mentionId: r.mentionId, state: r.state, leaseUntil: r.leaseUntil ? ms(r.leaseUntil) : null });
export const timelineDoc = (e: TimelineEvent): Doc => {
  const { id, ...event } = e;
  return { _id: Number(id), entityType: event.entityType, entityId: event.entityId, doc: event };
};
export const auditDoc = (e: AuditEvent): Doc => {
  const { id, ...event } = e;
  return { _id: Number(id), at: ms(event.at), actorId: event.actorId, entityType: event.entityType, entityId: event.entityId, doc: event };
};
export const correctionDoc = (c: Correction): Doc => {
  const { id, ...correction } = c;
  return { _id: Number(id), brand: correction.brand, kind: correction.kind, doc: correction };
};

export function caseStore(db: MongoDb): CaseStore {
  const t = docCollection<Case>(db, 'cases', 'case', CASE_FIELDS);
  return {
    async create({ draft }) {
      // The counter hands out each number once, whatever the number of processes creating cases.
      // Without a transaction the increment and the insert are two writes: an insert that fails leaves a gap, never a duplicate.
      const n = await guard('case', () => nextCount(db.col('counters'), CASE_COUNTER, CASE_NUMBER_BASE));
      return t.insert({ ...draft, number: `HK-${n}` });
    },
    get: ({ id }) => t.get(id),
    replace: ({ kase, expectedVersion }) => t.replace(kase, expectedVersion),
    async list({ status, assignee, customerId, limit, cursor }) {
      const filter: Doc = { ...beforeCursor(cursor) };
      if (status?.length) filter.status = status.length === 1 ? status[0] : { $in: status };
      if (assignee) filter.assignee = assignee;
      if (customerId) filter.customerId = customerId;
      return pageById(await t.query(filter, { _id: -1 }, limit + 1), limit, idCursor);
    },
    findByMention: ({ mentionId }) => t.query({ 'doc.mentionIds': mentionId }, { _id: 1 }, 50),
  };
}

export function timelineStore(db: MongoDb): TimelineStore {
  const col = db.col('timeline');
  return {
    async append({ event }) {
      return guard('timeline event', async () => {
        const _id = await db.nextIds('timeline', 1);
        await col.insertOne(timelineDoc({ ...event, id: String(_id) }));
        return { ...event, id: String(_id) };
      });
    },
    async list({ entityType, entityId }) {
      const rows = await guard('timeline event', () => col.find({ entityType, entityId }).sort({ _id: 1 }).toArray());
      return rows.map((r) => ({ ...(r.doc as Omit<TimelineEvent, 'id'>), id: String(r._id) }));
    },
    async redactText({ entityType, entityId }) {
      const res = await guard('timeline event', () =>
        col.updateMany({ entityType, entityId, 'doc.data.text': { $exists: true, $nin: ['', null] } }, { $set: { 'doc.data.text': '', 'doc.data.erased': true } }),
      );
      return res.modifiedCount;
    },
  };
}

export function replyStore(db: MongoDb): ReplyStore {
  const t = docCollection<Reply>(db, 'replies', 'reply with this idempotency key', REPLY_FIELDS);
  // Replies written before the outbox have no lease fields.
  const withLease = (r: Reply): Reply => Object.assign({ claimedBy: null, leaseUntil: null, attemptStartedAt: null, onUnverifiable: 'fail' }, r);
  return {
    create: ({ reply }) => t.insert(reply),
    async get({ id }) {
      const r = await t.get(id);
      return r ? withLease(r) : null;
    },
    async findByKey({ idempotencyKey }) {
      const r = (await t.query({ idempotencyKey }, { _id: 1 }, 1))[0];
      return r ? withLease(r) : null;
    },
    replace: ({ reply, expectedVersion }) => t.replace(reply, expectedVersion),
    listForMention: async ({ mentionId }) => (await t.query({ mentionId }, { _id: 1 })).map(withLease),
    listByState: async ({ state, limit }) => (await t.query({ state }, { _id: 1 }, clamp(limit, 1000))).map(withLease),
    // `leaseUntil: null` also matches replies stored before the field existed.
    listDue: async ({ now, limit }) => (await t.query({ state: 'queued', $or: [{ leaseUntil: null }, { leaseUntil: { $lte: ms(now) } }] }, { _id: 1 }, clamp(limit, 1000))).map(withLease),
  };
}

export function cannedResponseStore(db: MongoDb): CannedResponseStore {
  const t = docCollection<CannedResponse>(db, 'canned_responses', 'saved reply');
  return {
    list: () => t.query({}, { _id: 1 }),
    get: ({ id }) => t.get(id),
    create: ({ draft }) => t.insert(draft),
    replace: ({ item, expectedVersion }) => t.replace(item, expectedVersion),
    delete: ({ id }) => t.delete(id),
  };
}

export function auditStore(db: MongoDb): AuditStore {
  const col = db.col('audit');
  return {
    async append({ event }) {
      return guard('audit event', async () => {
        const _id = await db.nextIds('audit', 1);
        await col.insertOne(auditDoc({ ...event, id: String(_id) }));
        return { ...event, id: String(_id) };
      });
    },
    async list({ actorId, entityType, entityId, since, until, limit, cursor }) {
      const filter: Doc = { ...beforeCursor(cursor) };
      if (actorId) filter.actorId = actorId;
      if (entityType) filter.entityType = entityType;
      if (entityId) filter.entityId = entityId;
      if (since || until) filter.at = { ...(since ? { $gte: ms(since) } : {}), ...(until ? { $lt: ms(until) } : {}) };
      const rows = await guard('audit event', () => col.find(filter).sort({ _id: -1 }).limit(limit + 1).toArray());
      return pageById(
        rows.map((r) => ({ ...(r.doc as Omit<AuditEvent, 'id'>), id: String(r._id) })),
        limit,
        idCursor,
      );
    },
    async redactEntity({ entityType, entityId }) {
      return (await guard('audit event', () => col.updateMany({ entityType, entityId, 'doc.redacted': { $ne: true } }, { $set: REDACTED_AUDIT }))).modifiedCount;
    },
    async redactIds({ ids }) {
      const numeric = ids.filter(isId).map(Number);
      let n = 0;
      for (let i = 0; i < numeric.length; i += 1000) {
        const chunk = numeric.slice(i, i + 1000);
        n += (await guard('audit event', () => col.updateMany({ _id: { $in: chunk }, 'doc.redacted': { $ne: true } } as Doc, { $set: REDACTED_AUDIT }))).modifiedCount;
      }
      return n;
    },
  };
}

const REDACTED_AUDIT = { 'doc.before': null, 'doc.after': null, 'doc.redacted': true };

/** Values are kept as JSON text: settings hold free-form maps (cursors, credentials) whose keys may contain "." or "$". */
export function settingsStore(db: MongoDb): SettingsStore {
  const col = db.col('settings');
  return {
    async get<T>({ key }: { key: string }) {
      const r = await guard('setting', () => col.findOne({ _id: key } as Doc));
      return r ? { value: JSON.parse(r.value as string) as T, version: r.version as number } : null;
    },
    async keys({ prefix }) {
      const rows = await guard('setting', () => col.find({ _id: { $gte: prefix, $lt: `${prefix}\uffff` } } as Doc, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray());
      return rows.map((r) => r._id as unknown as string);
    },
    async set<T>({ key, value, expectedVersion }: { key: string; value: T; expectedVersion: number }) {
      const json = JSON.stringify(value);
      const conflict = () => new ConflictError(`Setting ${key} changed since version ${expectedVersion}`);
      if (expectedVersion === 0) {
        try {
          await col.insertOne({ _id: key, version: 1, value: json } as Doc);
        } catch (e) {
          if (isDuplicateKey(e)) throw conflict();
          throw e;
        }
      } else {
        const res = await guard('setting', () => col.updateOne({ _id: key, version: expectedVersion } as Doc, { $set: { value: json, version: expectedVersion + 1 } }));
        if (res.matchedCount === 0) throw conflict();
      }
      return { value, version: expectedVersion + 1 };
    },
  };
}

export function correctionStore(db: MongoDb): CorrectionStore {
  const col = db.col('corrections');
  return {
    async add({ correction }) {
      return guard('correction', async () => {
        const _id = await db.nextIds('corrections', 1);
        await col.insertOne(correctionDoc({ ...correction, id: String(_id) }));
        return { ...correction, id: String(_id) };
      });
    },
    async list({ brand, kind, afterId, limit }) {
      const filter: Doc = { _id: { $gt: Number(afterId ?? 0) || 0 } };
      if (brand !== undefined) filter.brand = brand;
      if (kind) filter.kind = kind;
      const rows = await guard('correction', () => col.find(filter).sort({ _id: 1 }).limit(clamp(limit, 100_000)).toArray());
      return rows.map((r) => ({ ...(r.doc as Omit<Correction, 'id'>), id: String(r._id) }));
    },
    async redactMentions({ mentionIds }) {
      let n = 0;
      for (let i = 0; i < mentionIds.length; i += 1000) {
        const chunk = mentionIds.slice(i, i + 1000);
        n += (await guard('correction', () => col.updateMany({ 'doc.mentionId': { $in: chunk }, 'doc.text': { $ne: '' } }, { $set: { 'doc.text': '' } }))).modifiedCount;
      }
      return n;
    },
  };
}
