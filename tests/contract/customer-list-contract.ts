import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Identity } from '../../shared/customer.js';
import type { StoreHandle } from './store-contract.js';

const now = '2026-12-01T10:00:00.000Z';
const draft = (name: string, identities: Identity[]) => ({ name, identities, notes: '', mergedInto: null, mergedFrom: [], createdAt: now, updatedAt: now });

/** CustomerStore.list (tests/contract/STORAGE.md, C-CUST-LIST-*), for each adapter. */
export function registerCustomerListContract(name: string, create: () => Promise<StoreHandle>) {
  describe(`customer list contract: ${name}`, () => {
    let h: StoreHandle;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('C-CUST-LIST-1 pages active customers newest first with a cursor, merged ones left out', async () => {
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await h.store.customers.create({ draft: draft(`Person ${i}`, [{ platform: 'x', handle: `person_${i}` }]) }));
      await h.store.customers.replace({ customer: { ...made[2]!, mergedInto: made[0]!.id }, expectedVersion: 1 });
      const first = await h.store.customers.list({ limit: 2 });
      expect(first.items.map((c) => c.name)).toEqual(['Person 4', 'Person 3']);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await h.store.customers.list({ limit: 2, cursor: first.nextCursor! });
      expect(second.items.map((c) => c.name)).toEqual(['Person 1', 'Person 0']);
      expect(second.nextCursor).toBeNull();
      expect(second.items[0]).toMatchObject({ identities: [{ platform: 'x', handle: 'person_1' }], version: 1 });
      await expect(h.store.customers.list({ limit: 2, cursor: 'nonsense' })).rejects.toMatchObject({ code: 'validation_failed' });
    });

    it('C-CUST-LIST-2 matches a part of the name or of any handle, case-insensitively, with regex and LIKE characters taken literally', async () => {
      const ana = await h.store.customers.create({ draft: draft('Ana Ruiz', [{ platform: 'x', handle: 'AnaR' }, { platform: 'email', handle: 'ana.ruiz@example.com' }]) });
      const bo = await h.store.customers.create({ draft: draft('Bo Chen', [{ platform: 'reddit', handle: 'bo_100%' }]) });
      await h.store.customers.create({ draft: draft('Carla', [{ platform: 'x', handle: 'carla' }]) });
      const names = async (q: string, limit = 10) => (await h.store.customers.list({ q, limit })).items.map((c) => c.id);
      expect(await names('RUIZ')).toEqual([ana.id]);
      expect(await names('anar')).toEqual([ana.id]);
      expect(await names('@EXAMPLE.com')).toEqual([ana.id]);
      expect(await names('_100%')).toEqual([bo.id]);
      expect(await names('.*')).toEqual([]);
      expect(await names('%')).toEqual([bo.id]);
      // A handle taken off the record no longer finds it.
      await h.store.customers.replace({ customer: { ...ana, identities: [{ platform: 'x', handle: 'AnaR' }] }, expectedVersion: 1 });
      expect(await names('example.com')).toEqual([]);
      const paged = await h.store.customers.list({ q: 'a', limit: 1 });
      expect(paged.items).toHaveLength(1);
      const rest = await h.store.customers.list({ q: 'a', limit: 10, cursor: paged.nextCursor! });
      expect([...paged.items, ...rest.items].map((c) => c.name)).toEqual(['Carla', 'Ana Ruiz']);
    });
  });
}
