import { afterAll, beforeAll, describe } from 'vitest';
import { Redis } from 'ioredis';
import { silentLogger } from '../../shared/log.js';
import type { QueuePort } from '../../shared/queues.js';
import { createBullQueue } from '../../server/queue/bullmq-queue.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { registerQueueContract } from './queue-contract.js';

describe.skipIf(!redisAvailable())('BullMQ on a real Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  // Producer and workers are separate connections, as separate processes would be.
  registerQueueContract('bullmq', async () => {
    const r = new Redis(redis.url);
    await r.flushall();
    r.disconnect();
    const made: QueuePort[] = [];
    const make = () => {
      const q = createBullQueue({ url: redis.url, log: silentLogger, attempts: 3, backoffMs: 100 });
      made.push(q);
      return q;
    };
    return { producer: make(), worker: make, cleanup: async () => void (await Promise.all(made.map((q) => q.close()))) };
  });
});
