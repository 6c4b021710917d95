import type { User } from '../../shared/auth.js';
import { identityKey, type Customer, type Identity } from '../../shared/customer.js';
import { ConflictError, isHarkError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Mention } from '../../shared/mention.js';
import { OPEN_CASES_CAP, RECENT_MENTIONS, sentimentTrend, type CustomerListItem, type CustomerListResponse } from '../../shared/customer-list.js';
import { audit, type OpsDeps } from './deps.js';

const BACKFILL_LIMIT = 500;

/** Points the identities' stored mentions at the customer (or at none). */
async function relink(deps: OpsDeps, identities: Identity[], customerId: string | null) {
  for (const i of identities) {
    for (const m of await deps.store.mentions.byAuthor({ platform: i.platform, handle: i.handle, limit: BACKFILL_LIMIT })) {
      let current: Mention | null = m;
      for (let attempt = 0; current && current.customerId !== customerId && attempt < 3; attempt++) {
        try {
          const saved = await deps.store.mentions.replace({ mention: { ...current, customerId }, expectedVersion: current.version });
          deps.bus.publish('mentions.updated', { mentions: [saved] });
          break;
        } catch (e) {
          if (!(isHarkError(e) && e.code === 'conflict')) throw e;
          current = await deps.store.mentions.get({ id: m.id });
        }
      }
    }
  }
}

export async function createCustomer(deps: OpsDeps, actor: User, input: { name: string; identities: Identity[]; notes: string }): Promise<Customer> {
  const now = deps.now().toISOString();
  const identities = dedupeIdentities(input.identities);
  const c = await deps.store.customers.create({ draft: { name: input.name, identities, notes: input.notes, mergedInto: null, mergedFrom: [], createdAt: now, updatedAt: now } });
  await relink(deps, identities, c.id);
  await audit(deps, actor, 'customer.created', 'customer', c.id, null, c);
  return c;
}

const dedupeIdentities = (list: Identity[]) => [...new Map(list.map((i) => [identityKey(i), i])).values()];

export async function updateCustomer(
  deps: OpsDeps,
  actor: User,
  id: string,
  input: { version: number; name?: string; notes?: string; addIdentities?: Identity[]; removeIdentities?: Identity[] },
): Promise<Customer> {
  const c = await mustGet(deps, id);
  if (c.mergedInto) throw new ConflictError('This customer was merged into another; edit that one');
  const removed = new Set((input.removeIdentities ?? []).map(identityKey));
  const identities = dedupeIdentities([...c.identities.filter((i) => !removed.has(identityKey(i))), ...(input.addIdentities ?? [])]);
  const saved = await deps.store.customers.replace({
    customer: { ...c, name: input.name ?? c.name, notes: input.notes ?? c.notes, identities, updatedAt: deps.now().toISOString() },
    expectedVersion: input.version,
  });
  await relink(deps, input.addIdentities ?? [], saved.id);
  await relink(deps, input.removeIdentities ?? [], null);
  await audit(deps, actor, 'customer.updated', 'customer', id, c, saved);
  return saved;
}

async function mustGet(deps: OpsDeps, id: string) {
  const c = await deps.store.customers.get({ id });
  if (!c) throw new NotFoundError(`No customer with id ${id}`);
  return c;
}

/** Folds `otherId` into `id`: identities move over, and what moved is remembered for unmerge. */
export async function mergeCustomers(deps: OpsDeps, actor: User, id: string, otherId: string): Promise<Customer> {
  if (id === otherId) throw new ValidationError('otherId: cannot merge a customer into itself', [{ field: 'otherId', message: 'must differ' }]);
  const [keep, gone] = [await mustGet(deps, id), await mustGet(deps, otherId)];
  // A merge that stopped after its first step (the other already points here) is finished, not refused.
  const resumed = gone.mergedInto === keep.id && !keep.mergedInto;
  if (!resumed && (keep.mergedInto || gone.mergedInto)) throw new ConflictError('One of these customers was already merged');
  const now = deps.now().toISOString();
  // Free the other's identities first: an identity belongs to one active customer.
  if (!resumed) await deps.store.customers.replace({ customer: { ...gone, mergedInto: keep.id, updatedAt: now }, expectedVersion: gone.version });
  const saved = keep.mergedFrom.some((f) => f.customerId === gone.id) ? keep : await deps.store.customers.replace({
    customer: {
      ...keep,
      identities: dedupeIdentities([...keep.identities, ...gone.identities]),
      notes: [keep.notes, gone.notes].filter(Boolean).join('\n\n'),
      mergedFrom: [...keep.mergedFrom, { customerId: gone.id, identities: gone.identities }],
      updatedAt: now,
    },
    expectedVersion: keep.version,
  });
  await relink(deps, gone.identities, keep.id);
  for (const k of (await deps.store.cases.list({ customerId: gone.id, limit: 200 })).items) {
    const moved = await deps.store.cases.replace({ kase: { ...k, customerId: keep.id, updatedAt: now }, expectedVersion: k.version });
    deps.bus.publish('case.updated', { case: moved });
  }
  await audit(deps, actor, 'customer.merged', 'customer', id, { keep, gone }, saved);
  return saved;
}

