import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportIncrement, ReportRow } from '../../shared/reports.js';
import { makeNewMention } from '../support/fixtures.js';
import type { Store } from '../../shared/store.js';
import type { StoreHandle } from './store-contract.js';

const inc = (over: Partial<ReportIncrement>): ReportIncrement => ({
  at: '2026-11-20T10:15:00.000Z',
  dim: 'sentiment',
  value: 'negative',
  brand: 'Acme',
  network: 'x',
  metric: 'mentions',
  bucket: -1,
  n: 1,
  sum: 0,
  ...over,
});
const pick = (rows: ReportRow[]) => rows.map((r) => ({ period: r.period, brand: r.brand, value: r.value, metric: r.metric, n: r.n, sum: r.sum, hist: r.hist })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** A handle that can also open a second store on the same database: another process's connection. */
export type ReportStoreHandle = StoreHandle & { another(): Promise<Store> };

/** Report rollups (tests/contract/STORAGE.md, C-REP-*); registered for each adapter beside the store contract. */
export function registerReportContract(name: string, create: () => Promise<ReportStoreHandle>) {
  describe(`report rollup contract: ${name}`, () => {
    let h: ReportStoreHandle;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(async () => {
      await h.cleanup();
    });
    const day = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' };

    it('C-REP-1 adds increments to hour and day rows, in the brand/network slices and in *', async () => {
      await h.store.reports.add({ increments: [inc({ n: 2, sum: -1 }), inc({ at: '2026-11-20T10:59:59.000Z' }), inc({ at: '2026-11-20T11:00:00.000Z', network: 'reddit' }), inc({ brand: 'Globex' })] });
      // the '*' slice, whole day: everything
      expect(pick(await h.store.reports.sum({ grain: 'day', dim: 'sentiment', ...day, byPeriod: false }))).toEqual([{ period: null, brand: '*', value: 'negative', metric: 'mentions', n: 5, sum: -1, hist: null }]);
      // hour rows per period, Acme on x only
      expect(pick(await h.store.reports.sum({ grain: 'hour', dim: 'sentiment', ...day, brands: ['Acme'], network: 'x', byPeriod: true }))).toEqual([
        { period: '2026-11-20T10:00:00.000Z', brand: 'Acme', value: 'negative', metric: 'mentions', n: 3, sum: -1, hist: null },
      ]);
      // several brands: one row each; network reddit
      expect(pick(await h.store.reports.sum({ grain: 'day', dim: 'sentiment', ...day, brands: ['Acme', 'Globex'], byPeriod: false }))).toEqual([
        { period: null, brand: 'Acme', value: 'negative', metric: 'mentions', n: 4, sum: -1, hist: null },
        { period: null, brand: 'Globex', value: 'negative', metric: 'mentions', n: 1, sum: 0, hist: null },
      ]);
      expect((await h.store.reports.sum({ grain: 'hour', dim: 'sentiment', ...day, network: 'reddit', byPeriod: true })).map((r) => [r.period, r.n])).toEqual([['2026-11-20T11:00:00.000Z', 1]]);
    });

    it('C-REP-2 reads [from, to) of one dimension and grain, filters metrics, keeps a histogram in one row by bucket; only volume has hour rows', async () => {
      await h.store.reports.add({
        increments: [
          inc({ dim: 'resp.team', value: 'care', metric: 'frt_wall', bucket: 20, sum: 60 }),
          inc({ dim: 'resp.team', value: 'care', metric: 'frt_wall', bucket: 20, sum: 70 }),
          inc({ dim: 'resp.team', value: 'care', metric: 'frt_wall', bucket: 30, sum: 900 }),
          inc({ dim: 'resp.team', value: 'care', metric: 'responded' }),
          inc({ dim: 'resp.team', value: 'care', metric: 'responded', at: '2026-11-21T00:00:00.000Z' }),
          inc({ dim: 'neg.topic', value: 'lost bag' }),
        ],
      });
      const rows = await h.store.reports.sum({ grain: 'day', dim: 'resp.team', ...day, byPeriod: false, metrics: ['frt_wall'] });
      // response rows have no hour grain, but a week one (weeks start on Monday: 2026-11-16)
      expect(await h.store.reports.sum({ grain: 'hour', dim: 'resp.team', ...day, byPeriod: false })).toEqual([]);
      const week = await h.store.reports.sum({ grain: 'week', dim: 'resp.team', from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', byPeriod: true, metrics: ['responded'] });
      expect(week.map((r) => [r.period, r.n])).toEqual([['2026-11-16T00:00:00.000Z', 2]]);
      expect(pick(rows)).toEqual([{ period: null, brand: '*', value: 'care', metric: 'frt_wall', n: 3, sum: 1030, hist: { 20: 2, 30: 1 } }]);
      const responded = await h.store.reports.sum({ grain: 'day', dim: 'resp.team', ...day, byPeriod: false, metrics: ['responded'] });
      expect(responded.map((r) => r.n)).toEqual([1]);
      expect(await h.store.reports.sum({ grain: 'hour', dim: 'neg.topic', ...day, byPeriod: false })).toEqual([]);
      expect((await h.store.reports.sum({ grain: 'day', dim: 'neg.topic', ...day, byPeriod: false })).map((r) => r.value)).toEqual(['lost bag']);
      // negative topics keep no week rows (their terms are mostly seen once: a week row saves no reading)
      expect(await h.store.reports.sum({ grain: 'week', dim: 'neg.topic', from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', byPeriod: false })).toEqual([]);
      expect(await h.store.reports.sum({ grain: 'hour', dim: 'sentiment', ...day, byPeriod: false })).toEqual([]);
    });

    it('C-REP-3 storing mentions adds their volume and received rows in the same write, and duplicates add nothing', async () => {
      const a = makeNewMention({ label: 'negative', createdAt: '2026-11-20T09:30:00.000Z', brand: 'Acme', text: 'lost luggage again' });
      const b = makeNewMention({ label: 'positive', createdAt: '2026-11-20T09:40:00.000Z', brand: 'Acme', platform: 'reddit' });
      await h.store.mentions.insertMany({ mentions: [a, b] });
      await h.store.mentions.insertMany({ mentions: [a] });
      const vol = await h.store.reports.sum({ grain: 'hour', dim: 'sentiment', ...day, brands: ['Acme'], byPeriod: true });
      expect(pick(vol).map((r) => [r.period, r.value, r.n])).toEqual([
        ['2026-11-20T09:00:00.000Z', 'negative', 1],
        ['2026-11-20T09:00:00.000Z', 'positive', 1],
      ]);
      const received = await h.store.reports.sum({ grain: 'day', dim: 'resp.network', ...day, byPeriod: false, metrics: ['received'] });
      expect(pick(received).map((r) => [r.value, r.n])).toEqual([
        ['reddit', 1],
        ['x', 1],
      ]);
      const topics = await h.store.reports.sum({ grain: 'day', dim: 'neg.topic', ...day, byPeriod: false });
      expect(topics.map((r) => r.value).sort()).toEqual(['lost', 'lost luggage', 'luggage']);
    });

    it('C-REP-4 a feedback wait is taken once, only if recent enough, and a later reply replaces an earlier one', async () => {
      const wait = { key: 'x\u0000ann', repliedAt: '2026-11-20T10:00:00.000Z', mentionId: '1', brand: 'Acme', network: 'x' };
      await h.store.reports.awaitFeedback({ wait });
      await h.store.reports.awaitFeedback({ wait: { ...wait, repliedAt: '2026-11-20T11:00:00.000Z', mentionId: '2' } });
      await h.store.reports.awaitFeedback({ wait: { ...wait, repliedAt: '2026-11-20T09:00:00.000Z', mentionId: '0' } });
      expect(await h.store.reports.takeFeedback({ keys: ['x\u0000ann'], since: '2026-11-20T12:00:00.000Z' })).toEqual([]);
      const [a, b] = await Promise.all([
        h.store.reports.takeFeedback({ keys: ['x\u0000ann', 'x\u0000bob'], since: '2026-11-19T00:00:00.000Z' }),
        h.store.reports.takeFeedback({ keys: ['x\u0000ann'], since: '2026-11-19T00:00:00.000Z' }),
      ]);
      expect([...a, ...b]).toEqual([{ ...wait, repliedAt: '2026-11-20T11:00:00.000Z', mentionId: '2' }]);
      expect(await h.store.reports.takeFeedback({ keys: ['x\u0000ann'], since: '2026-11-19T00:00:00.000Z' })).toEqual([]);
    });

    it('C-REP-5 a histogram is one row whose buckets two connections add to at once without losing any; forgetting takes buckets back out', async () => {
      const other = await h.another();
      try {
        const frt = (bucket: number, sum: number) => inc({ dim: 'resp.agent', value: '7', metric: 'frt_wall', bucket, sum });
        // 2 × 30 concurrent adds to the same row: buckets 0..5 from one, 3..8 from the other (3..5 shared).
        await Promise.all(
          Array.from({ length: 30 }, (_, i) => [
            h.store.reports.add({ increments: [frt(i % 6, 10)] }),
            other.reports.add({ increments: [frt(3 + (i % 6), 20)] }),
          ]).flat(),
        );
        const q = { grain: 'day' as const, dim: 'resp.agent' as const, ...day, byPeriod: false };
        const want = { 0: 5, 1: 5, 2: 5, 3: 10, 4: 10, 5: 10, 6: 5, 7: 5, 8: 5 };
        expect(pick(await h.store.reports.sum(q))).toEqual([{ period: null, brand: '*', value: '7', metric: 'frt_wall', n: 60, sum: 900, hist: want }]);
        // Acme on x holds the same single row; the week row too.
        expect((await other.reports.sum({ ...q, brands: ['Acme'], network: 'x' })).map((r) => r.hist)).toEqual([want]);
        expect((await h.store.reports.sum({ ...q, grain: 'week', from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z' })).map((r) => [r.n, r.hist])).toEqual([[60, want]]);
        await h.store.reports.forget({ increments: Array.from({ length: 5 }, () => frt(0, 10)) });
        const after = await other.reports.sum(q);
        expect(after.map((r) => [r.n, r.sum, r.hist])).toEqual([[55, 850, { 1: 5, 2: 5, 3: 10, 4: 10, 5: 10, 6: 5, 7: 5, 8: 5 }]]);
      } finally {
        await other.close();
      }
    });

    it('C-REP-6 a feedback event is kept per mention (the first wins) and revised atomically, each revision seeing the one before', async () => {
      const event = { mentionId: '42', kind: 'reply_followup' as const, value: 100, at: '2026-11-20T11:00:00.000Z', brand: 'Acme', network: 'x' };
      await h.store.reports.noteFeedback({ events: [event, { ...event, mentionId: '43', value: 50 }] });
      await h.store.reports.noteFeedback({ events: [{ ...event, value: 0 }] });
      await h.store.reports.noteFeedback({ events: [] });
      expect(await h.store.reports.reviseFeedback({ mentionId: '404', kind: 'correction', value: 0 })).toBeNull();
      const other = await h.another();
      try {
        // Two revisions at once, from two connections: one sees the original, the other the first revision.
        const [a, b] = await Promise.all([h.store.reports.reviseFeedback({ mentionId: '42', kind: 'correction', value: 0 }), other.reports.reviseFeedback({ mentionId: '42', kind: 'correction', value: 50 })]);
        const seen = [a, b].map((x) => [x?.kind, x?.value]).sort((x, y) => String(x).localeCompare(String(y)));
        expect(seen.length).toBe(2);
        expect(seen).toContainEqual(['reply_followup', 100]);
        expect(seen.filter(([k]) => k === 'correction')).toHaveLength(1);
        const last = await other.reports.reviseFeedback({ mentionId: '42', kind: 'correction', value: 50 });
        expect(last).toMatchObject({ mentionId: '42', kind: 'correction', at: event.at, brand: 'Acme', network: 'x' });
        expect([0, 50]).toContain(last!.value);
        expect(await h.store.reports.reviseFeedback({ mentionId: '43', kind: 'correction', value: 100 })).toEqual({ ...event, mentionId: '43', value: 50 });
      } finally {
        await other.close();
      }
    });
  });
}
