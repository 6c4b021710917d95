import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHarkError } from '../../shared/errors.js';
import { newTriage } from '../../shared/mention.js';
import { matchesQuery, MentionQuerySchema, type MentionQueryInput } from '../../shared/mention-query.js';
import { NewSavedViewSchema } from '../../shared/saved-view.js';
import { makeNewMention } from '../support/fixtures.js';
import type { StoreHandle } from './store-contract.js';

const filtersOf = (q: MentionQueryInput) => NewSavedViewSchema.parse({ name: 'x', filters: q }).filters;
const at = '2026-12-01T10:00:00.000Z';

/** Saved views and capped counts (tests/contract/STORAGE.md, C-VIEW-*), for each adapter. */
export function registerSavedViewsContract(name: string, create: () => Promise<StoreHandle>) {
  describe(`saved views contract: ${name}`, () => {
    let h: StoreHandle;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('C-VIEW-1 keeps each user views apart, oldest first, with their filters; names are unique per user', async () => {
      const a = await h.store.savedViews.create({ view: { userId: 'u1', name: 'Acme negative', filters: filtersOf({ brand: 'Acme', sentiment: 'negative' }), createdAt: at } });
      const b = await h.store.savedViews.create({ view: { userId: 'u1', name: 'Spanish', filters: filtersOf({ lang: 'es', sort: 'recent' }), createdAt: at } });
      await h.store.savedViews.create({ view: { userId: 'u2', name: 'Acme negative', filters: filtersOf({}), createdAt: at } });
      expect(a.id).not.toBe(b.id);
      const mine = await h.store.savedViews.list({ userId: 'u1' });
      expect(mine.map((v) => v.name)).toEqual(['Acme negative', 'Spanish']);
      expect(mine[0]).toEqual({ id: a.id, userId: 'u1', name: 'Acme negative', filters: { brand: ['Acme'], sentiment: ['negative'], sort: 'priority' }, createdAt: at });
      expect(mine[1]!.filters).toEqual({ lang: ['es'], sort: 'recent' });
      expect(await h.store.savedViews.count({ userId: 'u1' })).toBe(2);
      expect(await h.store.savedViews.count({ userId: 'nobody' })).toBe(0);
      const dup = await h.store.savedViews.create({ view: { userId: 'u1', name: 'Spanish', filters: filtersOf({}), createdAt: at } }).catch((e: unknown) => e);
      expect(isHarkError(dup) && dup.code).toBe('conflict');
      expect(await h.store.savedViews.count({ userId: 'u1' })).toBe(2);
    });

    it('C-VIEW-2 remove deletes only the given user view', async () => {
      const a = await h.store.savedViews.create({ view: { userId: 'u1', name: 'Mine', filters: filtersOf({}), createdAt: at } });
      expect(await h.store.savedViews.remove({ userId: 'u2', id: a.id })).toBe(false);
      expect(await h.store.savedViews.list({ userId: 'u1' })).toHaveLength(1);
      expect(await h.store.savedViews.remove({ userId: 'u1', id: 'not-an-id' })).toBe(false);
      expect(await h.store.savedViews.remove({ userId: 'u1', id: a.id })).toBe(true);
      expect(await h.store.savedViews.remove({ userId: 'u1', id: a.id })).toBe(false);
      expect(await h.store.savedViews.list({ userId: 'u1' })).toEqual([]);
    });

    it('C-VIEW-3 countMatching agrees with matchesQuery for each filter, and stops at the cap', async () => {
      const mentions = [
        ...Array.from({ length: 7 }, (_, i) => makeNewMention({ brand: 'Acme', lang: i % 2 ? 'es' : 'en', priority: 10 + i * 10, label: i < 3 ? 'negative' : 'positive', text: i < 2 ? `refund please ${i}` : `hello ${i}` })),
        ...Array.from({ length: 5 }, (_, i) => makeNewMention({ brand: 'Globex', platform: 'reddit', lang: 'en', priority: 60, text: `refund now ${i}` })),
        makeNewMention({ brand: null, triage: { ...newTriage('watch'), status: 'dismissed' } }),
      ];
      const { inserted } = await h.store.mentions.insertMany({ mentions });
      const queries: MentionQueryInput[] = [
        {},
        { brand: 'Acme' },
        { brand: 'Acme,Globex' },
        { brand: 'Acme', lang: 'es' },
        { platform: 'reddit' },
        { sentiment: 'negative' },
        { priorityMin: 40, priorityMax: 60 },
        { status: 'new,claimed' },
        { status: 'dismissed' },
        { q: 'refund' },
        { q: 'refund', brand: 'Acme' },
        { assignee: 'none' },
      ];
      for (const q of queries) {
        const expected = inserted.filter((m) => matchesQuery(m, MentionQuerySchema.parse(q))).length;
        expect(await h.store.mentions.countMatching({ filters: filtersOf(q), cap: 100 }), JSON.stringify(q)).toEqual({ n: expected, more: false });
      }
      expect(await h.store.mentions.countMatching({ filters: filtersOf({ brand: 'Acme' }), cap: 7 })).toEqual({ n: 7, more: false });
      expect(await h.store.mentions.countMatching({ filters: filtersOf({ brand: 'Acme' }), cap: 6 })).toEqual({ n: 6, more: true });
      expect(await h.store.mentions.countMatching({ filters: filtersOf({}), cap: 3 })).toEqual({ n: 3, more: true });
    });
  });
}
