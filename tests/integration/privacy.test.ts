import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyRequest } from '../../shared/connector-ports.js';
import type { Connector } from '../../connectors/connector.js';
import { silentLogger } from '../../shared/log.js';
import type { Store } from '../../shared/store.js';
import { eraseCustomer, purgeExpired } from '../../server/operations/privacy.js';
import type { OpsDeps } from '../../server/operations/deps.js';
import { rawMention, startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';
import { rawMongoText } from '../support/mongo.js';
import { TEST_STORE } from '../support/test-store.js';

/** Privacy: erasure, export and retention, proven through HTTP, search, the 360 view and the database files. */

const unique = () => Math.random().toString(36).slice(2, 8);

/**
 * What the store holds, lowercased (so FTS terms and word lists are found too): with SQLite the bytes of
 * the file and its WAL; with MongoDB every document of every collection (what a client can see; what the
 * server keeps on disk beyond that is documented as out of reach, see mongo-store.ts scrub).
 */
async function storedBytes(h: Harness): Promise<string> {
  if (TEST_STORE === 'mongo') return (await rawMongoText(h.storeEnv.MONGODB_URI!)).toLowerCase();
  return ['hark.sqlite', 'hark.sqlite-wal']
    .map((f) => path.join(h.dataDir, f))
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1').toLowerCase())
    .join('\n');
}

interface Person {
  marker: string;
  name: string;
  handle: string;
  customerId: string;
  mentionIds: string[];
  caseId: string;
  replyId: string;
}

describe('privacy', () => {
  let h: Harness;
  let agent: ApiClient;
  let manager: ApiClient;
  let managerId: string;
  let ops: OpsDeps;
  const posted: ReplyRequest[] = [];
  beforeAll(async () => {
    const connector: Connector = {
      id: 'recorder',
      platform: 'x',
      async run({ signal }) {
        await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
      },
      async reply(req) {
        posted.push(req);
        return { externalId: `r${posted.length}`, url: null };
      },
    };
    h = await startHarness({}, { connectors: [connector], retentionMs: 100 });
    [agent, manager] = await Promise.all([h.signIn('agent'), h.signIn('manager')]);
    managerId = (await manager.get('/api/auth/me')).body.user.id;
    ops = { store: h.hark.store, bus: h.hark.bus, now: () => new Date(), log: silentLogger };
  });
  afterAll(() => h.close());

  /**
   * A customer with everything Hark can hold about a person: two mentions
   * (searchable), a note, a reply that names them, a correction, a case
   * with a note, customer notes, and audit entries of all of it. Every text
   * carries the person's marker word.
   */
  async function seedPerson(): Promise<Person> {
    const marker = `zq${unique()}mark`;
    const handle = `${marker}_handle`;
    const name = `Zora ${marker}name`;
    const { stored } = await h.hark.ingest([
      rawMention(1, { text: `My parcel ${marker} never arrived, refund please`, author: { handle, name, id: `${marker}id`, followers: 50 } }),
      rawMention(2, { text: `Still waiting ${marker}text on that refund`, author: { handle, name, followers: 50 } }),
    ]);
    const [m1, m2] = stored;
    const c = await agent.post('/api/customers', { name, identities: [{ platform: 'x', handle }], notes: `Prefers email, ${marker}notes` });
    expect(c.status).toBe(201);
    expect((await agent.post(`/api/mentions/${m1!.id}/notes`, { text: `Called ${marker}note back` })).status).toBe(201);
    const reply = await agent.post(`/api/mentions/${m1!.id}/replies`, { text: `Sorry ${name}, we are on it`, idempotencyKey: `key-${unique()}${unique()}` });
    expect(reply.status).toBe(201);
    const fresh = (await agent.get(`/api/mentions/${m2!.id}`)).body.mention;
    expect((await agent.post(`/api/mentions/${m2!.id}/correct`, { version: fresh.version, sentiment: 'negative' })).status).toBe(200);
    const kase = await agent.post('/api/cases', { mentionIds: [m2!.id], note: `Case opened ${marker}casenote` });
    expect(kase.status).toBe(201);
    expect((await agent.post(`/api/cases/${kase.body.case.id}/notes`, { text: `Escalated ${marker}casenote2` })).status).toBe(201);
    await waitFor(async () => (await agent.get(`/api/mentions/${m1!.id}/replies`)).body.items[0]?.state === 'sent', 3000, 'reply sent');
    // Searched once, so the text index holds the words too (it indexes in batches, and before every search).
    expect((await agent.get(`/api/mentions?q=${marker}`)).body.items).toHaveLength(1);
    return { marker, name, handle, customerId: c.body.customer.id, mentionIds: [m1!.id, m2!.id], caseId: kase.body.case.id, replyId: reply.body.reply.id };
  }

  /** Nothing of the person is readable anywhere: API reads, search, the 360 view, the export, the audit log, the files. */
  async function expectErased(p: Person) {
    const needles = [p.marker, p.handle.toLowerCase(), p.name.toLowerCase()];
    const clean = (what: string, value: unknown) => {
      const s = JSON.stringify(value).toLowerCase();
      for (const n of needles) expect(s.includes(n), `${what} still holds ${n}: ${s.slice(Math.max(0, s.indexOf(n) - 300), s.indexOf(n) + 100)}`).toBe(false);
    };
    expect((await agent.get(`/api/mentions?q=${p.marker}`)).body.items).toEqual([]);
    expect((await agent.get(`/api/mentions?q=${p.marker}text`)).body.items).toEqual([]);
    const view = await agent.get(`/api/customers/${p.customerId}`);
    clean('360 view', view.body);
    expect(view.body.mentions).toEqual([]);
    for (const id of p.mentionIds) {
      const m = await agent.get(`/api/mentions/${id}`);
      expect(m.body.mention).toMatchObject({ text: '', author: { handle: '[erased]', name: null, id: null }, redacted: { reason: 'erasure' } });
      clean('mention', m.body);
      const context = (await agent.get(`/api/mentions/${id}/context`)).body;
      clean('context', context);
      expect(context.history).toEqual([]);
      clean('timeline', (await agent.get(`/api/mentions/${id}/timeline`)).body);
      clean('replies', (await agent.get(`/api/mentions/${id}/replies`)).body);
    }
    clean('case', (await agent.get(`/api/cases/${p.caseId}`)).body);
    clean('cases list', (await agent.get('/api/cases?limit=200')).body);
    clean('customer search', (await agent.get(`/api/customers?q=${p.marker}`)).body);
    const exp = await manager.get(`/api/customers/${p.customerId}/export`);
    expect(exp.status).toBe(200);
    clean('export', exp.body);
    const log = await manager.get('/api/audit?limit=500');
    clean('audit log', log.body);
    const erased = log.body.items.filter((e: any) => e.action === 'customer.erased' && e.entityId === p.customerId);
    expect(erased).toHaveLength(1);
    expect(erased[0]).toMatchObject({ actorId: managerId });
    clean('audit csv', (await manager.get('/api/audit?format=csv')).body);
    await h.hark.store.scrub();
    const bytes = await storedBytes(h);
    for (const n of needles) expect(bytes.includes(n), `database files still hold ${n}: ${JSON.stringify(bytes.slice(Math.max(0, bytes.indexOf(n) - 200), bytes.indexOf(n) + 60).replace(/[^\x20-\x7e]/g, "."))}`).toBe(false);
  }

  it('exports everything it holds about a customer as JSON, for managers only', async () => {
    const p = await seedPerson();
    expect((await agent.get(`/api/customers/${p.customerId}/export`)).status).toBe(403);
    const res = await manager.get(`/api/customers/${p.customerId}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="hark-customer-\d+\.json"/);
    const body = JSON.stringify(res.body);
    for (const what of [`${p.marker} never arrived`, `${p.marker}text`, `${p.marker}note`, `${p.marker}notes`, `${p.marker}casenote`, `${p.marker}casenote2`, `Sorry ${p.name}`, `${p.marker}id`]) {
      expect(body, what).toContain(what);
    }
    expect(res.body.mentions).toHaveLength(2);
    expect(res.body.replies).toHaveLength(1);
    expect(res.body.cases).toHaveLength(1);
  });

  it('erases a customer: nothing is readable through the API, search, the 360 view, the export, the audit log or the files; counts stay', async () => {
    const p = await seedPerson();
    const other = `by${unique()}stander`;
    const bystander = (await h.hark.ingest([rawMention(3, { text: `Bystander ${other} keeps talking`, author: { handle: 'bystander', followers: 1 } })])).stored[0]!;
    const wallBefore = (await agent.get('/api/wall?minutes=60')).body.buckets;
    // Before: the marker is in the files (so the check below can fail).
    await h.hark.store.scrub();
    expect((await storedBytes(h)).includes(p.marker)).toBe(true);

    expect((await agent.post(`/api/customers/${p.customerId}/erase`, { confirmName: p.name })).status).toBe(403);
    const wrong = await manager.post(`/api/customers/${p.customerId}/erase`, { confirmName: 'Someone else' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/^confirmName/);
    const res = await manager.post(`/api/customers/${p.customerId}/erase`, { confirmName: p.name });
    expect(res.status).toBe(200);
    expect(res.body.counts).toMatchObject({ mentions: 2, replies: 1, cases: 1 });
    expect(res.body.customer).toMatchObject({ name: 'Erased customer', identities: [], notes: '' });

    // Someone else's mention is untouched and still found.
    const found = (await agent.get(`/api/mentions?q=${other}`)).body.items;
    expect(found.map((m: any) => m.id)).toEqual([bystander.id]);
    expect(found[0].text).toContain('Bystander');
    // Rollups keep the counts.
    expect((await agent.get('/api/wall?minutes=60')).body.buckets).toEqual(wallBefore);
    // Erasing again is a no-op that answers the same (the name is gone, so no confirmation to match).
    const again = await manager.post(`/api/customers/${p.customerId}/erase`, { confirmName: 'anything' });
    expect(again.status).toBe(200);
    await expectErased(p);
    expect((await storedBytes(h)).includes(other)).toBe(true);
  }, 30_000);

  it('erasing someone once merged into another customer and unmerged clears those merge entries too, not the other customer', async () => {
    const p = await seedPerson();
    const other = await agent.post('/api/customers', { name: 'Olga Keeper', identities: [{ platform: 'reddit', handle: `keeper${unique()}` }], notes: 'keeper notes stay' });
    const otherId = other.body.customer.id;
    expect((await agent.post(`/api/customers/${otherId}/merge`, { otherId: p.customerId })).status).toBe(200);
    expect((await agent.post(`/api/customers/${otherId}/unmerge`, { otherId: p.customerId })).status).toBe(200);
    const before = (await manager.get(`/api/audit?entityType=customer&entityId=${otherId}`)).body.items;
    expect(JSON.stringify(before)).toContain(p.marker);
    expect((await manager.post(`/api/customers/${p.customerId}/erase`, { confirmName: p.name })).status).toBe(200);
    await expectErased(p);
    const after = (await manager.get(`/api/audit?entityType=customer&entityId=${otherId}`)).body.items;
    expect(after.find((e: any) => e.action === 'customer.created').after.notes).toBe('keeper notes stay');
    expect(after.filter((e: any) => e.redacted).map((e: any) => e.action).sort()).toEqual(['customer.merged', 'customer.unmerged']);
    expect((await agent.get(`/api/customers/${otherId}`)).body.customer).toMatchObject({ name: 'Olga Keeper', notes: 'keeper notes stay' });
  });

  it('an erasure stopped after any step and retried leaves one consistent result', async () => {
    // Count the erasure's writes once, then stop it before each of them in turn.
    const writes = ['redact', 'redactText', 'redactEntity', 'redactCase', 'redactMentions', 'replace', 'append', 'scrub'];
    const failing = (store: Store, failAt: number) => {
      let n = 0;
      const wrap = <T extends object>(target: T): T =>
        new Proxy(target, {
          get(t, prop, recv) {
            const v = Reflect.get(t, prop, recv);
            if (typeof v === 'function' && writes.includes(String(prop)))
              return (...args: unknown[]) => {
                if (++n === failAt) throw new Error(`stopped before write ${failAt}`);
                return (v as (...a: unknown[]) => unknown).apply(t, args);
              };
            if (typeof v === 'function') return v.bind(t);
            return v && typeof v === 'object' ? wrap(v) : v;
          },
        });
      return { store: wrap(store), count: () => n };
    };
    const manager = { id: managerId, email: 'm@test.hark', name: 'Manager', role: 'manager', teams: [], capacity: 0, needsApproval: false, createdAt: new Date().toISOString() } as unknown as Parameters<typeof eraseCustomer>[1];
    const probe = await seedPerson();
    const counted = failing(h.hark.store, Number.POSITIVE_INFINITY);
    await eraseCustomer({ ...ops, store: counted.store }, manager, probe.customerId, probe.name);
    const total = counted.count();
    expect(total).toBeGreaterThan(8);
    for (let k = 1; k <= total; k++) {
      const p = await seedPerson();
      const stopped = failing(h.hark.store, k);
      await expect(eraseCustomer({ ...ops, store: stopped.store }, manager, p.customerId, p.name)).rejects.toThrow(`stopped before write ${k}`);
      const retried = await eraseCustomer(ops, manager, p.customerId, p.name);
      expect(retried.customer).toMatchObject({ name: 'Erased customer', identities: [] });
      expect(retried.customer.erasure?.completedAt).toBeTruthy();
      await expectErased(p);
    }
  }, 180_000);

  it('keeps raw mention text and author data only for the retention period, set by managers on a versioned setting', async () => {
    const marker = `zq${unique()}old`;
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const { stored } = await h.hark.ingest([
      rawMention(5, { text: `Ancient ${marker} complaint`, createdAt: old, author: { handle: `${marker}_author`, name: `${marker} Name`, followers: 3 } }),
      rawMention(6, { text: `Recent ${marker}new complaint`, author: { handle: 'recent_author', followers: 3 } }),
    ]);
    expect(await purgeExpired(ops, new Date())).toBe(0); // no retention set: nothing goes
    expect((await agent.get(`/api/mentions?q=${marker}`)).body.items).toHaveLength(1);

    expect((await agent.get('/api/settings/retention')).body).toEqual({ mentionDays: null, version: 0 });
    expect((await agent.request('PUT', '/api/settings/retention', { version: 0, mentionDays: 30 })).status).toBe(403);
    const bad = await manager.request('PUT', '/api/settings/retention', { version: 0, mentionDays: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^mentionDays/);
    const set = await manager.request('PUT', '/api/settings/retention', { version: 0, mentionDays: 30 });
    expect(set.body).toEqual({ mentionDays: 30, version: 1 });
    expect((await manager.request('PUT', '/api/settings/retention', { version: 0, mentionDays: 60 })).status).toBe(409);

    // The scheduled duty (every 100 ms in this harness) purges it.
    await waitFor(async () => (await agent.get(`/api/mentions/${stored[0]!.id}`)).body.mention.redacted, 5000, 'retention purge');
    const gone = (await agent.get(`/api/mentions/${stored[0]!.id}`)).body.mention;
    expect(gone).toMatchObject({ text: '', author: { handle: '[erased]' }, redacted: { reason: 'retention' } });
    expect(gone.scores.sentiment.label).toBe(stored[0]!.scores.sentiment.label);
    const kept = (await agent.get(`/api/mentions/${stored[1]!.id}`)).body.mention;
    expect(kept.text).toContain(`${marker}new`);
    expect((await agent.get(`/api/mentions?q=${marker}`)).body.items).toEqual([]);
    expect((await agent.get(`/api/mentions?q=${marker}new`)).body.items).toHaveLength(1);
    const log = await manager.get('/api/audit?entityType=settings&limit=50');
    expect(log.body.items.some((e: any) => e.action === 'privacy.retention_purged')).toBe(true);
    expect(log.body.items.some((e: any) => e.action === 'settings.retention_changed' && e.actorId === managerId)).toBe(true);
    await h.hark.store.scrub();
    const bytes = await storedBytes(h);
    expect(bytes.includes(`${marker} complaint`)).toBe(false);
    expect(bytes.includes(`${marker}_author`)).toBe(false);
    expect(bytes.includes(`${marker}new`)).toBe(true);
    expect(await purgeExpired(ops, new Date())).toBe(0); // done once, nothing left
  });
});
