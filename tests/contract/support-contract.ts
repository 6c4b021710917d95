import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '../../shared/case.js';
import type { NewNotice } from '../../shared/notice.js';
import { withSlaIndex } from '../../shared/sla-clock.js';
import type { Store } from '../../shared/store.js';
import type { StoreHandle } from './store-contract.js';

const NOW = '2026-12-01T12:00:00.000Z';
const mins = (m: number) => new Date(Date.parse(NOW) + m * 60_000).toISOString();

type Draft = Omit<Case, 'id' | 'number' | 'version'>;
const draft = (over: Partial<Draft> & { due?: number | null; risk?: number | null; breached?: boolean } = {}): Draft => {
  const { due = 60, risk = 40, breached = false, ...rest } = over;
  return withSlaIndex({
    title: 'Refund never arrived',
    status: 'open',
    priority: 'normal',
    team: 'support',
    assignee: null,
    customerId: null,
    mentionIds: ['1'],
    externalRef: null,
    createdAt: mins(-30),
    updatedAt: mins(-30),
    firstResponseAt: null,
    resolvedAt: null,
    sla: {
      firstResponseDueAt: due === null ? null : mins(due),
      firstResponseRiskAt: risk === null ? null : mins(risk),
      resolutionDueAt: due === null ? null : mins(due + 600),
      resolutionRiskAt: risk === null ? null : mins(risk + 600),
      breached: breached ? ['first_response'] : [],
      pausedAt: null,
      pausedMinutes: 0,
    },
    category: 'billing',
    brand: 'Acme',
    resolutionCode: null,
    resolutionNote: null,
    mergedInto: null,
    ...rest,
  });
};

const notice = (userId: string, message: string): NewNotice => ({ userId, kind: 'mentioned', message, link: '#/cases/1', caseId: '1', actorId: 'u9', at: NOW });

