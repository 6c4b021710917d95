import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/errors.js';
import type { Mention, NewMention } from '../../../shared/mention.js';
import { mentionKey } from '../../../shared/mention.js';
import { redactedMention } from '../../../shared/privacy.js';
import { DEFAULT_SEARCH_BOUNDS, type MentionPage, type MentionQuery, type SearchBounds } from '../../../shared/mention-query.js';
import type { InsertMentionsResult, MentionKey, MentionStore } from '../../../shared/store.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { type BulkOp, type Doc, isId, type MongoDb, ms } from './db.js';
import { guard, isDuplicateKey, translateMongoError } from './errors.js';
import { wallRollupOps } from './wall-rollup-store.js';
import { queryTokens, textTokens } from './text-tokens.js';
import { mentionIncrements } from '../report-increments.js';
import { reportOps } from './report-store.js';

/** A stored mention: the record under `doc`, the fields that are filtered and sorted on beside it. */
export interface MentionDoc {
  _id: number;
  platform: string;
  externalId: string;
  t: number;
  status: string;
  sentiment: string;
  priority: number;
  assignee: string | null;
  author: string;
  tokens: string[];
  redacted?: boolean;
  version: number;
  doc: Omit<Mention, 'id' | 'version'>;
  /** Set while the mention's counts are not yet in the rollups: the token of the call that inserted it. */
  rollup?: string;
}

const toMention = (d: MentionDoc): Mention => ({ ...d.doc, id: String(d._id), version: d.version, triage: { ...d.doc.triage, status: d.status as Mention['triage']['status'] } });

const indexed = (m: Omit<Mention, 'id' | 'version'>) => ({
  platform: m.platform,
  externalId: m.externalId,
  t: ms(m.createdAt),
  status: m.triage.status,
  sentiment: m.scores.sentiment.label,
  priority: m.scores.priority.score,
  assignee: m.triage.assignee,
  author: m.author.handle.toLowerCase(),
  tokens: textTokens(m.text),
  // Copied beside the record so the retention sweep finds the unredacted ones with a filter.
  redacted: m.redacted ? true : false,
});

/** The stored shape of a mention (also used by the migration from SQLite, which keeps ids). */
export const mentionDoc = (m: Mention): MentionDoc => {
  const { id, version, ...doc } = m;
  return { _id: Number(id), ...indexed(doc), version, doc };
};

export interface MentionStoreOptions {
  /** Pending rollups of another call are finished by this one only when older than this (that call may still be running). */
  rollupGraceMs: number;
  /** Work bounds of a text search. */
  search?: Partial<SearchBounds>;
}

