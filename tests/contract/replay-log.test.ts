import { afterAll, beforeAll, describe } from 'vitest';
import { Redis } from 'ioredis';
import { createMemoryReplayLog } from '../../server/realtime/memory-replay-log.js';
import { createRedisReplayLog } from '../../server/realtime/redis-replay-log.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { replayLogContract } from './replay-log-contract.js';

replayLogContract('memory', async (limits) => {
  const log = createMemoryReplayLog(limits);
  return { log, close: () => log.close() };
}, { shared: false });

describe.skipIf(!redisAvailable())('on a real Redis', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let n = 0;
  beforeAll(async () => {
    redis = await startRedis();
  }, 20_000);
  afterAll(() => redis?.stop());

  replayLogContract('redis', async (limits) => {
    const room = `contract-${++n}`;
    const log = await createRedisReplayLog(redis.url, room, limits);
    return { log, openTwin: () => createRedisReplayLog(redis.url, room, limits), close: () => log.close() };
  }, { shared: true });

  replayLogContract('redis, after Redis lost the log', async (limits) => {
    // The log was used, then Redis was emptied (a restart without persistence): a new epoch, numbering from 1.
    const room = `lost-${++n}`;
    const first = await createRedisReplayLog(redis.url, room, limits);
    await first.append('mention.created', '{}');
    const before = (await first.readSince(0)).epoch;
    await first.close();
    const r = new Redis(redis.url);
    await r.del(`hark:rt:${room}:log`, `hark:rt:${room}:meta`);
    r.disconnect();
    const log = await createRedisReplayLog(redis.url, room, limits);
    if ((await log.readSince(0)).epoch === before) throw new Error('epoch survived the loss of the log');
    return { log, openTwin: () => createRedisReplayLog(redis.url, room, limits), close: () => log.close() };
  }, { shared: true });
});
