import type { Customer } from '../../../shared/customer.js';
import type { CustomerStore } from '../../../shared/store.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Prepare } from './prepare.js';

/**
 * CustomerStore.list: keyset on the primary key, newest first. A contains-match
 * cannot use an index (neither could `search`); the scan stops once `limit` + 1
 * rows matched, and the handle test is an indexed lookup per candidate row.
 */
export function listCustomers(prepare: Prepare): CustomerStore['list'] {
  return async ({ q, limit, cursor }) => {
    const before = cursor ? (decodeCursor(cursor, ['number'])[0] as number) : null;
    const like = q ? `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
    const rows = prepare(
      `SELECT id, version, doc FROM customers c
       WHERE merged_into IS NULL
         AND (? IS NULL OR id < ?)
         AND (? IS NULL OR name_lower LIKE ? ESCAPE '\\'
              OR EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id AND i.handle_lower LIKE ? ESCAPE '\\'))
       ORDER BY id DESC LIMIT ?`,
    ).all(before, before, like, like, like, limit + 1) as Array<{ id: number; version: number; doc: string }>;
    const items = rows.slice(0, limit).map((r) => ({ ...(JSON.parse(r.doc) as Omit<Customer, 'id' | 'version'>), id: String(r.id), version: r.version }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([Number(last.id)]) : null };
  };
}