export function mentionStore(db: MongoDb, opts: MentionStoreOptions): MentionStore & { repairRollups(): Promise<number> } {
  const mentions = db.col('mentions');
  const bounds: SearchBounds = { ...DEFAULT_SEARCH_BOUNDS, ...opts.search };
  const rollups = db.col('rollups');
  const brands = db.col('brand_minutes');
  const wall = db.col('wall_buckets');
  const reports = db.col('report_rollups');

  /**
   * Adds the mentions inserted under `token` to the rollups. Idempotent: each
   * per-minute document records the tokens already applied to it, and the $inc
   * only matches a document that has not seen this token. The set of mentions
   * under a token is fixed once its insertMany returned, so a retry adds the same
   * amounts or nothing.
   */
  async function applyRollup(token: string, docs: Array<Pick<MentionDoc, 't' | 'sentiment' | 'doc'>>) {
    const buckets = new Map<number, { negative: number; neutral: number; positive: number; scoreSum: number }>();
    const brandBuckets = new Map<string, { brand: string; minute: number; negative: number; total: number }>();
    for (const d of docs) {
      const minute = Math.floor(d.t / 60_000) * 60_000;
      let b = buckets.get(minute);
      if (!b) buckets.set(minute, (b = { negative: 0, neutral: 0, positive: 0, scoreSum: 0 }));
      b[d.sentiment as 'negative' | 'neutral' | 'positive']++;
      b.scoreSum += d.doc.scores.sentiment.score;
      const brand = d.doc.brand;
      if (brand) {
        const key = `${minute}\u0000${brand}`;
        const c = brandBuckets.get(key) ?? { brand, minute, negative: 0, total: 0 };
        c.total++;
        if (d.sentiment === 'negative') c.negative++;
        brandBuckets.set(key, c);
      }
    }
    const once = (filter: Doc, inc: Doc, insert: Doc): BulkOp[] => [
      { updateOne: { filter, update: { $setOnInsert: { ...insert, ...Object.fromEntries(Object.keys(inc).map((k) => [k, 0])), applied: [] } }, upsert: true } },
      { updateOne: { filter: { ...filter, applied: { $ne: token } }, update: { $inc: inc, $push: { applied: { $each: [token], $slice: -2000 } } as Doc } } },
    ];
    const ops = [...buckets].flatMap(([minute, b]) => once({ _id: minute }, b, { minute }));
    const brandOps = [...brandBuckets.values()].flatMap((c) => once({ _id: `${c.minute}:${c.brand}` }, { negative: c.negative, total: c.total }, { minute: c.minute, brand: c.brand }));
    if (ops.length) await rollups.bulkWrite(ops, { ordered: true });
    await db.step('rollups');
    if (brandOps.length) await brands.bulkWrite(brandOps, { ordered: true });
    await db.step('brand-rollups');
    const wallOps = wallRollupOps(token, docs);
    if (wallOps.length) await wall.bulkWrite(wallOps, { ordered: true });
    await db.step('wall-rollups');
    const reportRows = reportOps(mentionIncrements(docs.map((d) => ({ ...d.doc, id: '', version: 1 }))), token);
    if (reportRows.length) await reports.bulkWrite(reportRows, { ordered: true });
    await db.step('report-rollups');
    await mentions.updateMany({ rollup: token }, { $unset: { rollup: '' } });
  }

  const tokenAge = (token: string) => Date.now() - Number(token.split('@')[1] ?? 0);

  /** Finishes the rollups of calls that stopped between storing mentions and counting them. */
  async function finishPending(tokens: Iterable<string>) {
    let n = 0;
    for (const token of tokens) {
      const docs = (await mentions.find({ rollup: token }, { projection: { t: 1, sentiment: 1, doc: 1 } }).toArray()) as unknown as MentionDoc[];
      if (docs.length === 0) continue;
      await applyRollup(token, docs);
      n += docs.length;
    }
    return n;
  }

  const store: MentionStore & { repairRollups(): Promise<number> } = {
    async insertMany({ mentions: batch }): Promise<InsertMentionsResult> {
      if (batch.length === 0) return { inserted: [], duplicates: 0 };
      return guard('mention', async () => {
        // The first of several copies in one batch wins, as in one SQLite transaction.
        const seen = new Set<string>();
        const unique: NewMention[] = [];
        for (const m of batch) {
          const k = mentionKey(m);
          if (seen.has(k)) continue;
          seen.add(k);
          unique.push(m);
        }
        const token = `${randomBytes(8).toString('hex')}@${Date.now()}`;
        const first = await db.nextIds('mentions', unique.length);
        await db.step('ids');
        const docs: MentionDoc[] = unique.map((m, i) => {
          const full = { ...m, caseId: null };
          return { _id: first + i, ...indexed(full), version: 1, doc: full, rollup: token };
        });
        const failed = new Set<number>();
        try {
          await mentions.insertMany(docs as unknown as Doc[], { ordered: false });
        } catch (e) {
          // Only duplicates are expected; the test server's insertedCount is not reliable, so the write errors say which.
          const writeErrors = (e as { writeErrors?: Array<{ index: number }> | { index: number } }).writeErrors;
          const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
          if (!isDuplicateKey(e) || list.length === 0) throw e;
          for (const w of list as Array<{ index: number; code?: number; err?: { code?: number } }>) {
            if (!isDuplicateKey(w) && !isDuplicateKey(w.err)) throw e;
            failed.add(w.index);
          }
        }
        await db.step('inserted');
        const stored = docs.filter((_, i) => !failed.has(i));
        if (stored.length) await applyRollup(token, stored);
        if (failed.size) {
          // A duplicate may be a mention an earlier call stored but did not count (it stopped in between): finish that one.
          const dupKeys = docs.filter((_, i) => failed.has(i));
          const pending = await mentions
            .find({ $or: dupKeys.map((d) => ({ platform: d.platform, externalId: d.externalId })), rollup: { $exists: true } }, { projection: { rollup: 1 } })
            .toArray();
          const stale = new Set(pending.map((p) => p.rollup as string).filter((t) => tokenAge(t) >= opts.rollupGraceMs));
          await finishPending(stale);
        }
        return { inserted: stored.map(toMention), duplicates: batch.length - stored.length };
      });
    },

    async repairRollups() {
      const pending = await mentions.distinct('rollup', { rollup: { $exists: true } });
      return finishPending((pending as string[]).filter((t) => tokenAge(t) >= opts.rollupGraceMs));
    },

    async existingKeys({ keys }: { keys: MentionKey[] }) {
      const found = new Set<string>();
      const byPlatform = new Map<string, string[]>();
      for (const k of keys) byPlatform.set(k.platform, [...(byPlatform.get(k.platform) ?? []), k.externalId]);
      for (const [platform, ids] of byPlatform) {
        for (let i = 0; i < ids.length; i += 1000) {
          const rows = await guard('mention', () => mentions.find({ platform, externalId: { $in: ids.slice(i, i + 1000) } }, { projection: { platform: 1, externalId: 1 } }).toArray());
          for (const r of rows) found.add(mentionKey({ platform: r.platform as string, externalId: r.externalId as string }));
        }
      }
      return found;
    },

    async get({ id }) {
      if (!isId(id)) return null;
      const d = (await guard('mention', () => mentions.findOne({ _id: Number(id) } as Doc))) as MentionDoc | null;
      return d ? toMention(d) : null;
    },

    async list(q: MentionQuery): Promise<MentionPage> {
      const and = filterConditions(q);
      const from = q.cursor ? (decodeCursor(q.cursor, q.sort === 'priority' ? ['number', 'number', 'number'] : ['number', 'number']) as number[]) : null;
      const sort: Record<string, 1 | -1> = q.sort === 'priority' ? { priority: -1, t: -1, _id: -1 } : { t: -1, _id: -1 };
      const keyOf = (d: Pick<MentionDoc, 'priority' | 't' | '_id'>) => (q.sort === 'priority' ? [d.priority, d.t, d._id] : [d.t, d._id]);
      const all = (extra: Doc[]): Doc => {
        const parts = [...and, ...extra];
        return parts.length === 0 ? {} : parts.length === 1 ? parts[0]! : { $and: parts };
      };
      const cursorFilter = from ? [afterKey(q.sort, from)] : [];
      if (q.q) {
        const words = queryTokens(q.q);
        if (!words) throw new ValidationError('q must contain at least one letter or digit', { field: 'q' });
        const text = { tokens: { $all: words } };
        // The same plans as SQLite (server/store/sqlite/mention-search.ts): a word in many mentions is
        // found by walking the queue order; otherwise one indexed query, cut off at maxTimeMS.
        const n = await guard('mention', () => mentions.countDocuments(text, { limit: bounds.commonMatches, maxTimeMS: bounds.maxTimeMs }).catch((e: unknown) => (isTimeout(e) ? bounds.commonMatches : Promise.reject(e))));
        if (n < bounds.commonMatches) {
          try {
            return page(await mentions.find(all([text, ...cursorFilter]), { projection: { tokens: 0 }, maxTimeMS: bounds.maxTimeMs }).sort(sort).limit(q.limit + 1).toArray());
          } catch (e) {
            if (!isTimeout(e)) throw translateMongoError(e, 'mention');
          }
        }
        return guard('mention', () => walk(words));
      }
      return page(await guard('mention', () => mentions.find(all(cursorFilter), { projection: { tokens: 0 } }).sort(sort).limit(q.limit + 1).toArray()));

      function page(docs: Doc[]): MentionPage {
        const rows = docs as unknown as MentionDoc[];
        const more = rows.length > q.limit;
        const items = more ? rows.slice(0, q.limit) : rows;
        const last = items[items.length - 1];
        return { items: items.map(toMention), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
      }

      /** Reads the queue in order a chunk at a time, keeping mentions that have every word, up to the budget of examined mentions. */
      async function walk(words: string[]): Promise<MentionPage> {
        const hits: Array<Pick<MentionDoc, 'priority' | 't' | '_id'>> = [];
        let examined = 0;
        let lastKey = from;
        let exhausted = false;
        while (hits.length <= q.limit && examined < bounds.walkBudgetRows) {
          const chunk = Math.min(bounds.walkChunkRows, bounds.walkBudgetRows - examined);
          const rows = (await mentions
            .find(all(lastKey ? [afterKey(q.sort, lastKey)] : []), { projection: { _id: 1, priority: 1, t: 1, tokens: 1 }, maxTimeMS: bounds.maxTimeMs })
            .sort(sort)
            .limit(chunk)
            .toArray()) as unknown as Array<Pick<MentionDoc, 'priority' | 't' | '_id' | 'tokens'>>;
          for (const r of rows) {
            examined++;
            lastKey = keyOf(r);
            if (words.every((w) => r.tokens.includes(w)) && hits.push(r) > q.limit) break;
          }
          if (rows.length < chunk) {
            exhausted = true;
            break;
          }
        }
        const more = hits.length > q.limit;
        const kept = more ? hits.slice(0, q.limit) : hits;
        const docs = kept.length ? ((await mentions.find({ _id: { $in: kept.map((h) => h._id) } } as Doc, { projection: { tokens: 0 } }).toArray()) as unknown as MentionDoc[]) : [];
        const byId = new Map(docs.map((d) => [d._id, d]));
        const items = kept.flatMap((h) => {
          const d = byId.get(h._id);
          return d ? [toMention(d)] : [];
        });
        const last = kept[kept.length - 1];
        if (more && last) return { items, nextCursor: encodeCursor(keyOf(last)) };
        if (exhausted || !lastKey) return { items, nextCursor: null };
        return { items, nextCursor: encodeCursor(lastKey), partial: true };
      }
    },

    async count() {
      return guard('mention', () => mentions.countDocuments({}));
    },

    async countMatching({ filters, cap }) {
      const and = filterConditions(filters);
      if (filters.q) {
        const words = queryTokens(filters.q);
        if (!words) throw new ValidationError('q must contain at least one letter or digit', { field: 'q' });
        and.push({ tokens: { $all: words } });
      }
      const filter = and.length === 0 ? {} : and.length === 1 ? and[0]! : { $and: and };
      // The limit stops the count at cap + 1 matches: a broad view costs no more than the cap.
      const n = await guard('mention', () => mentions.countDocuments(filter, { limit: cap + 1 }));
      return { n: Math.min(n, cap), more: n > cap };
    },

    async getMany({ ids }) {
      const numeric = ids.filter(isId).slice(0, 1000);
      if (numeric.length === 0) return [];
      const rows = (await guard('mention', () => mentions.find({ _id: { $in: numeric.map(Number) } } as Doc).toArray())) as unknown as MentionDoc[];
      const byId = new Map(rows.map((r) => [String(r._id), toMention(r)]));
      return numeric.flatMap((id) => byId.get(id) ?? []);
    },

    async replace({ mention, expectedVersion }) {
      const { id, version: _v, ...doc } = mention;
      if (!isId(id)) throw new NotFoundError(`No mention with id ${id}`);
      const { platform: _p, externalId: _e, ...fields } = indexed(doc);
      const res = await guard('mention', () => mentions.updateOne({ _id: Number(id), version: expectedVersion } as Doc, { $set: { ...fields, version: expectedVersion + 1, doc } }));
      if (res.matchedCount === 0) {
        const current = await mentions.findOne({ _id: Number(id) } as Doc, { projection: { version: 1 } });
        if (!current) throw new NotFoundError(`No mention with id ${id}`);
        throw new ConflictError(`Mention ${id} changed since version ${expectedVersion}`, { currentVersion: current.version as number });
      }
      return { ...mention, version: expectedVersion + 1 };
    },

    /**
     * Each mention is one compare-and-set of its document: the record, the
     * author field and the words (the text index) change in the same write,
     * so a redacted mention vanishes from search and author history at once.
     * A concurrent change makes it re-read and try again.
     */
    async redact({ ids, at, reason }) {
      const numeric = [...new Set(ids.filter(isId))].slice(0, 1000);
      const out: Mention[] = [];
      for (const id of numeric) {
        for (let attempt = 0; ; attempt++) {
          const d = (await guard('mention', () => mentions.findOne({ _id: Number(id) } as Doc))) as MentionDoc | null;
          if (!d || d.redacted || d.doc.redacted) break;
          const m = toMention(d);
          const next = redactedMention(m, at, reason);
          try {
            out.push(await store.replace({ mention: next, expectedVersion: m.version }));
            break;
          } catch (e) {
            if (!(e instanceof ConflictError) || attempt >= 5) throw e;
          }
        }
      }
      return out;
    },

    async unredactedBefore({ before, limit }) {
      // Walks by_recent backwards (oldest first); redacted ones are skipped as residual matches.
      const rows = await guard('mention', () =>
        mentions.find({ t: { $lt: ms(before) }, redacted: { $ne: true } }, { projection: { _id: 1 } }).sort({ t: 1, _id: 1 }).limit(Math.max(1, Math.min(5000, limit))).toArray(),
      );
      return rows.map((r) => String(r._id));
    },

    async byAuthor({ platform, handle, limit, before }) {
      const filter: Doc = { platform, author: handle.toLowerCase() };
      if (before) {
        const t = ms(before.createdAt);
        filter.$or = [{ t: { $lt: t } }, { t, _id: { $lt: Number(before.id) } }];
      }
      const rows = (await guard('mention', () => mentions.find(filter, { projection: { tokens: 0 } }).sort({ t: -1, _id: -1 }).limit(limit).toArray())) as unknown as MentionDoc[];
      return rows.map(toMention);
    },
  };
  return store;
}


/** Mentions strictly after a sort key in queue order. */
function afterKey(sort: MentionQuery['sort'], key: number[]): Doc {
  if (sort === 'priority') {
    const [p, t, id] = key;
    return { $or: [{ priority: { $lt: p } }, { priority: p, t: { $lt: t } }, { priority: p, t, _id: { $lt: id } }] };
  }
  const [t, id] = key;
  return { $or: [{ t: { $lt: t } }, { t, _id: { $lt: id } }] };
}

/** MongoDB's "operation exceeded time limit" (maxTimeMS). */
const isTimeout = (e: unknown) => {
  const err = e as { code?: unknown; codeName?: unknown };
  return err?.code === 50 || err?.codeName === 'MaxTimeMSExpired';
};

/** The queue's filters but search and cursor, as MongoDB conditions (list and countMatching share them). */
function filterConditions(q: Omit<MentionQuery, 'limit' | 'cursor' | 'sort'>): Doc[] {
  const and: Doc[] = [];
  if (q.status) and.push({ status: q.status.length === 1 ? q.status[0] : { $in: q.status } });
  if (q.platform) and.push({ platform: { $in: q.platform } });
  if (q.sentiment) and.push({ sentiment: { $in: q.sentiment } });
  if (q.brand) and.push({ 'doc.brand': { $in: q.brand } });
  if (q.lang) and.push({ 'doc.lang': { $in: q.lang } });
  if (q.intent) and.push({ 'doc.scores.intent.label': { $in: q.intent } });
  if (q.tag !== undefined) and.push({ 'doc.triage.tags': q.tag });
  if (q.team !== undefined) and.push({ 'doc.triage.team': q.team === 'none' ? null : q.team });
  if (q.priorityMin !== undefined || q.priorityMax !== undefined) {
    and.push({ priority: { ...(q.priorityMin !== undefined ? { $gte: q.priorityMin } : {}), ...(q.priorityMax !== undefined ? { $lte: q.priorityMax } : {}) } });
  }
  if (q.assignee !== undefined) and.push({ assignee: q.assignee === 'none' ? null : q.assignee });
  if (q.since || q.until) and.push({ t: { ...(q.since ? { $gte: ms(q.since) } : {}), ...(q.until ? { $lt: ms(q.until) } : {}) } });
  return and;
}
