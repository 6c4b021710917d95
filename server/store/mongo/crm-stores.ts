import { identityKey, type Customer, type Identity } from '../../../shared/customer.js';
import { ConflictError } from '../../../shared/errors.js';
import type { Alert } from '../../../shared/spikes.js';
import type { AlertStore, CustomerStore, WebhookDeliveryStore } from '../../../shared/store.js';
import type { WebhookDelivery } from '../../../shared/webhook.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { type Doc, type MongoDb, ms } from './db.js';
import { docCollection, type Fields, pageById, versionedDoc } from './doc-collection.js';
import { guard, isDuplicateKey } from './errors.js';
import { listCustomers } from './customer-list.js';

export const DELIVERY_FIELDS: Fields<WebhookDelivery> = (d) => ({ webhookId: d.webhookId, eventId: d.eventId, state: d.state, nextAttemptAt: d.nextAttemptAt ? ms(d.nextAttemptAt) : null });
export const CUSTOMER_FIELDS: Fields<Customer> = (c) => ({ nameLower: c.name.toLowerCase(), mergedInto: c.mergedInto });
export const ALERT_FIELDS: Fields<Alert> = (a) => ({ brand: a.brand, raisedAt: ms(a.raisedAt) });
export const identityDoc = (i: Identity, customerId: number): Doc => ({ _id: identityKey(i), platform: i.platform, handle: i.handle.toLowerCase(), customerId });

export function webhookDeliveryStore(db: MongoDb): WebhookDeliveryStore {
  const t = docCollection<WebhookDelivery>(db, 'webhook_deliveries', 'delivery', DELIVERY_FIELDS);
  return {
    async enqueue({ delivery }) {
      try {
        return await t.insert(delivery);
      } catch (e) {
        if ((e as { code?: string }).code === 'conflict') return null;
        throw e;
      }
    },
    due: ({ now, limit }) => t.query({ state: 'pending', nextAttemptAt: { $lte: ms(now) } }, { nextAttemptAt: 1, _id: 1 }, Math.max(1, Math.min(500, limit))),
    get: ({ id }) => t.get(id),
    replace: ({ delivery, expectedVersion }) => t.replace(delivery, expectedVersion),
    async list({ webhookId, limit, cursor }) {
      const filter: Doc = {};
      if (webhookId) filter.webhookId = webhookId;
      if (cursor) filter._id = { $lt: decodeCursor(cursor, ['number'])[0] as number };
      return pageById(await t.query(filter, { _id: -1 }, limit + 1), limit, (id) => encodeCursor([id]));
    },
    async redactCase({ caseId, title }) {
      const res = await guard('delivery', () =>
        t.col.updateMany({ 'doc.payload.case.id': caseId, 'doc.payload.case.title': { $ne: title } }, { $set: { 'doc.payload.case.title': title }, $inc: { version: 1 } }),
      );
      return res.modifiedCount;
    },
  };
}

/**
 * Customers and the identity index (`customer_identities`, one document per
 * platform:handle naming its owner) are separate documents, written without a
 * transaction in an order that leaves the index right at every step:
 *
 * - an identity is claimed (inserted, or taken over from a stale owner) before
 *   the customer lists it, and released only after the customer stopped
 *   listing it;
 * - an owner counts only while it is active and lists the identity, so a claim
 *   left by a write that stopped half way is stale: readers ignore it and the
 *   next claimant takes it over with compare-and-set;
 * - a new customer is stored `pending` first and becomes visible only once its
 *   identities are claimed.
 *
 * Re-running a write that stopped completes it (claims are idempotent for
 * their owner); the contract's "one active owner per identity" holds throughout.
 */
