import { afterEach, describe, expect, it } from 'vitest';
import type { Customer } from '../../shared/customer.js';
import { openMongoStore, type MongoStore } from '../../server/store/mongo/mongo-store.js';
import { makeNewMention } from '../support/fixtures.js';
import { dropMongoDatabase, freshMongoUri, MONGODB_URI, skipMongoReason } from '../support/mongo.js';

/**
 * The adapter's multi-document writes run without transactions. Each test
 * stops a write after step k (the hook throws, as a crash would), retries the
 * same call on a fresh connection, and checks that exactly one consistent
 * result is left.
 */
class Crash extends Error {}

const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 9, 0, s)).toISOString();

describe.runIf(MONGODB_URI)('mongo: multi-document writes survive a stop between steps', () => {
  const open: MongoStore[] = [];
  const uris: string[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const u of uris.splice(0)) await dropMongoDatabase(u);
  });
  /** A store that throws once at `step` (from the `skip`+1-th time it is reached), and a clean one on the same database. */
  async function stores(step: string, skip = 0) {
    const uri = freshMongoUri();
    uris.push(uri);
    let seen = 0;
    const crashing = await openMongoStore({ uri, rollupGraceMs: 0, afterStep: (s) => {
      if (s === step && seen++ === skip) throw new Crash(`stopped after ${step}`);
    } });
    const clean = await openMongoStore({ uri, rollupGraceMs: 0 });
    open.push(crashing, clean);
    return { crashing, clean };
  }

  const batch = () => [
    makeNewMention({ brand: 'Acme', createdAt: at(1), label: 'negative' }),
    makeNewMention({ brand: 'Acme', createdAt: at(2), label: 'positive' }),
    makeNewMention({ brand: 'Globex', createdAt: at(70), label: 'negative' }),
  ];
  const expectCountedOnce = async (s: MongoStore) => {
    expect(await s.mentions.count()).toBe(3);
    expect(await s.rollups.series({ from: at(0), to: at(180) })).toEqual([
      { minute: '2026-11-24T09:00:00.000Z', negative: 1, neutral: 0, positive: 1, scoreSum: 0 },
      { minute: '2026-11-24T09:01:00.000Z', negative: 1, neutral: 0, positive: 0, scoreSum: -0.5 },
    ]);
    expect(await s.rollups.brandSeries({ from: at(0), to: at(180) })).toEqual([
      { brand: 'Acme', minute: '2026-11-24T09:00:00.000Z', negative: 1, total: 2 },
      { brand: 'Globex', minute: '2026-11-24T09:01:00.000Z', negative: 1, total: 1 },
    ]);
    expect(await s.wallRollups.series({ span: 'hour', from: at(0), to: at(180) })).toEqual([
      { brand: 'Acme', start: '2026-11-24T09:00:00.000Z', negative: 1, neutral: 0, positive: 1, scoreSum: 0 },
      { brand: 'Globex', start: '2026-11-24T09:00:00.000Z', negative: 1, neutral: 0, positive: 0, scoreSum: -0.5 },
    ]);
    // report rollups: once each too
    const vol = await s.reports.sum({ grain: 'hour', dim: 'sentiment', from: at(0), to: at(3600), brands: ['Acme', 'Globex'], byPeriod: false });
    expect(vol.map((r) => [r.brand, r.value, r.n]).sort()).toEqual([
      ['Acme', 'negative', 1],
      ['Acme', 'positive', 1],
      ['Globex', 'negative', 1],
    ]);
  };

  for (const step of ['ids', 'inserted', 'rollups', 'brand-rollups', 'wall-rollups', 'report-rollups'] as const) {
    it(`insertMany stopped after "${step}" and retried stores each mention once and counts it once`, async () => {
      const { crashing, clean } = await stores(step);
      const ms = batch();
      await expect(crashing.mentions.insertMany({ mentions: ms })).rejects.toBeInstanceOf(Crash);
      const retry = await clean.mentions.insertMany({ mentions: ms });
      expect(retry.inserted.length + retry.duplicates).toBe(3);
      await expectCountedOnce(clean);
      // A second retry, or a restart's repair, changes nothing.
      await clean.mentions.insertMany({ mentions: ms });
      expect(await clean.repairRollups()).toBe(0);
      await expectCountedOnce(clean);
    });
  }

  it('several processes opening one new database at once all start (indexes are created once, idempotently)', async () => {
    const uri = freshMongoUri();
    uris.push(uri);
    const opened = await Promise.all([1, 2, 3].map(() => openMongoStore({ uri })));
    open.push(...opened);
    await Promise.all(opened.map((s, i) => s.settings.set({ key: `opened.${i}`, value: i, expectedVersion: 0 })));
    expect(await opened[0]!.settings.keys({ prefix: 'opened.' })).toEqual(['opened.0', 'opened.1', 'opened.2']);
  });

    it('a crashed insertMany that is never retried is counted by the next start (repair at open)', async () => {
    const { crashing } = await stores('rollups');
    const uri = uris[0]!;
    await expect(crashing.mentions.insertMany({ mentions: batch() })).rejects.toBeInstanceOf(Crash);
    const restarted = await openMongoStore({ uri, rollupGraceMs: 0 });
    open.push(restarted);
    await expectCountedOnce(restarted);
  });

  it('a duplicate seen while the first writer may still be running is left to it (grace period)', async () => {
    const uri = freshMongoUri();
    uris.push(uri);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = await openMongoStore({ uri, rollupGraceMs: 60_000, afterStep: async (s) => { if (s === 'inserted') await gate; } });
    const other = await openMongoStore({ uri, rollupGraceMs: 60_000 });
    open.push(slow, other);
    const ms = batch();
    const first = slow.mentions.insertMany({ mentions: ms });
    // Wait until the slow writer stored the mentions but has not counted them.
    for (let i = 0; i < 100 && (await other.mentions.count()) < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await other.mentions.insertMany({ mentions: ms })).duplicates).toBe(3);
    release();
    await first;
    await expectCountedOnce(other);
  });

  const now = '2026-11-24T10:00:00.000Z';
  const draft = (name: string, identities: Array<{ platform: string; handle: string }>): Omit<Customer, 'id' | 'version'> => ({ name, identities, notes: '', mergedInto: null, mergedFrom: [], createdAt: now, updatedAt: now });
  const owners = async (s: MongoStore, ids: Array<{ platform: string; handle: string }>) =>
    Object.fromEntries([...(await s.customers.findByIdentities({ identities: ids })).entries()].map(([k, c]) => [k, c.name]));

  for (const step of ['customer-pending', 'identities-claimed'] as const) {
    it(`customer create stopped after "${step}": the half-made customer is invisible and a retry makes one owner`, async () => {
      const { crashing, clean } = await stores(step);
      const ana = draft('Ana Ruiz', [{ platform: 'x', handle: 'AnaR' }, { platform: 'reddit', handle: 'ana_r' }]);
      await expect(crashing.customers.create({ draft: ana })).rejects.toBeInstanceOf(Crash);
      expect(await clean.customers.search({ q: 'ruiz', limit: 10 })).toEqual([]);
      expect(await owners(clean, ana.identities)).toEqual({});
      const made = await clean.customers.create({ draft: ana });
      expect(await owners(clean, ana.identities)).toEqual({ 'x:anar': 'Ana Ruiz', 'reddit:ana_r': 'Ana Ruiz' });
      expect((await clean.customers.search({ q: 'ruiz', limit: 10 })).map((c) => c.id)).toEqual([made.id]);
      await expect(clean.customers.create({ draft: draft('Impostor', [{ platform: 'x', handle: 'anar' }]) })).rejects.toMatchObject({ code: 'conflict' });
    });
  }

  for (const step of ['identities-claimed', 'customer-replaced'] as const) {
    it(`link identity and merge stopped after "${step}" and retried leave one owner per identity`, async () => {
      const { crashing, clean } = await stores(step);
      const ana = await clean.customers.create({ draft: draft('Ana', [{ platform: 'x', handle: 'ana' }]) });
      const dup = await clean.customers.create({ draft: draft('Ana R', [{ platform: 'reddit', handle: 'anar' }]) });
      // Merge: the duplicate gives up its identities, the kept customer takes them.
      const gone = { ...dup, mergedInto: ana.id };
      const kept = { ...ana, identities: [...ana.identities, ...dup.identities], mergedFrom: [{ customerId: dup.id, identities: dup.identities }] };
      const stopped = await crashing.customers.replace({ customer: gone, expectedVersion: dup.version }).then(() => null, (e: unknown) => e);
      expect(stopped).toBeInstanceOf(Crash);
      // Whatever the stop left, nobody owns an identity twice and a merged-away customer owns nothing.
      const mid = await owners(clean, [{ platform: 'x', handle: 'ana' }, { platform: 'reddit', handle: 'anar' }]);
      expect(mid['x:ana']).toBe('Ana');
      // The retry: re-read and write again (as the operation does), then link to the kept customer.
      const current = (await clean.customers.get({ id: dup.id }))!;
      if (!current.mergedInto) await clean.customers.replace({ customer: { ...gone, version: current.version }, expectedVersion: current.version });
      expect(await owners(clean, [{ platform: 'reddit', handle: 'anar' }])).toEqual({});
      await clean.customers.replace({ customer: kept, expectedVersion: ana.version });
      expect(await owners(clean, [{ platform: 'x', handle: 'ana' }, { platform: 'reddit', handle: 'anar' }])).toEqual({ 'x:ana': 'Ana', 'reddit:anar': 'Ana' });
      expect((await clean.customers.search({ q: 'ana', limit: 10 })).map((c) => c.id)).toEqual([ana.id]);
    });
  }

  it('linking an identity owned by an active customer is refused and the refused write leaves no claim behind', async () => {
    const { clean } = await stores('never');
    const ana = await clean.customers.create({ draft: draft('Ana', [{ platform: 'x', handle: 'ana' }]) });
    const ben = await clean.customers.create({ draft: draft('Ben', [{ platform: 'x', handle: 'ben' }]) });
    await expect(clean.customers.replace({ customer: { ...ben, identities: [...ben.identities, { platform: 'reddit', handle: 'both' }, { platform: 'x', handle: 'ana' }] }, expectedVersion: 1 })).rejects.toMatchObject({ code: 'conflict' });
    expect((await clean.customers.get({ id: ben.id }))!.version).toBe(1);
    // reddit:both was claimed on the way and released: Ana can take it.
    await clean.customers.replace({ customer: { ...ana, identities: [...ana.identities, { platform: 'reddit', handle: 'both' }] }, expectedVersion: 1 });
    expect(await owners(clean, [{ platform: 'reddit', handle: 'both' }])).toEqual({ 'reddit:both': 'Ana' });
  });
});

if (!MONGODB_URI) {
  describe('mongo: multi-document writes', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}
