import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { User } from '../../shared/auth.js';
import { identityKey, type Identity } from '../../shared/customer.js';
import { silentLogger } from '../../shared/log.js';
import type { Store } from '../../shared/store.js';
import { escalate } from '../../server/operations/cases.js';
import { createCustomer, mergeCustomers, unmergeCustomers, updateCustomer } from '../../server/operations/customers.js';
import { sendReply } from '../../server/operations/replies.js';
import { resumeDueReplies } from '../../server/operations/reply-delivery.js';
import type { FindReplyQuery, ReplyRequest } from '../../shared/connector-ports.js';
import { makeNewMention } from '../support/fixtures.js';
import { openTestStore, TEST_STORE } from '../support/test-store.js';

/**
 * Operations that write several records do it without a transaction (MongoDB
 * has none here). For each one: stop it after its k-th store write (k = 1, 2,
 * … until it runs through), then send the same request again on a clean
 * store, and check that exactly one consistent result is left.
 */
class Stop extends Error {}
const WRITES = new Set(['insertMany', 'replace', 'create', 'append', 'set', 'enqueue', 'add', 'delete', 'update']);

type NetworkWrite = <T>(post: () => Promise<T>) => Promise<T>;
const networkWriteOf = (store: Store): NetworkWrite => (store as Store & { networkWrite?: NetworkWrite }).networkWrite ?? ((post) => post());