export function customerStore(db: MongoDb): CustomerStore {
  const t = docCollection<Customer>(db, 'customers', 'customer', CUSTOMER_FIELDS);
  const idx = db.col('customer_identities');
  const taken = () => new ConflictError('an identity of this customer already exists');

  const owns = (c: Doc | null, key: string) =>
    !!c && !c.pending && !(c.doc as Customer).mergedInto && (c.doc as Customer).identities.some((i) => identityKey(i) === key);

  /** Claims each identity for `id`; returns the keys newly claimed (to release on failure), or throws ConflictError. */
  async function claim(id: number, identities: Identity[]): Promise<string[]> {
    const fresh: string[] = [];
    try {
      for (const i of identities) {
        const key = identityKey(i);
        for (let attempt = 0; ; attempt++) {
          if (attempt > 5) throw taken();
          try {
            await idx.insertOne(identityDoc(i, id));
            fresh.push(key);
            break;
          } catch (e) {
            if (!isDuplicateKey(e)) throw e;
          }
          const current = await idx.findOne({ _id: key } as Doc);
          if (!current) continue;
          if (current.customerId === id) break;
          const owner = await t.col.findOne({ _id: current.customerId } as Doc);
          if (owns(owner, key)) throw taken();
          // A stale claim (its owner merged, dropped the identity, or never finished): take it over.
          const res = await idx.updateOne({ _id: key, customerId: current.customerId } as Doc, { $set: { customerId: id } });
          if (res.matchedCount === 1) {
            fresh.push(key);
            break;
          }
        }
      }
      return fresh;
    } catch (e) {
      await release(id, fresh);
      throw e;
    }
  }
  const release = async (id: number, keys: string[]) => {
    if (keys.length) await idx.deleteMany({ _id: { $in: keys }, customerId: id } as Doc);
  };
  /** Drops the claims `id` holds beyond `keep`. */
  const releaseAllBut = (id: number, keep: string[]) => idx.deleteMany({ customerId: id, _id: { $nin: keep } } as Doc);

  const active = async (ids: number[]) => {
    if (ids.length === 0) return new Map<number, Doc>();
    const rows = await t.col.find({ _id: { $in: [...new Set(ids)] }, mergedInto: null, pending: { $ne: true } } as Doc).toArray();
    return new Map(rows.map((r) => [r._id as unknown as number, r]));
  };

  return {
    async create({ draft }) {
      return guard('an identity of this customer', async () => {
        const id = await db.nextIds('customers', 1);
        await t.col.insertOne({ ...versionedDoc(CUSTOMER_FIELDS, { ...draft, id: String(id), version: 1 }), pending: true });
        await db.step('customer-pending');
        try {
          if (!draft.mergedInto) await claim(id, draft.identities);
        } catch (e) {
          await t.col.deleteOne({ _id: id, pending: true } as Doc);
          throw e;
        }
        await db.step('identities-claimed');
        await t.col.updateOne({ _id: id } as Doc, { $unset: { pending: '' } });
        return { ...draft, id: String(id), version: 1 };
      });
    },
    get: ({ id }) => t.get(id),
    async replace({ customer, expectedVersion }) {
      return guard('an identity of this customer', async () => {
        const id = Number(customer.id);
        const keep = customer.mergedInto ? [] : customer.identities.map(identityKey);
        const fresh = customer.mergedInto ? [] : await claim(id, customer.identities);
        await db.step('identities-claimed');
        let saved: Customer;
        try {
          saved = await t.replace(customer, expectedVersion);
        } catch (e) {
          await release(id, fresh);
          throw e;
        }
        await db.step('customer-replaced');
        await releaseAllBut(id, keep);
        return saved;
      });
    },
    async findByIdentities({ identities }) {
      return guard('customer', async () => {
        const out = new Map<string, Customer>();
        const keys = [...new Set(identities.map(identityKey))];
        for (let i = 0; i < keys.length; i += 500) {
          const claims = await idx.find({ _id: { $in: keys.slice(i, i + 500) } } as Doc).toArray();
          const owners = await active(claims.map((c) => c.customerId as number));
          for (const c of claims) {
            const owner = owners.get(c.customerId as number) ?? null;
            if (owns(owner, c._id as unknown as string)) out.set(c._id as unknown as string, t.toRecord(owner!));
          }
        }
        return out;
      });
    },
    async search({ q, handles, name, limit }) {
      return guard('customer', async () => {
        const found: number[] = [];
        const claimsOwners = async (filter: Doc) => (await idx.find(filter).limit(limit).toArray()).map((c) => c.customerId as number);
        const names = async (filter: Doc) => (await t.col.find({ ...filter, mergedInto: null, pending: { $ne: true } }, { projection: { _id: 1 } }).limit(limit).toArray()).map((c) => c._id as unknown as number);
        if (q) {
          const like = new RegExp(q.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
          found.push(...(await names({ nameLower: like })), ...(await claimsOwners({ handle: like })));
        }
        for (const h of handles ?? []) found.push(...(await claimsOwners({ handle: h.toLowerCase() })));
        if (name) found.push(...(await names({ nameLower: name.toLowerCase() })));
        const ids = [...new Set(found)].slice(0, limit);
        const owners = await active(ids);
        return ids.flatMap((id) => (owners.has(id) ? [t.toRecord(owners.get(id)!)] : []));
      });
    },
    list: listCustomers(t),
  };
}

export function alertStore(db: MongoDb): AlertStore {
  const t = docCollection<Alert>(db, 'alerts', 'alert', ALERT_FIELDS);
  return {
    create: ({ alert }) => t.insert(alert),
    async createOnce({ key, alert }) {
      // The unique (sparse) index on dedupeKey decides, not a read before the write.
      try {
        return await t.insert(alert, { dedupeKey: key });
      } catch (e) {
        if ((e as { code?: string }).code === 'conflict') return null;
        throw e;
      }
    },
    async list({ brand, since, limit }) {
      const filter: Doc = {};
      if (brand) filter.brand = brand;
      if (since) filter.raisedAt = { $gte: ms(since) };
      return t.query(filter, { raisedAt: -1, _id: -1 }, Math.max(1, Math.min(500, limit)));
    },
  };
}