/** Undoes a merge: the other record comes back with the identities it brought. */
export async function unmergeCustomers(deps: OpsDeps, actor: User, id: string, otherId: string): Promise<{ customer: Customer; restored: Customer }> {
  const keep = await mustGet(deps, id);
  const gone = await mustGet(deps, otherId);
  if (gone.mergedInto !== keep.id) throw new ConflictError(`Customer ${otherId} was not merged into ${id}`);
  // Without the entry, an unmerge stopped after its first step: the other record still holds the identities it brought.
  const entry = keep.mergedFrom.find((f) => f.customerId === otherId) ?? { customerId: otherId, identities: gone.identities };
  const back = new Set(entry.identities.map(identityKey));
  const now = deps.now().toISOString();
  // Mentions first (a merged customer's mentions still show under the one it was merged into), then the two records.
  await relink(deps, entry.identities, gone.id);
  const saved = keep.mergedFrom.includes(entry)
    ? await deps.store.customers.replace({
        customer: { ...keep, identities: keep.identities.filter((i) => !back.has(identityKey(i))), mergedFrom: keep.mergedFrom.filter((f) => f !== entry), updatedAt: now },
        expectedVersion: keep.version,
      })
    : keep;
  const restored = await deps.store.customers.replace({ customer: { ...gone, identities: entry.identities, mergedInto: null, updatedAt: now }, expectedVersion: gone.version });
  await audit(deps, actor, 'customer.unmerged', 'customer', id, keep, { customer: saved, restored });
  return { customer: saved, restored };
}

/** The 360-degree view: every mention, reply and case, sentiment over time, influence and notes. */
export async function customer360(deps: OpsDeps, id: string, page: { before?: { createdAt: string; id: string }; limit?: number } = {}) {
  let c = await mustGet(deps, id);
  if (c.mergedInto) c = await mustGet(deps, c.mergedInto);
  const limit = page.limit ?? 200;
  // One page across all identities: each gives its newest `limit` + 1 older than the cursor, merged newest first.
  const merged = (await Promise.all(c.identities.map((i) => deps.store.mentions.byAuthor({ platform: i.platform, handle: i.handle, limit: limit + 1, ...(page.before ? { before: page.before } : {}) }))))
    .flat()
    .sort((a, b) => (a.createdAt === b.createdAt ? Number(b.id) - Number(a.id) : a.createdAt < b.createdAt ? 1 : -1));
  const mentions = merged.slice(0, limit);
  const last = mentions[mentions.length - 1];
  const olderBefore = merged.length > limit && last ? `${last.createdAt}|${last.id}` : null;
  const replies = (await Promise.all(mentions.slice(0, 100).map((m) => deps.store.replies.listForMention({ mentionId: m.id })))).flat();
  const cases = (await deps.store.cases.list({ customerId: c.id, limit: 200 })).items;
  const byDay = new Map<string, { day: string; count: number; sum: number }>();
  for (const m of mentions) {
    const day = m.createdAt.slice(0, 10);
    const d = byDay.get(day) ?? { day, count: 0, sum: 0 };
    d.count++;
    d.sum += m.scores.sentiment.score;
    byDay.set(day, d);
  }
  const sentiment = [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1)).map((d) => ({ day: d.day, mentions: d.count, average: d.sum / d.count }));
  const influence = mentions.reduce((best, m) => Math.max(best, m.scores.influence.score), 0);
  return { customer: c, mentions, olderBefore, replies, cases, sentiment, influence };
}

/** Customers who are probably this author: the same handle on another network, or the same name. */
export async function suggestCustomers(deps: OpsDeps, author: { platform: string; handle: string; name: string | null }) {
  const found = await deps.store.customers.search({ handles: [author.handle], ...(author.name ? { name: author.name } : {}), limit: 10 });
  return found.filter((c) => !c.identities.some((i) => i.platform === author.platform && i.handle.toLowerCase() === author.handle.toLowerCase()));
}

const MAX_IDENTITIES_READ = 10;

/**
 * One row of the Customers page, from bounded reads only (never a scan of all
 * mentions): networks come from the record; open cases are one `cases.list`
 * by customer (the `cases_customer` / `customer` index) capped at
 * OPEN_CASES_CAP; last contact and the sentiment trend come from the newest
 * RECENT_MENTIONS mentions of each of (at most MAX_IDENTITIES_READ) identities
 * through `mentions.byAuthor` (the author index), merged newest first.
 */
async function summarize(deps: Pick<OpsDeps, 'store'>, c: Customer): Promise<CustomerListItem> {
  const [cases, perIdentity] = await Promise.all([
    deps.store.cases.list({ customerId: c.id, status: ['open', 'pending'], limit: OPEN_CASES_CAP }),
    Promise.all(c.identities.slice(0, MAX_IDENTITIES_READ).map((i) => deps.store.mentions.byAuthor({ platform: i.platform, handle: i.handle, limit: RECENT_MENTIONS }))),
  ]);
  const recent = perIdentity
    .flat()
    .sort((a, b) => (a.createdAt === b.createdAt ? Number(b.id) - Number(a.id) : a.createdAt < b.createdAt ? 1 : -1))
    .slice(0, RECENT_MENTIONS);
  return {
    ...c,
    summary: {
      networks: [...new Set(c.identities.map((i) => i.platform))].sort(),
      openCases: cases.items.length,
      openCasesMore: cases.nextCursor !== null,
      lastContactAt: recent[0]?.createdAt ?? null,
      sentiment: sentimentTrend(recent.map((m) => m.scores.sentiment.score)),
    },
  };
}

/**
 * The Customers page: active customers newest first, or those whose name or a
 * handle (an email address is an `email` identity's handle) contains `q`, a
 * page at a time. Erased customers (tombstones) are left out of the page.
 */
export async function listCustomerPage(deps: Pick<OpsDeps, 'store'>, args: { q?: string; limit: number; cursor?: string }): Promise<CustomerListResponse> {
  const page = await deps.store.customers.list({ limit: args.limit, ...(args.q ? { q: args.q } : {}), ...(args.cursor ? { cursor: args.cursor } : {}) });
  const items = await Promise.all(page.items.filter((c) => !c.erasure).map((c) => summarize(deps, c)));
  return { items, nextCursor: page.nextCursor };
}