/** The case queue and notices contract (tests/contract/STORAGE.md): the same answers from every adapter. */
export function registerSupportContract(name: string, create: () => Promise<StoreHandle>) {
  describe(`support contract: ${name}`, () => {
    let h: StoreHandle;
    let s: Store;
    beforeEach(async () => {
      h = await create();
      s = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('C-CQ-1 sorts the queue by the clock that runs out next, paused and finished cases last', async () => {
      const late = await s.cases.create({ draft: draft({ due: 120, risk: 100 }) });
      const soon = await s.cases.create({ draft: draft({ due: 10, risk: -5 }) });
      const paused = await s.cases.create({ draft: draft({ status: 'pending', sla: { ...draft().sla, pausedAt: mins(-1) } }) });
      const mid = await s.cases.create({ draft: draft({ due: 50, risk: 30 }) });
      const page = await s.caseQueue.page({ now: NOW, status: ['open', 'pending'], limit: 10 });
      expect(page.items.map((c) => c.id)).toEqual([soon.id, mid.id, late.id, paused.id]);
      expect(page.total).toBe(4);
      const second = await s.caseQueue.page({ now: NOW, status: ['open', 'pending'], limit: 2, offset: 2 });
      expect(second.items.map((c) => c.id)).toEqual([late.id, paused.id]);
    });

    it('C-CQ-2 filters by SLA state at `now` and counts each state under the other filters', async () => {
      const onTrack = await s.cases.create({ draft: draft({ due: 60, risk: 40 }) });
      const atRisk = await s.cases.create({ draft: draft({ due: 20, risk: -10 }) });
      const overdue = await s.cases.create({ draft: draft({ due: -5, risk: -20 }) });
      const flagged = await s.cases.create({ draft: draft({ due: 300, risk: 200, breached: true }) });
      await s.cases.create({ draft: draft({ due: -5, team: 'billing' }) });
      const ids = async (slaState: 'on_track' | 'at_risk' | 'breached') => (await s.caseQueue.page({ now: NOW, team: 'support', slaState, limit: 10 })).items.map((c) => c.id).sort();
      expect(await ids('on_track')).toEqual([onTrack.id]);
      expect(await ids('at_risk')).toEqual([atRisk.id]);
      expect(await ids('breached')).toEqual([overdue.id, flagged.id].sort());
      expect(await s.caseQueue.counts({ now: NOW, team: 'support' })).toEqual({ on_track: 1, at_risk: 1, breached: 2 });
      // The same cases an hour later: the clocks ran on.
      expect(await s.caseQueue.counts({ now: mins(45), team: 'support' })).toEqual({ on_track: 0, at_risk: 1, breached: 3 });
    });

    it('C-CQ-3 filters by status, priority, assignee (or none), team, brand and category', async () => {
      const a = await s.cases.create({ draft: draft({ priority: 'urgent', assignee: 'u1', brand: 'Acme', category: 'billing' }) });
      const b = await s.cases.create({ draft: draft({ priority: 'low', assignee: null, brand: 'Globex', category: 'outage', team: 'tier2' }) });
      const c = await s.cases.create({ draft: draft({ status: 'resolved', resolvedAt: mins(-1), priority: 'urgent', assignee: 'u1' }) });
      const q = async (over: Partial<Parameters<Store['caseQueue']['page']>[0]>) => (await s.caseQueue.page({ now: NOW, limit: 10, ...over })).items.map((x) => x.id).sort();
      expect(await q({ priority: ['urgent'] })).toEqual([a.id, c.id].sort());
      expect(await q({ priority: ['urgent'], status: ['open'] })).toEqual([a.id]);
      expect(await q({ assignee: 'none' })).toEqual([b.id]);
      expect(await q({ assignee: 'u1', status: ['resolved'] })).toEqual([c.id]);
      expect(await q({ team: 'tier2' })).toEqual([b.id]);
      expect(await q({ brand: 'Globex' })).toEqual([b.id]);
      expect(await q({ category: 'billing', status: ['open'] })).toEqual([a.id]);
      // A resolved case has no running clock: it is on track, whatever its old due time.
      expect(await s.caseQueue.counts({ now: mins(10_000), status: ['resolved'] })).toEqual({ on_track: 1, at_risk: 0, breached: 0 });
    });

    it('C-CQ-4 a replaced case is found by its new values (the queue keys follow every write)', async () => {
      const k = await s.cases.create({ draft: draft({ team: 'support' }) });
      await s.cases.replace({ kase: { ...k, team: 'tier2', category: 'outage' }, expectedVersion: k.version });
      expect((await s.caseQueue.page({ now: NOW, team: 'support', limit: 10 })).total).toBe(0);
      expect((await s.caseQueue.page({ now: NOW, team: 'tier2', category: 'outage', limit: 10 })).items.map((c) => c.id)).toEqual([k.id]);
    });

    it('C-NOT-1 stores a notice once per key and lists a user inbox newest first', async () => {
      const first = await s.notices.createOnce({ key: 'note:1:u1', notice: notice('u1', 'one') });
      expect(first).toMatchObject({ userId: 'u1', message: 'one', readAt: null });
      expect(await s.notices.createOnce({ key: 'note:1:u1', notice: notice('u1', 'one again') })).toBeNull();
      await s.notices.createOnce({ key: 'note:2:u1', notice: notice('u1', 'two') });
      await s.notices.createOnce({ key: 'note:2:u2', notice: notice('u2', 'for someone else') });
      const inbox = await s.notices.list({ userId: 'u1', limit: 10 });
      expect(inbox.map((n) => n.message)).toEqual(['two', 'one']);
      expect((await s.notices.list({ userId: 'u1', limit: 1, before: inbox[0]!.id })).map((n) => n.message)).toEqual(['one']);
      expect(await s.notices.unreadCount({ userId: 'u1' })).toBe(2);
    });

    it('C-NOT-2 of concurrent creates with one key exactly one is stored', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => s.notices.createOnce({ key: 'sla_breach:7:u1', notice: notice('u1', `try ${i}`) })));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await s.notices.unreadCount({ userId: 'u1' })).toBe(1);
    });

    it('C-NOT-3 marks read only the user own notices, by id or all', async () => {
      const a = (await s.notices.createOnce({ key: 'a', notice: notice('u1', 'a') }))!;
      await s.notices.createOnce({ key: 'b', notice: notice('u1', 'b') });
      const other = (await s.notices.createOnce({ key: 'c', notice: notice('u2', 'c') }))!;
      expect(await s.notices.markRead({ userId: 'u1', ids: [a.id, other.id], at: NOW })).toBe(1);
      expect(await s.notices.unreadCount({ userId: 'u2' })).toBe(1);
      expect((await s.notices.list({ userId: 'u1', unreadOnly: true, limit: 10 })).map((n) => n.message)).toEqual(['b']);
      expect((await s.notices.list({ userId: 'u1', limit: 10 })).find((n) => n.id === a.id)?.readAt).toBe(NOW);
      expect(await s.notices.markRead({ userId: 'u1', at: NOW })).toBe(1);
      expect(await s.notices.unreadCount({ userId: 'u1' })).toBe(0);
    });
  });
}
