import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitedError, TransientError, ValidationError, BadDataError } from '../../shared/errors.js';
import { QUEUES, type IngestJob, type QueuePort } from '../../shared/queues.js';
import { waitFor } from '../support/harness.js';

export interface QueueHandle {
  /** A producer and, where the adapter has them, separate workers: `worker()` makes one more. Attempts 3, base backoff 100 ms. */
  producer: QueuePort;
  worker(): QueuePort;
  cleanup(): Promise<void>;
}

const job = (source: string): IngestJob => ({ source, mentions: [] });

/**
 * The queue contract (tests/contract/QUEUES.md): one failure classification
 * for every adapter. Each adapter registers it with its own factory.
 */
export function registerQueueContract(name: string, create: () => Promise<QueueHandle>) {
  describe(`queue contract: ${name}`, () => {
    let h: QueueHandle;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('Q-RUN-1 works every added job exactly once', async () => {
      const seen: string[] = [];
      h.worker().process(QUEUES.ingest, async (j) => void seen.push(j.source));
      for (let i = 0; i < 20; i++) await h.producer.add(QUEUES.ingest, job(`j${i}`));
      await waitFor(() => seen.length >= 20, 10_000, 'all jobs worked');
      await new Promise((r) => setTimeout(r, 200));
      expect([...seen].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `j${i}`).sort());
    });

    it('Q-FAIL-1 bad data is not retried: it is kept aside with its error, listed, and runs again on request', async () => {
      const attempts: Record<string, number> = {};
      let fixed = false;
      const w = h.worker();
      w.process(QUEUES.ingest, async (j) => {
        attempts[j.source] = (attempts[j.source] ?? 0) + 1;
        if (j.source === 'bad' && !fixed) throw new BadDataError('mentions.0.text: required');
        if (j.source === 'invalid' && !fixed) throw new ValidationError('platform: unknown');
      });
      await h.producer.add(QUEUES.ingest, job('bad'));
      await h.producer.add(QUEUES.ingest, job('invalid'));
      await h.producer.add(QUEUES.ingest, job('fine'));
      await waitFor(async () => (await h.producer.deadLetters({ limit: 10 })).length === 2 && attempts.fine === 1, 10_000, 'two dead letters');
      await new Promise((r) => setTimeout(r, 400)); // longer than a backoff: nothing retries them
      expect(attempts).toEqual({ bad: 1, invalid: 1, fine: 1 });
      const dead = await h.producer.deadLetters({ limit: 10 });
      expect(dead.map((d) => [d.kind, d.error, d.summary]).sort()).toEqual([
        ['bad_data', 'mentions.0.text: required', 'bad: 0 mentions'],
        ['bad_data', 'platform: unknown', 'invalid: 0 mentions'],
      ]);
      expect((await h.producer.stats()).deadLetters).toBe(2);
      fixed = true;
      const bad = dead.find((d) => d.error.startsWith('mentions'))!;
      expect(await h.producer.retryDeadLetter({ id: bad.id })).toBe(true);
      await waitFor(() => attempts.bad === 2, 10_000, 'the dead letter re-run');
      await waitFor(async () => (await h.producer.deadLetters({ limit: 10 })).length === 1, 5000, 'it left the dead letters');
      expect(await h.producer.retryDeadLetter({ id: bad.id })).toBe(false);
      expect(await h.producer.retryDeadLetter({ id: 'no-such-id' })).toBe(false);
    });

    it('Q-FAIL-2 rate limited: retried after the reset the network gave, not before', async () => {
      const at: number[] = [];
      h.worker().process(QUEUES.ingest, async () => {
        at.push(Date.now());
        if (at.length === 1) throw new RateLimitedError('429 from the network', 700);
      });
      await h.producer.add(QUEUES.ingest, job('limited'));
      await waitFor(() => at.length >= 2, 10_000, 'the retry after the reset');
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(650);
      expect(at[1]! - at[0]!).toBeLessThan(700 + 1500);
      expect(await h.producer.deadLetters({ limit: 10 })).toEqual([]);
    });

    it('Q-FAIL-3 transient (a TransientError or a plain Error): exponential backoff, then a dead letter once attempts run out', async () => {
      const at: Record<string, number[]> = {};
      h.worker().process(QUEUES.ingest, async (j) => {
        (at[j.source] ??= []).push(Date.now());
        if (j.source === 'flaky' && at[j.source]!.length < 3) throw new TransientError('db away');
        if (j.source === 'broken') throw new Error('something odd');
      });
      await h.producer.add(QUEUES.ingest, job('flaky'));
      await h.producer.add(QUEUES.ingest, job('broken'));
      await waitFor(async () => at.flaky?.length === 3 && (await h.producer.deadLetters({ limit: 10 })).length === 1, 10_000, 'retries done');
      const f = at.flaky!;
      // 100 ms, then 200 ms: each wait at least the base doubled.
      expect(f[1]! - f[0]!).toBeGreaterThanOrEqual(90);
      expect(f[2]! - f[1]!).toBeGreaterThanOrEqual(180);
      expect(at.broken).toHaveLength(3);
      const [dead] = await h.producer.deadLetters({ limit: 10 });
      expect(dead).toMatchObject({ kind: 'exhausted', error: 'something odd', attempts: 3, summary: 'broken: 0 mentions' });
    });

    it('Q-STATS-1 stats count waiting jobs and the age of the oldest; ping answers', async () => {
      await h.producer.ping();
      const empty = await h.producer.stats();
      expect(empty).toMatchObject({ waiting: 0, oldestWaitingAgeMs: null });
      // No worker yet: the jobs wait.
      for (let i = 0; i < 3; i++) await h.producer.add(QUEUES.ingest, job(`w${i}`));
      await new Promise((r) => setTimeout(r, 250));
      const s = await h.producer.stats();
      expect(s.waiting).toBe(3);
      expect(s.oldestWaitingAgeMs).toBeGreaterThanOrEqual(200);
      const seen: string[] = [];
      h.worker().process(QUEUES.ingest, async (j) => void seen.push(j.source));
      await waitFor(() => seen.length === 3, 10_000, 'worked');
      await waitFor(async () => (await h.producer.stats()).waiting === 0, 5000, 'none waiting');
    });
  });
}
