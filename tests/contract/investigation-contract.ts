import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '../../shared/case.js';
import type { StoreHandle } from './store-contract.js';

const draft = (over: Partial<Case> = {}): Omit<Case, 'id' | 'number' | 'version'> => ({
  title: 'Investigation: outage',
  status: 'open',
  priority: 'high',
  team: null,
  assignee: null,
  customerId: null,
  mentionIds: [],
  externalRef: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  firstResponseAt: null,
  resolvedAt: null,
  sla: { firstResponseDueAt: null, resolutionDueAt: null, breached: [] },
  kind: 'investigation',
  investigation: { brand: 'Acme Air', topic: 'outage', alertId: null },
  ...over,
});
const at = (h: number, m = 0) => new Date(Date.UTC(2026, 11, 1, h, m)).toISOString();

/** Investigation links (tests/contract/STORAGE.md, C-INV-*), for each adapter. */
export function registerInvestigationContract(name: string, create: () => Promise<StoreHandle>) {
  describe(`investigations contract: ${name}`, () => {
    let h: StoreHandle;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('C-INV-1 links mentions once, lists them newest first with paging, counts them', async () => {
      const kase = await h.store.cases.create({ draft: draft() });
      const n1 = await h.store.investigations.link({ caseId: kase.id, at: at(11), mentions: [{ mentionId: '5', createdAt: at(10, 5), sentiment: 'negative' }, { mentionId: '6', createdAt: at(10, 6), sentiment: 'neutral' }] });
      expect(n1).toBe(2);
      const n2 = await h.store.investigations.link({ caseId: kase.id, at: at(12), mentions: [{ mentionId: '6', createdAt: at(10, 6), sentiment: 'neutral' }, { mentionId: '7', createdAt: at(11, 30), sentiment: 'negative' }] });
      expect(n2).toBe(1);
      expect(await h.store.investigations.count({ caseId: kase.id })).toBe(3);
      const first = await h.store.investigations.list({ caseId: kase.id, limit: 2 });
      expect(first.map((l) => l.mentionId)).toEqual(['7', '6']);
      expect(first[1]).toEqual({ caseId: kase.id, mentionId: '6', createdAt: at(10, 6), sentiment: 'neutral', linkedAt: at(11) });
      const next = await h.store.investigations.list({ caseId: kase.id, limit: 2, before: { createdAt: first[1]!.createdAt, mentionId: '6' } });
      expect(next.map((l) => l.mentionId)).toEqual(['5']);
      // Another case's links are its own.
      const other = await h.store.cases.create({ draft: draft() });
      expect(await h.store.investigations.count({ caseId: other.id })).toBe(0);
    });

    it('C-INV-2 charts a case by hour and sentiment', async () => {
      const kase = await h.store.cases.create({ draft: draft() });
      await h.store.investigations.link({
        caseId: kase.id,
        at: at(12),
        mentions: [
          { mentionId: '1', createdAt: at(10, 1), sentiment: 'negative' },
          { mentionId: '2', createdAt: at(10, 59), sentiment: 'negative' },
          { mentionId: '3', createdAt: at(10, 30), sentiment: 'positive' },
          { mentionId: '4', createdAt: at(12, 0), sentiment: 'neutral' },
        ],
      });
      expect(await h.store.investigations.series({ caseId: kase.id })).toEqual([
        { start: at(10), negative: 2, neutral: 0, positive: 1 },
        { start: at(12), negative: 0, neutral: 1, positive: 0 },
      ]);
    });

    it('C-INV-3 lists open and pending investigation cases, not customer cases nor closed ones', async () => {
      const a = await h.store.cases.create({ draft: draft() });
      await h.store.cases.create({ draft: draft({ kind: 'customer', investigation: null }) });
      await h.store.cases.create({ draft: { ...draft(), kind: undefined, investigation: undefined } as never });
      const closed = await h.store.cases.create({ draft: draft({ status: 'closed' }) });
      const b = await h.store.cases.create({ draft: draft({ status: 'pending', investigation: { brand: 'Globex', topic: 'refund', alertId: '3' } }) });
      const open = await h.store.investigations.openCases({ limit: 10 });
      expect(open.map((c) => c.id)).toEqual([a.id, b.id]);
      expect(open[1]!.investigation).toEqual({ brand: 'Globex', topic: 'refund', alertId: '3' });
      await h.store.cases.replace({ kase: { ...a, status: 'resolved' }, expectedVersion: a.version });
      expect((await h.store.investigations.openCases({ limit: 10 })).map((c) => c.id)).toEqual([b.id]);
      void closed;
    });
  });
}
