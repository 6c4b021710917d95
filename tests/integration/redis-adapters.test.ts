import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarkError } from '../../shared/errors.js';
import { silentLogger } from '../../shared/log.js';
import { QUEUES } from '../../shared/queues.js';
import { createRedisBus } from '../../server/bus/redis-bus.js';
import { createBullQueue } from '../../server/queue/bullmq-queue.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { rawMention, waitFor } from '../support/harness.js';

describe.skipIf(!redisAvailable())('distributed-mode adapters on a real Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('bus: a topic published in one process reaches subscribers in another, in order; a failing subscriber hurts no one', async () => {
    const a = await createRedisBus(redis.url, silentLogger);
    const b = await createRedisBus(redis.url, silentLogger);
    const got: string[] = [];
    b.subscribe('team.notice', () => {
      throw new Error('subscriber bug');
    });
    b.subscribe('team.notice', (n) => void got.push(n.message));
    await b.ready();
    for (let i = 0; i < 20; i++) a.publish('team.notice', { team: 't', message: `m${i}`, caseId: null, at: new Date().toISOString() });
    await waitFor(() => got.length === 20, 3000, 'twenty notices');
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    await Promise.all([a.close(), b.close()]);
  });

  it('queue: batches added by a producer are worked once each by a worker; bad data fails at once, transient errors retry', async () => {
    const producer = createBullQueue({ url: redis.url, log: silentLogger, backoffMs: 20 });
    const worker = createBullQueue({ url: redis.url, log: silentLogger, backoffMs: 20 });
    const seen: string[] = [];
    let flaky = 2;
    let badTries = 0;
    worker.process(QUEUES.ingest, async (job) => {
      if (job.source === 'flaky' && flaky-- > 0) throw new HarkError('unavailable', 503, 'store busy');
      if (job.source === 'bad') {
        badTries++;
        throw new HarkError('validation_failed', 400, 'text: required');
      }
      seen.push(`${job.source}:${job.mentions.length}`);
    });
    for (let i = 0; i < 10; i++) await producer.add(QUEUES.ingest, { source: `c${i}`, mentions: [rawMention(i)] });
    await producer.add(QUEUES.ingest, { source: 'flaky', mentions: [rawMention(99), rawMention(98)] });
    await producer.add(QUEUES.ingest, { source: 'bad', mentions: [] });
    await worker.drain();
    expect(seen.sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `c${i}:1`), 'flaky:2'].sort());
    expect(badTries).toBe(1);
    await Promise.all([producer.close(), worker.close()]);
  });

  it('queue: a producer waits while the queue is full (backpressure)', async () => {
    const producer = createBullQueue({ url: redis.url, log: silentLogger, maxWaiting: 3 });
    for (let i = 0; i < 3; i++) await producer.add(QUEUES.ingest, { source: `full${i}`, mentions: [] });
    let added = false;
    const pending = producer.add(QUEUES.ingest, { source: 'late', mentions: [] }).then(() => (added = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(added).toBe(false);
    const worker = createBullQueue({ url: redis.url, log: silentLogger });
    worker.process(QUEUES.ingest, async () => undefined);
    await pending;
    expect(added).toBe(true);
    await worker.drain();
    await Promise.all([producer.close(), worker.close()]);
  });
});
