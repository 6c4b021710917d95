import { describe, expect, it } from 'vitest';
import { entryBytes, type ReplayLog, type ReplayLogLimits } from '../../server/realtime/replay-log.js';

/**
 * The replay log's rules (server/realtime/replay-log.ts), run against every
 * adapter. `open` gives a fresh, empty log; `openTwin`, where given, a second
 * handle on the same log (another API process).
 */
export function replayLogContract(
  name: string,
  open: (limits: ReplayLogLimits) => Promise<{ log: ReplayLog; openTwin?: () => Promise<ReplayLog>; close(): Promise<void> }>,
  opts: { shared: boolean },
) {
  const big = { maxBytes: 10_000_000, maxEntries: 100_000 };
  const seqs = (r: { entries: Array<{ seq: number }> | null }) => r.entries?.map((e) => e.seq) ?? null;

  describe(`replay log contract: ${name}`, () => {
    it('RL1 numbers appends 1, 2, 3 and reads back after a seq, exclusive, in order, with their event and payload', async () => {
      const t = await open(big);
      try {
        expect(await t.log.append('mention.created', '{"a":1}')).toBe(1);
        expect(await t.log.append('mention.updated', '{"a":2}')).toBe(2);
        expect(await t.log.append('mentions.summary', '{"a":3}')).toBe(3);
        const r = await t.log.readSince(1);
        expect(r.head).toBe(3);
        expect(r.epoch).toMatch(/\S/);
        expect(r.entries).toEqual([
          { seq: 2, event: 'mention.updated', payload: '{"a":2}' },
          { seq: 3, event: 'mentions.summary', payload: '{"a":3}' },
        ]);
        expect(seqs(await t.log.readSince(3))).toEqual([]);
        expect(seqs(await t.log.readSince(0))).toEqual([1, 2, 3]);
      } finally {
        await t.close();
      }
    });

    it('RL2 reads up to a bound and at most a limit', async () => {
      const t = await open(big);
      try {
        for (let i = 0; i < 6; i++) await t.log.append('mention.created', `{"i":${i}}`);
        expect(seqs(await t.log.readSince(1, { upTo: 4 }))).toEqual([2, 3, 4]);
        expect(seqs(await t.log.readSince(0, { limit: 2 }))).toEqual([1, 2]);
        expect(seqs(await t.log.readSince(4, { upTo: 4 }))).toEqual([]);
      } finally {
        await t.close();
      }
    });

    it('RL3 stays within its byte bound by dropping the oldest; a seq before them no longer reaches back (null)', async () => {
      const payload = JSON.stringify({ x: 'y'.repeat(1000) });
      const t = await open({ maxBytes: entryBytes(payload) * 3, maxEntries: 1000 });
      try {
        for (let i = 0; i < 10; i++) await t.log.append('mention.created', payload);
        const all = await t.log.readSince(7);
        expect(seqs(all)).toEqual([8, 9, 10]);
        expect((await t.log.readSince(6)).entries).toBeNull();
        expect((await t.log.readSince(0)).entries).toBeNull();
        expect((await t.log.readSince(6)).head).toBe(10);
      } finally {
        await t.close();
      }
    });

    it('RL4 stays within its entry bound too, and keeps the newest entry even when it alone is over the byte bound', async () => {
      const t = await open({ maxBytes: 200, maxEntries: 4 });
      try {
        for (let i = 0; i < 6; i++) await t.log.append('mention.created', '{}');
        expect(seqs(await t.log.readSince(2))).toEqual([3, 4, 5, 6]);
        expect((await t.log.readSince(1)).entries).toBeNull();
        await t.log.append('mention.created', JSON.stringify({ x: 'z'.repeat(500) }));
        expect(seqs(await t.log.readSince(6))).toEqual([7]);
        expect((await t.log.readSince(5)).entries).toBeNull();
        await t.log.trim();
        expect(seqs(await t.log.readSince(6))).toEqual([7]);
      } finally {
        await t.close();
      }
    });

    it('RL5 a seq it never gave out does not reach back (a client of a lost log)', async () => {
      const t = await open(big);
      try {
        await t.log.append('mention.created', '{}');
        expect((await t.log.readSince(5)).entries).toBeNull();
      } finally {
        await t.close();
      }
    });

    it('RL6 waitAfter resolves on an append after the seq, and after its timeout otherwise', async () => {
      const t = await open(big);
      try {
        const started = Date.now();
        await t.log.waitAfter(0, 150);
        expect(Date.now() - started).toBeGreaterThanOrEqual(100);
        const waiting = t.log.waitAfter(0, 5000);
        setTimeout(() => void t.log.append('mention.created', '{}'), 50);
        const t0 = Date.now();
        await waiting;
        expect(Date.now() - t0).toBeLessThan(2000);
        const t1 = Date.now();
        await t.log.waitAfter(0, 5000); // already there
        expect(Date.now() - t1).toBeLessThan(500);
      } finally {
        await t.close();
      }
    });

    // A memory log lives in one process: one handle, nothing to share.
    it.runIf(opts.shared)('RL7 two handles on one log (two API processes) share one epoch and one numbering: concurrent appends get distinct consecutive seqs', async () => {
      const t = await open(big);
      const twin = await t.openTwin!();
      try {
        const got = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? t.log : twin).append('mention.created', `{"i":${i}}`)));
        expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        const [a, b] = [await t.log.readSince(0), await twin.readSince(0)];
        expect(a.epoch).toBe(b.epoch);
        expect(a.entries).toEqual(b.entries);
      } finally {
        await twin.close();
        await t.close();
      }
    });
  });
}
