import type Database from 'better-sqlite3';
import { identityKey, type Customer } from '../../../shared/customer.js';
import type { AlertStore, CustomerStore, WebhookDeliveryStore } from '../../../shared/store.js';
import type { Alert } from '../../../shared/spikes.js';
import type { WebhookDelivery } from '../../../shared/webhook.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { docTable } from './doc-table.js';
import { listCustomers } from './customer-list.js';
import { translateSqliteError } from './errors.js';
import type { Param, Prepare } from './prepare.js';

export function webhookDeliveryStore(prepare: Prepare): WebhookDeliveryStore {
  const t = docTable<WebhookDelivery>(prepare, 'webhook_deliveries', 'delivery', [
    { name: 'webhook_id', value: (d) => d.webhookId },
    { name: 'event_id', value: (d) => d.eventId },
    { name: 'state', value: (d) => d.state },
    { name: 'next_attempt_at', value: (d) => (d.nextAttemptAt ? Date.parse(d.nextAttemptAt) : null) },
  ]);
  return {
    async enqueue({ delivery }) {
      try {
        return t.insert(delivery);
      } catch (e) {
        if ((e as { code?: string }).code === 'conflict') return null;
        throw e;
      }
    },
    async due({ now, limit }) {
      return t.query("state = 'pending' AND next_attempt_at <= ?", [Date.parse(now)], `ORDER BY next_attempt_at, id LIMIT ${Math.max(1, Math.min(500, limit))}`);
    },
    async get({ id }) {
      return t.get(id);
    },
    async replace({ delivery, expectedVersion }) {
      return t.replace(delivery, expectedVersion);
    },
    async list({ webhookId, limit, cursor }) {
      const where: string[] = [];
      const params: Param[] = [];
      if (webhookId) {
        where.push('webhook_id = ?');
        params.push(webhookId);
      }
      if (cursor) {
        where.push('id < ?');
        params.push(decodeCursor(cursor, ['number'])[0]!);
      }
      const rows = t.query(where.join(' AND '), params, `ORDER BY id DESC LIMIT ${limit + 1}`);
      const more = rows.length > limit;
      const items = more ? rows.slice(0, limit) : rows;
      return { items, nextCursor: more ? encodeCursor([Number(items[items.length - 1]!.id)]) : null };
    },
    async redactCase({ caseId, title }) {
      return prepare(
        `UPDATE webhook_deliveries SET version = version + 1, doc = json_set(doc, '$.payload.case.title', ?)
         WHERE json_extract(doc, '$.payload.case.id') = ? AND json_extract(doc, '$.payload.case.title') IS NOT ?`,
      ).run(title, caseId, title).changes;
    },
  };
}

export function customerStore(db: Database.Database, prepare: Prepare): CustomerStore {
  const t = docTable<Customer>(prepare, 'customers', 'customer', [
    { name: 'name_lower', value: (c) => c.name.toLowerCase() },
    { name: 'merged_into', value: (c) => c.mergedInto },
  ]);
  // One identity belongs to one active customer: the primary key says so.
  const indexIdentities = (c: Customer) => {
    prepare('DELETE FROM customer_identities WHERE customer_id = ?').run(Number(c.id));
    if (c.mergedInto) return;
    const ins = prepare('INSERT INTO customer_identities (platform, handle_lower, customer_id) VALUES (?, ?, ?)');
    for (const i of c.identities) ins.run(i.platform, i.handle.toLowerCase(), Number(c.id));
  };
  const createTx = db.transaction((draft: Omit<Customer, 'id' | 'version'>) => {
    const c = t.insert(draft);
    indexIdentities(c);
    return c;
  });
  const replaceTx = db.transaction((c: Customer, expected: number) => {
    const saved = t.replace(c, expected);
    indexIdentities(saved);
    return saved;
  });
  const ids = (rows: Array<{ customer_id: number }>) => [...new Set(rows.map((r) => String(r.customer_id)))];
  return {
    async create({ draft }) {
      try {
        return createTx.immediate(draft);
      } catch (e) {
        throw translateSqliteError(e, 'an identity of this customer');
      }
    },
    async get({ id }) {
      return t.get(id);
    },
    async replace({ customer, expectedVersion }) {
      try {
        return replaceTx.immediate(customer, expectedVersion);
      } catch (e) {
        throw translateSqliteError(e, 'an identity of this customer');
      }
    },
    async findByIdentities({ identities }) {
      const out = new Map<string, Customer>();
      const wanted = [...new Map(identities.map((i) => [identityKey(i), i])).values()];
      const cache = new Map<string, Customer | null>();
      for (let i = 0; i < wanted.length; i += 300) {
        const chunk = wanted.slice(i, i + 300);
        const rows = prepare(
          `SELECT platform, handle_lower, customer_id FROM customer_identities WHERE (platform, handle_lower) IN (VALUES ${chunk.map(() => '(?, ?)').join(', ')})`,
        ).all(...chunk.flatMap((x) => [x.platform, x.handle.toLowerCase()])) as Array<{ platform: string; handle_lower: string; customer_id: number }>;
        for (const r of rows) {
          const id = String(r.customer_id);
          if (!cache.has(id)) cache.set(id, t.get(id));
          const c = cache.get(id);
          if (c) out.set(identityKey({ platform: r.platform, handle: r.handle_lower }), c);
        }
      }
      return out;
    },
    async search({ q, handles, name, limit }) {
      const found: string[] = [];
      if (q) {
        const like = `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        found.push(...ids(prepare(`SELECT id AS customer_id FROM customers WHERE merged_into IS NULL AND name_lower LIKE ? ESCAPE '\\' LIMIT ?`).all(like, limit) as Array<{ customer_id: number }>));
        found.push(...ids(prepare(`SELECT customer_id FROM customer_identities WHERE handle_lower LIKE ? ESCAPE '\\' LIMIT ?`).all(like, limit) as Array<{ customer_id: number }>));
      }
      for (const h of handles ?? []) found.push(...ids(prepare('SELECT customer_id FROM customer_identities WHERE handle_lower = ?').all(h.toLowerCase()) as Array<{ customer_id: number }>));
      if (name) found.push(...ids(prepare('SELECT id AS customer_id FROM customers WHERE merged_into IS NULL AND name_lower = ? LIMIT ?').all(name.toLowerCase(), limit) as Array<{ customer_id: number }>));
      return [...new Set(found)]
        .slice(0, limit)
        .map((id) => t.get(id))
        .filter((c): c is Customer => !!c && !c.mergedInto);
    },
    list: listCustomers(prepare),
  };
}


export function alertStore(prepare: Prepare): AlertStore {
  const t = docTable<Alert>(prepare, 'alerts', 'alert', [
    { name: 'brand', value: (a) => a.brand },
    { name: 'raised_at', value: (a) => Date.parse(a.raisedAt) },
  ]);
  return {
    async create({ alert }) {
      return t.insert(alert);
    },
    async createOnce({ key, alert }) {
      try {
        return t.insert(alert, { dedupe_key: key });
      } catch (e) {
        if ((e as { code?: string }).code === 'conflict') return null;
        throw e;
      }
    },
    async list({ brand, since, limit }) {
      const where: string[] = [];
      const params: Param[] = [];
      if (brand) {
        where.push('brand = ?');
        params.push(brand);
      }
      if (since) {
        where.push('raised_at >= ?');
        params.push(Date.parse(since));
      }
      return t.query(where.join(' AND '), params, `ORDER BY raised_at DESC, id DESC LIMIT ${Math.max(1, Math.min(500, limit))}`);
    },
  };
}