/** The store, failing right after its k-th write succeeded (as a crash there would). */
function stopAfter(store: Store, k: number): { store: Store; stopped: () => boolean } {
  let n = 0;
  const wrap = <T extends object>(sub: T): T =>
    Object.fromEntries(
      Object.entries(sub).map(([name, fn]) => [
        name,
        typeof fn === 'function' && WRITES.has(name)
          ? async (...args: unknown[]) => {
              // A stopped process writes nothing more, even where the operation catches the first Stop and goes on.
              if (n >= k) throw new Stop(`stopped before write ${n + 1} (${name}): the process is gone`);
              const r: unknown = await (fn as (...a: unknown[]) => Promise<unknown>).apply(sub, args);
              if (++n === k) throw new Stop(`stopped after write ${k} (${name})`);
              return r;
            }
          : fn,
      ]),
    ) as T;
  const wrapped = Object.fromEntries(Object.entries(store).map(([key, sub]) => [key, sub && typeof sub === 'object' ? wrap(sub as object) : sub])) as unknown as Store;
  // A post to the network is a write too: the process can die right after the network accepted it.
  const networkWrite: NetworkWrite = async (post) => {
    if (n >= k) throw new Stop(`stopped before write ${n + 1} (network): the process is gone`);
    const r = await post();
    if (++n === k) throw new Stop(`stopped after write ${k} (network post)`);
    return r;
  };
  Object.assign(wrapped, { networkWrite });
  return { store: wrapped, stopped: () => n >= k };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-stop-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;

/**
 * A network that remembers what it was sent (as X or Mastodon show a posted
 * reply), so the outbox can look before posting again; `posted` is every post
 * it received. `owner` is the process the outbox runs in.
 */
const deps = (store: Store, posted: string[] = [], owner = 'api-1', at = '2026-11-24T10:00:00Z', inflight = new Set<Promise<unknown>>()) => ({
  store,
  bus: { publish: () => undefined },
  now: () => new Date(at),
  log: silentLogger,
  network: {
    post: (_platform: string, req: ReplyRequest) =>
      networkWriteOf(store)(async () => {
        posted.push(req.idempotencyKey);
        return { externalId: `posted-${posted.length}`, url: null };
      }),
    find: async (_platform: string, q: FindReplyQuery) => {
      const i = posted.indexOf(q.idempotencyKey);
      return { found: i === -1 ? null : { externalId: `posted-${i + 1}`, url: null } };
    },
  },
  outbox: { owner, leaseMs: 30_000, waitMs: 10_000, inflight },
  needsApproval: async () => false,
});

/**
 * Runs once per stop point k: `seed` on a fresh store, `op` on the
 * stopping store (it must stop), `op` again on the clean store, then `check`.
 */
async function everyStop<S>(seed: (s: Store) => Promise<S>, op: (s: Store, seeded: S, posted: string[]) => Promise<unknown>, check: (s: Store, seeded: S, posted: string[]) => Promise<void>) {
  let k = 1;
  for (; k < 40; k++) {
    const store = await openTestStore(path.join(dir, `s${++files}.sqlite`));
    try {
      const seeded = await seed(store);
      const posted: string[] = [];
      const stopping = stopAfter(store, k);
      const first = await op(stopping.store, seeded, posted).then(
        // An operation that caught the Stop and answered anyway (the outbox logs a failed delivery) was still stopped there.
        () => (stopping.stopped() ? ('stopped' as const) : ('done' as const)),
        (e: unknown) => {
          if (!(e instanceof Stop)) throw e;
          return 'stopped' as const;
        },
      );
      if (first === 'done') {
        await check(store, seeded, posted);
        break;
      }
      // The retry, and a third try: each either completes the work or, when it
      // was already complete, is refused as a conflict; the store holds one result.
      const again = () => op(store, seeded, posted).catch((e: unknown) => {
        if ((e as { code?: string }).code !== 'conflict') throw e;
      });
      await again();
      await check(store, seeded, posted);
      await again();
      await check(store, seeded, posted);
    } catch (e) {
      throw new Error(`with a stop after write ${k}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    } finally {
      await store.close();
    }
  }
  return k;
}

const userOf = (s: Store) => s.users.create({ email: `ana-${Math.random().toString(36).slice(2)}@t.hark`, name: 'Ana', role: 'manager', passwordHash: 'x' }) as Promise<User>;

describe(`stopped between steps and retried (${TEST_STORE})`, () => {
  it('escalate: one case, every mention linked to it, one "created" entry', async () => {
    const steps = await everyStop(
      async (s) => {
        const actor = await userOf(s);
        const { inserted } = await s.mentions.insertMany({ mentions: [makeNewMention({ priority: 80 }), makeNewMention({ priority: 40 })] });
        return { actor, ids: inserted.map((m) => m.id) };
      },
      (s, { actor, ids }) => escalate(deps(s), actor, { mentionIds: ids, note: 'angry' } as never),
      async (s, { ids }) => {
        const owners = await Promise.all(ids.map((id) => s.cases.findByMention({ mentionId: id })));
        expect(owners.map((o) => o.length)).toEqual([1, 1]);
        const kase = owners[0]![0]!;
        expect(owners[1]![0]!.id).toBe(kase.id);
        expect((await s.cases.list({ limit: 10 })).items).toHaveLength(1);
        for (const m of await s.mentions.getMany({ ids })) expect(m).toMatchObject({ caseId: kase.id, triage: { status: 'escalated' } });
        const tl = await s.timeline.list({ entityType: 'case', entityId: kase.id });
        expect(tl.filter((e) => e.kind === 'created')).toHaveLength(1);
      },
    );
    expect(steps).toBeGreaterThan(3);
  }, 120_000);

  it('attach to a case: the case lists the mention once and the mention points at it', async () => {
    await everyStop(
      async (s) => {
        const actor = await userOf(s);
        const { inserted } = await s.mentions.insertMany({ mentions: [makeNewMention(), makeNewMention()] });
        const kase = await escalate(deps(s), actor, { mentionIds: [inserted[0]!.id] } as never);
        return { actor, kase, extra: inserted[1]!.id };
      },
      (s, { actor, kase, extra }) => escalate(deps(s), actor, { mentionIds: [extra], attachTo: kase.id } as never),
      async (s, { kase, extra }) => {
        const now = (await s.cases.get({ id: kase.id }))!;
        expect(now.mentionIds.filter((id) => id === extra)).toHaveLength(1);
        expect((await s.mentions.get({ id: extra }))!.caseId).toBe(kase.id);
      },
    );
  }, 120_000);

  const ident = (platform: string, handle: string): Identity => ({ platform, handle });
  async function twoCustomers(s: Store) {
    const actor = await userOf(s);
    await s.mentions.insertMany({ mentions: [makeNewMention({ author: { id: null, handle: 'ana_x', name: null, followers: 1, verified: false, url: null } }), makeNewMention({ platform: 'reddit', author: { id: null, handle: 'ana_r', name: null, followers: 1, verified: false, url: null } })] });
    const keep = await createCustomer(deps(s), actor, { name: 'Ana', identities: [ident('x', 'ana_x')], notes: '' });
    const gone = await createCustomer(deps(s), actor, { name: 'Ana R', identities: [ident('reddit', 'ana_r')], notes: '' });
    await escalate(deps(s), actor, { mentionIds: [(await s.mentions.byAuthor({ platform: 'reddit', handle: 'ana_r', limit: 1 }))[0]!.id] } as never);
    const kase = (await s.cases.list({ limit: 1 })).items[0]!;
    await s.cases.replace({ kase: { ...kase, customerId: gone.id }, expectedVersion: kase.version });
    return { actor, keep, gone };
  }
  const ownersOf = async (s: Store) => Object.fromEntries([...(await s.customers.findByIdentities({ identities: [ident('x', 'ana_x'), ident('reddit', 'ana_r')] })).entries()].map(([k, c]) => [k, c.id]));

  it('merge: the kept customer owns every identity, remembers the merge once, and has the mentions and cases', async () => {
    await everyStop(
      twoCustomers,
      (s, { actor, keep, gone }) => mergeCustomers(deps(s), actor, keep.id, gone.id),
      async (s, { keep, gone }) => {
        const k = (await s.customers.get({ id: keep.id }))!;
        expect(k.mergedInto).toBeNull();
        expect(k.identities.map(identityKey).sort()).toEqual(['reddit:ana_r', 'x:ana_x']);
        expect(k.mergedFrom.map((f) => f.customerId)).toEqual([gone.id]);
        expect((await s.customers.get({ id: gone.id }))!.mergedInto).toBe(keep.id);
        expect(await ownersOf(s)).toEqual({ 'x:ana_x': keep.id, 'reddit:ana_r': keep.id });
        expect((await s.mentions.byAuthor({ platform: 'reddit', handle: 'ana_r', limit: 5 })).map((m) => m.customerId)).toEqual([keep.id]);
        expect((await s.cases.list({ customerId: keep.id, limit: 5 })).items).toHaveLength(1);
        expect((await s.cases.list({ customerId: gone.id, limit: 5 })).items).toHaveLength(0);
      },
    );
  }, 120_000);

  it('unmerge: both customers come back with their own identities and mentions', async () => {
    await everyStop(
      async (s) => {
        const seeded = await twoCustomers(s);
        await mergeCustomers(deps(s), seeded.actor, seeded.keep.id, seeded.gone.id);
        return seeded;
      },
      (s, { actor, keep, gone }) => unmergeCustomers(deps(s), actor, keep.id, gone.id),
      async (s, { keep, gone }) => {
        const k = (await s.customers.get({ id: keep.id }))!;
        const g = (await s.customers.get({ id: gone.id }))!;
        expect([k.mergedInto, g.mergedInto]).toEqual([null, null]);
        expect(k.identities.map(identityKey)).toEqual(['x:ana_x']);
        expect(k.mergedFrom).toEqual([]);
        expect(g.identities.map(identityKey)).toEqual(['reddit:ana_r']);
        expect(await ownersOf(s)).toEqual({ 'x:ana_x': keep.id, 'reddit:ana_r': gone.id });
        expect((await s.mentions.byAuthor({ platform: 'reddit', handle: 'ana_r', limit: 5 })).map((m) => m.customerId)).toEqual([gone.id]);
      },
    );
  }, 120_000);

  it('link an identity: the customer lists it once, owns it, and its mentions point at the customer', async () => {
    await everyStop(
      async (s) => {
        const seeded = await twoCustomers(s);
        // The reddit identity is free again: its customer was merged away into nobody (removed from the other).
        const g = (await s.customers.get({ id: seeded.gone.id }))!;
        await updateCustomer(deps(s), seeded.actor, g.id, { version: g.version, removeIdentities: [ident('reddit', 'ana_r')] });
        return seeded;
      },
      // The retry re-reads the version, as the UI does after a failed save.
      async (s, { actor, keep }) => updateCustomer(deps(s), actor, keep.id, { version: (await s.customers.get({ id: keep.id }))!.version, addIdentities: [ident('reddit', 'ANA_R')] }),
      async (s, { keep }) => {
        const k = (await s.customers.get({ id: keep.id }))!;
        expect(k.identities.map(identityKey).sort()).toEqual(['reddit:ana_r', 'x:ana_x']);
        expect(await ownersOf(s)).toEqual({ 'x:ana_x': keep.id, 'reddit:ana_r': keep.id });
        expect((await s.mentions.byAuthor({ platform: 'reddit', handle: 'ana_r', limit: 5 })).map((m) => m.customerId)).toEqual([keep.id]);
      },
    );
  }, 120_000);

  it('a reply and its mention: one reply, posted once; the outbox finishes it and the mention and case record the first response once', async () => {
    await everyStop(
      async (s) => {
        const actor = await userOf(s);
        const { inserted } = await s.mentions.insertMany({ mentions: [makeNewMention()] });
        const kase = await escalate(deps(s), actor, { mentionIds: [inserted[0]!.id] } as never);
        return { actor, id: inserted[0]!.id, caseId: kase.id };
      },
      // The request (it records the reply in the outbox and delivers it), then, a minute later, the outbox sweep of another
      // process: what picks up a reply whose sender died (its lease ran out). A stopped process's sweep writes nothing.
      async (s, { actor, id }, posted) => {
        const inflight = new Set<Promise<unknown>>();
        await sendReply(deps(s, posted, 'api-1', '2026-11-24T10:00:00Z', inflight), actor, id, { text: 'Sorry, on it', idempotencyKey: 'stop-retry-key-1' } as never);
        await Promise.all([...inflight]);
        await resumeDueReplies(deps(s, posted, 'api-2', '2026-11-24T10:01:00Z'));
      },
      async (s, { id, caseId }, posted) => {
        const replies = await s.replies.listForMention({ mentionId: id });
        expect(replies).toHaveLength(1);
        const r = replies[0]!;
        // Posted exactly once, whichever write the stop came after: the sweep looks on the network before posting again.
        expect(posted).toEqual(['stop-retry-key-1']);
        expect(r).toMatchObject({ state: 'sent', externalId: 'posted-1', claimedBy: null, leaseUntil: null });
        const m = (await s.mentions.get({ id }))!;
        expect(m.triage.firstResponseAt).toBe(r.sentAt);
        expect((await s.cases.get({ id: caseId }))!.firstResponseAt).toBe(r.sentAt);
        const tl = await s.timeline.list({ entityType: 'case', entityId: caseId });
        expect(tl.filter((e) => e.kind === 'reply' && e.data.replyId === r.id)).toHaveLength(1);
        expect(await s.replies.listDue({ now: '2026-11-24T11:00:00Z', limit: 10 })).toEqual([]);
      },
    );
  }, 120_000);
});
