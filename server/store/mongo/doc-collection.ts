import { ConflictError, NotFoundError } from '../../../shared/errors.js';
import { type Col, type Doc, isId, type MongoDb } from './db.js';
import type { CollectionName } from './models.js';
import { guard } from './errors.js';

interface Versioned {
  id: string;
  version: number;
}
export type Fields<T> = (item: Omit<T, 'id' | 'version'>) => Doc;

/** The stored shape of a versioned record (also used by the migration from SQLite, which keeps ids). */
export const versionedDoc = <T extends Versioned>(fields: Fields<T>, record: T): Doc => {
  const { id, version, ...doc } = record;
  return { _id: Number(id), ...fields(doc as Omit<T, 'id' | 'version'>), version, doc };
};

/**
 * A collection of records with an integer `_id`, a `version` for
 * compare-and-set, the record under `doc`, and the fields it is queried by
 * copied beside it (like SQLite's doc tables, so both adapters agree on what
 * a query sees).
 */
export function docCollection<T extends Versioned>(db: MongoDb, name: CollectionName, what: string, fields: Fields<T> = () => ({})) {
  const col: Col = db.col(name);
  const toRecord = (d: Doc): T => ({ ...(d.doc as Omit<T, 'id' | 'version'>), id: String(d._id), version: d.version as number }) as T;

  return {
    col,
    toRecord,
    async insert(draft: Omit<T, 'id' | 'version'>, extra: Doc = {}, id?: number): Promise<T> {
      return guard(what, async () => {
        const _id = id ?? (await db.nextIds(name, 1));
        await col.insertOne({ _id, ...fields(draft), ...extra, version: 1, doc: draft } as Doc);
        return { ...draft, id: String(_id), version: 1 } as T;
      });
    },
    async get(id: string): Promise<T | null> {
      if (!isId(id)) return null;
      const d = await guard(what, () => col.findOne({ _id: Number(id) } as Doc));
      return d ? toRecord(d) : null;
    },
    async replace(item: T, expectedVersion: number, extra: Doc = {}): Promise<T> {
      const { id, version: _v, ...doc } = item;
      if (!isId(id)) throw new NotFoundError(`No ${what} with id ${id}`);
      const res = await guard(what, () =>
        col.updateOne({ _id: Number(id), version: expectedVersion } as Doc, { $set: { ...fields(doc as Omit<T, 'id' | 'version'>), ...extra, version: expectedVersion + 1, doc } }),
      );
      if (res.matchedCount === 0) {
        const current = await col.findOne({ _id: Number(id) } as Doc, { projection: { version: 1 } });
        if (!current) throw new NotFoundError(`No ${what} with id ${id}`);
        throw new ConflictError(`The ${what} changed since version ${expectedVersion}`, { currentVersion: current.version as number });
      }
      return { ...item, version: expectedVersion + 1 };
    },
    async delete(id: string): Promise<boolean> {
      if (!isId(id)) return false;
      const res = await guard(what, () => col.deleteOne({ _id: Number(id) } as Doc));
      return res.deletedCount > 0;
    },
    async query(filter: Doc, sort: Record<string, 1 | -1>, limit?: number): Promise<T[]> {
      return guard(what, async () => {
        let cursor = col.find(filter).sort(sort);
        if (limit !== undefined) cursor = cursor.limit(limit);
        return (await cursor.toArray()).map(toRecord);
      });
    },
  };
}

/** Keyset page on a descending integer id. */
export function pageById<T extends { id: string }>(rows: T[], limit: number, encode: (id: number) => string) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encode(Number(items[items.length - 1]!.id)) : null };
}
