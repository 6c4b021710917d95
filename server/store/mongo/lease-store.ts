import type { CounterStore, Lease, LeaseStore } from '../../../shared/store.js';
import type { Col, Doc, MongoDb } from './db.js';
import { guard, isDuplicateKey } from './errors.js';

interface LeaseDoc {
  _id: string;
  holder: string;
  acquiredAt: number;
  expiresAt: number;
  version: number;
}
const toLease = (d: LeaseDoc): Lease => ({ name: d._id, holder: d.holder, acquiredAt: new Date(d.acquiredAt).toISOString(), expiresAt: new Date(d.expiresAt).toISOString(), version: d.version });

/**
 * One document per lease (`_id` = name). Every change is one findOneAndUpdate
 * whose filter is the compare-and-set (mine, or expired); a lease that does
 * not exist yet is created by the upsert, and of two upserts racing for it the
 * unique `_id` lets one in: the other's duplicate-key error means "held".
 */
export function leaseStore(db: MongoDb): LeaseStore {
  const col = db.col('leases');
  /**
   * The lease is built from the document as it was before the write plus what
   * the write set (`returnDocument: 'before'`): the same as reading it after,
   * and immune to a server that returns a document another write already
   * changed (the wire test server does, under concurrency).
   */
  const update = async (filter: Doc, set: Omit<LeaseDoc, '_id' | 'version' | 'acquiredAt'> & { acquiredAt?: number }, upsert: boolean): Promise<Lease | null> => {
    try {
      const before = (await col.findOneAndUpdate(filter, { $set: set, $inc: { version: 1 } }, { upsert, returnDocument: 'before' })) as unknown as LeaseDoc | null;
      if (!before && !upsert) return null;
      const name = (filter as { _id: string })._id;
      return toLease({ _id: name, holder: set.holder, acquiredAt: set.acquiredAt ?? before!.acquiredAt, expiresAt: set.expiresAt, version: (before?.version ?? 0) + 1 });
    } catch (e) {
      if (upsert && isDuplicateKey(e)) return null;
      throw e;
    }
  };
  return {
    async acquire({ name, holder, ttlMs, now }) {
      return guard('lease', async () => {
        const at = Date.parse(now);
        // Already mine (live or not): a renewal, which keeps acquiredAt.
        const mine = await update({ _id: name, holder } as Doc, { holder, expiresAt: at + ttlMs }, false);
        if (mine) return mine;
        // Free (absent) or expired: taken over, version continuing.
        return update({ _id: name, expiresAt: { $lte: at } } as Doc, { holder, acquiredAt: at, expiresAt: at + ttlMs }, true);
      });
    },
    async renew({ name, holder, ttlMs, now }) {
      return guard('lease', () => update({ _id: name, holder } as Doc, { holder, expiresAt: Date.parse(now) + ttlMs }, false));
    },
    async release({ name, holder }) {
      return (await guard('lease', () => col.deleteOne({ _id: name, holder } as Doc))).deletedCount > 0;
    },
    async list({ prefix }) {
      const rows = await guard('lease', () => col.find({ _id: { $gte: prefix, $lt: `${prefix}\uffff` } } as Doc).sort({ _id: 1 }).toArray());
      return (rows as unknown as LeaseDoc[]).filter((r) => r._id.startsWith(prefix)).map(toLease);
    },
  };
}

/** Named counters live in `counters` beside the id sequences, under `counter:<name>`. */
export const counterId = (name: string) => `counter:${name}`;

/** Increments a named counter: one $inc on one document, so concurrent callers get distinct consecutive values. */
export async function nextCount(counters: Col, name: string, start: number): Promise<number> {
  const _id = counterId(name);
  try {
    // A new counter starts at `start`; a concurrent creator's insert wins and this one's duplicate is harmless.
    await counters.updateOne({ _id } as Doc, { $setOnInsert: { n: start } }, { upsert: true });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  // The value before the increment, plus one: what the increment made, even from a server that returns
  // an "after" document a concurrent increment already changed (the wire test server does).
  const before = await counters.findOneAndUpdate({ _id } as Doc, { $inc: { n: 1 } }, { returnDocument: 'before' });
  return (before!.n as number) + 1;
}

export function counterStore(db: MongoDb): CounterStore {
  const counters = db.col('counters');
  return {
    next: ({ name, start }) => guard('counter', () => nextCount(counters, name, start)),
  };
}
