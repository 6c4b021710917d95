import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTriage, type Mention } from '../../shared/mention.js';
import { compareMentions, matchesQuery, MentionQuerySchema, type MentionPage, type MentionQueryInput, type SearchBounds } from '../../shared/mention-query.js';
import type { Store } from '../../shared/store.js';
import { makeNewMention } from '../support/fixtures.js';
import type { StoreHandle } from './store-contract.js';

/**
 * Bounds small enough that a few hundred mentions reach every search plan:
 * under 5 matches (rare), 5–19 (medium), 20+ (common: a walk of at most 30
 * mentions per page, read 7 at a time).
 */
export const SMALL_BOUNDS: SearchBounds = { rareMatches: 5, commonMatches: 20, walkBudgetRows: 30, walkChunkRows: 7, maxTimeMs: 5000 };

const words = (text: string) => new Set((text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []));

/** The search contract (C-SEARCH in STORAGE.md), run with SMALL_BOUNDS. */
export function registerSearchBoundsContract(name: string, create: (bounds: SearchBounds) => Promise<StoreHandle>) {
  describe(`search bounds contract: ${name}`, () => {
    let h: StoreHandle;
    let all: Mention[];
    beforeEach(async () => {
      h = await create(SMALL_BOUNDS);
      all = await seed(h.store);
    });
    afterEach(async () => {
      await h.cleanup();
    });

    const list = (q: MentionQueryInput) => h.store.mentions.list(MentionQuerySchema.parse(q));
    async function pages(q: MentionQueryInput): Promise<MentionPage[]> {
      const out: MentionPage[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 500; i++) {
        const page = await list({ ...q, ...(cursor ? { cursor } : {}) });
        out.push(page);
        if (!page.nextCursor) return out;
        cursor = page.nextCursor;
      }
      throw new Error('pagination did not end');
    }
    const expected = (input: MentionQueryInput) => {
      const q = MentionQuerySchema.parse({ ...input, q: undefined });
      const want = input.q!.split(' ').map((w) => [...words(w)][0]!);
      return all.filter((m) => matchesQuery(m, q) && want.every((w) => words(m.text).has(w))).sort(compareMentions(q.sort)).map((m) => m.id);
    };

    it('C-SEARCH-1 every plan (rare, medium, common, skewed) gives the same rows in the same order, with and without filters', async () => {
      const filters: MentionQueryInput[] = [{}, { status: ['new', 'claimed'] }, { platform: ['reddit'], priorityMin: 30 }];
      for (const q of ['gamma', 'beta', 'alpha', 'late', 'CAFE', 'alpha beta', 'omega']) {
        for (const sort of ['priority', 'recent'] as const) {
          for (const f of filters) {
            const input = { ...f, q, sort, limit: 4 };
            const got = (await pages(input)).flatMap((p) => p.items.map((m) => m.id));
            expect(got, JSON.stringify(input)).toEqual(expected(input));
          }
        }
      }
      expect(expected({ q: 'alpha', sort: 'priority' }).length).toBeGreaterThanOrEqual(SMALL_BOUNDS.commonMatches);
      expect(expected({ q: 'beta', sort: 'priority' }).length).toBeLessThan(SMALL_BOUNDS.commonMatches);
      expect(expected({ q: 'gamma', sort: 'priority' }).length).toBeLessThan(SMALL_BOUNDS.rareMatches);
    }, 120_000);

    it('C-SEARCH-2 a common word whose matches lie past the work budget answers a partial page that continues where it stopped', async () => {
      // "late" is in the 25 lowest-priority mentions only: the walk spends its budget before reaching them.
      const first = await list({ q: 'late', sort: 'priority', limit: 10 });
      expect(first.partial).toBe(true);
      expect(first.items).toEqual([]);
      expect(first.nextCursor).not.toBeNull();
      const rest = await pages({ q: 'late', sort: 'priority', limit: 10 });
      expect(rest.some((p) => p.partial)).toBe(true);
      expect(rest.flatMap((p) => p.items.map((m) => m.id))).toEqual(expected({ q: 'late', sort: 'priority' }));
      // Each partial page is short and only ever says so with a cursor to follow.
      for (const p of rest) if (p.partial) expect(p.nextCursor).not.toBeNull();
    });

    it('C-SEARCH-3 a common word near the top fills its page without being partial; rare and medium words are never partial', async () => {
      const page = await list({ q: 'alpha', sort: 'priority', limit: 5 });
      expect(page.partial).toBeUndefined();
      expect(page.items.map((m) => m.id)).toEqual(expected({ q: 'alpha', sort: 'priority' }).slice(0, 5));
      for (const q of ['beta', 'gamma']) for (const p of await pages({ q, sort: 'recent', limit: 3 })) expect(p.partial).toBeUndefined();
      // A word with an underscore is searched, never a store error.
      await expect(list({ q: 'snake_case' })).resolves.toMatchObject({ items: [] });
    });
  });
}

/**
 * 160 mentions: "alpha" in every other one (common), "beta" in every 12th
 * (medium), "gamma" in three (rare), "late" only in the 25 of lowest priority
 * (common but far down the queue), accented "café" in every 8th (the non-ASCII path).
 */
async function seed(store: Store): Promise<Mention[]> {
  const statuses = ['new', 'claimed', 'dismissed'] as const;
  const platforms = ['x', 'reddit', 'simulator'];
  const n = 160;
  const mentions = Array.from({ length: n }, (_, i) => {
    const priority = 100 - Math.floor((i * 100) / n);
    const text = [
      `Post ${i}`,
      i % 2 === 0 ? 'alpha' : 'alphabet',
      i % 12 === 0 ? 'Beta' : '',
      i === 3 || i === 70 || i === 150 ? 'gamma' : '',
      i >= n - 25 ? 'LATE' : '',
      i % 8 === 0 ? 'café über' : i % 8 === 1 ? 'cafeteria' : '',
    ]
      .filter(Boolean)
      .join(' ');
    return makeNewMention({
      platform: platforms[i % 3]!,
      priority,
      // Ties in priority and time on purpose: the id must break them.
      createdAt: new Date(Date.UTC(2026, 10, 20) + ((i * 7) % 40) * 60_000).toISOString(),
      text,
      triage: newTriage('watch', statuses[i % 3]!),
    });
  });
  const { inserted } = await store.mentions.insertMany({ mentions });
  return inserted;
}
