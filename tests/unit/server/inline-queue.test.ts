import { describe, expect, it } from 'vitest';
import { TransientError, ValidationError } from '../../../shared/errors.js';
import { silentLogger } from '../../../shared/log.js';
import { QUEUES } from '../../../shared/queues.js';
import { createInlineQueue } from '../../../server/queue/inline-queue.js';

const job = (source: string) => ({ source, mentions: [] });

describe('inline queue', () => {
  it('runs jobs in order, one at a time, and drains', async () => {
    const q = createInlineQueue({ log: silentLogger });
    const seen: string[] = [];
    let active = 0;
    let maxActive = 0;
    q.process(QUEUES.ingest, async (j) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 2));
      seen.push(j.source);
      active--;
    });
    for (let i = 0; i < 10; i++) await q.add(QUEUES.ingest, job(String(i)));
    await q.drain();
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(maxActive).toBe(1);
  });

  it('makes producers wait when the queue is full', async () => {
    const q = createInlineQueue({ log: silentLogger, maxPending: 2 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    q.process(QUEUES.ingest, () => gate);
    await q.add(QUEUES.ingest, job('running'));
    await q.add(QUEUES.ingest, job('a'));
    await q.add(QUEUES.ingest, job('b'));
    let accepted = false;
    const third = q.add(QUEUES.ingest, job('c')).then(() => (accepted = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(accepted).toBe(false);
    release();
    await third;
    expect(accepted).toBe(true);
    await q.drain();
  });

  it('retries transient failures with backoff and drops bad data without retry', async () => {
    const q = createInlineQueue({ log: silentLogger, backoffMs: 1, maxAttempts: 4 });
    const attempts: Record<string, number> = {};
    q.process(QUEUES.ingest, async (j) => {
      attempts[j.source] = (attempts[j.source] ?? 0) + 1;
      if (j.source === 'flaky' && attempts[j.source]! < 3) throw new TransientError('db away');
      if (j.source === 'bad') throw new ValidationError('broken');
    });
    await q.add(QUEUES.ingest, job('flaky'));
    await q.add(QUEUES.ingest, job('bad'));
    await q.add(QUEUES.ingest, job('after'));
    await q.drain();
    expect(attempts).toEqual({ flaky: 3, bad: 1, after: 1 });
  });

  it('addDurable resolves only once the job is done, and rejects when it finally fails (so no cursor moves past it)', async () => {
    const q = createInlineQueue({ log: silentLogger, backoffMs: 1, maxAttempts: 2 });
    const stored: string[] = [];
    q.process(QUEUES.ingest, async (j) => {
      await new Promise((r) => setTimeout(r, 20));
      if (j.source === 'bad') throw new ValidationError('text: required');
      stored.push(j.source);
    });
    await q.addDurable(QUEUES.ingest, job('a'));
    expect(stored).toEqual(['a']);
    await expect(q.addDurable(QUEUES.ingest, job('bad'))).rejects.toThrow(/text: required/);
    await q.add(QUEUES.ingest, job('b'));
    expect(stored).toEqual(['a']); // add only accepted it
    await q.drain();
    expect(stored).toEqual(['a', 'b']);
  });
});
