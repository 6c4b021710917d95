import type { Customer } from '../../../shared/customer.js';
import type { CustomerStore } from '../../../shared/store.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Doc } from './db.js';
import { pageById, type docCollection } from './doc-collection.js';
import { guard } from './errors.js';

/**
 * CustomerStore.list: `_id` descending keyset over active customers. The
 * handle test reads the record's own identities (`doc.identities.handle`),
 * not the claim index, so a stale claim never lists a customer by a handle
 * it no longer has.
 */
export function listCustomers(t: ReturnType<typeof docCollection<Customer>>): CustomerStore['list'] {
  return ({ q, limit, cursor }) =>
    guard('customer', async () => {
      const filter: Doc = { mergedInto: null, pending: { $ne: true } };
      if (cursor) filter._id = { $lt: decodeCursor(cursor, ['number'])[0] as number };
      if (q) {
        const esc = q.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        filter.$or = [{ nameLower: new RegExp(esc) }, { 'doc.identities.handle': new RegExp(esc, 'i') }];
      }
      const rows = (await t.col.find(filter).sort({ _id: -1 }).limit(limit + 1).toArray()).map(t.toRecord);
      return pageById(rows, limit, (id) => encodeCursor([id]));
    });
}
