import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../shared/log.js';
import { QUEUES, type QueuePort } from '../../shared/queues.js';
import type { RawMention } from '../../shared/raw-mention.js';
import { generateMentions } from '../../connectors/demo/index.js';
import { createMemoryBus } from '../../server/bus/memory-bus.js';
import { createRedisBus } from '../../server/bus/redis-bus.js';
import { createBullQueue } from '../../server/queue/bullmq-queue.js';
import { createInlineQueue } from '../../server/queue/inline-queue.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { createScorer } from '../../workers/nlp/index.js';
import { runIngest } from '../../workers/pipeline/run-ingest.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';
import { summarize } from './stats.js';

export interface QueueBenchResult {
  mentions: number;
  batchSize: number;
  rows: Array<{ setup: string; seconds: number; perSecond: number }>;
  /** Time from `add` of a 50-mention batch to its `mentions.stored` event, one batch at a time. */
  latency: { inProcess: ReturnType<typeof summarize>; bullmq: ReturnType<typeof summarize> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BRANDS = ['Acme Air', 'Nimbus Mobile'];
const batchesOf = (all: RawMention[], size: number, tag: string) => {
  const out: RawMention[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size).map((m) => ({ ...m, externalId: `${m.externalId}#${tag}` })));
  return out;
};

/**
 * The same batches through the in-process queue (pipeline in this process)
 * and through BullMQ to 1 and 2 worker processes (`server/main.ts --role
 * worker`, started before the clock starts), all into SQLite; then the extra
 * latency the queue adds to one batch.
 */
export async function benchQueue(opts: { total: number; batchSize: number; latencyBatches: number }): Promise<QueueBenchResult> {
  if (!redisAvailable()) throw new Error('the queue benchmark needs redis-server');
  const base = generateMentions(opts.total, { brands: BRANDS, seed: 11 });
  const rows: QueueBenchResult['rows'] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-bench-queue-'));
  const redis = await startRedis();
  const workers: SpawnedHark[] = [];
  let inProcess: ReturnType<typeof summarize>;
  try {
    // In process: the inline queue and the pipeline in this process, as embedded mode runs.
    {
      const store = openSqliteStore({ file: path.join(dir, 'inline.sqlite') });
      const bus = createMemoryBus(silentLogger);
      const scorer = createScorer({ brands: BRANDS });
      const q = createInlineQueue({ log: silentLogger });
      q.process(QUEUES.ingest, async (job) => void (await runIngest(job.mentions, { mentions: store.mentions, scorer, bus, now: () => new Date(), log: silentLogger })));
      const t0 = performance.now();
      for (const b of batchesOf(base, opts.batchSize, 'inline')) await q.add(QUEUES.ingest, { source: 'bench', mentions: b });
      await q.drain();
      const seconds = (performance.now() - t0) / 1000;
      if ((await store.mentions.count()) !== opts.total) throw new Error('inline queue lost mentions');
      rows.push({ setup: 'in process (inline queue)', seconds, perSecond: opts.total / seconds });

      const lat: number[] = [];
      let storedAt = 0;
      bus.subscribe('mentions.stored', () => (storedAt = performance.now()));
      const small = generateMentions(opts.latencyBatches * 50, { brands: BRANDS, seed: 12 });
      for (const b of batchesOf(small, 50, 'lat-inline')) {
        storedAt = 0;
        const t = performance.now();
        await q.add(QUEUES.ingest, { source: 'bench', mentions: b });
        while (!storedAt) await sleep(0);
        lat.push(storedAt - t);
      }
      await q.close();
      await store.close();
      inProcess = summarize(lat);
    }

    const runBull = async (n: number, tag: string) => {
      const dataDir = fs.mkdtempSync(path.join(dir, `bull-${n}-`));
      const env = { REDIS_URL: redis.url, SIMULATOR: 'off', LOG_LEVEL: 'error' };
      const mine = await Promise.all(Array.from({ length: n }, () => spawnHark(env, { role: 'worker', dataDir })));
      workers.push(...mine);
      const store = openSqliteStore({ file: path.join(dataDir, 'hark.sqlite') });
      const producer: QueuePort = createBullQueue({ url: redis.url, log: silentLogger, maxWaiting: 400 });
      const t0 = performance.now();
      for (const b of batchesOf(base, opts.batchSize, tag)) await producer.add(QUEUES.ingest, { source: 'bench', mentions: b });
      while ((await store.mentions.count()) < opts.total) await sleep(20);
      const seconds = (performance.now() - t0) / 1000;
      rows.push({ setup: `BullMQ, ${n} worker process${n > 1 ? 'es' : ''}`, seconds, perSecond: opts.total / seconds });
      const stop = async () => {
        await producer.close();
        await store.close();
        await Promise.all(mine.map((w) => w.stop()));
      };
      return { producer, stop };
    };

    const one = await runBull(1, 'bull1');
    // Latency: one worker idle, one 50-mention batch at a time, to its stored event on the Redis bus.
    const bus = await createRedisBus(redis.url, silentLogger);
    await bus.ready();
    let storedAt = 0;
    bus.subscribe('mentions.stored', () => (storedAt = performance.now()));
    await sleep(200);
    const lat: number[] = [];
    const small = generateMentions(opts.latencyBatches * 50, { brands: BRANDS, seed: 12 });
    for (const b of batchesOf(small, 50, 'lat-bull')) {
      storedAt = 0;
      const t = performance.now();
      await one.producer.add(QUEUES.ingest, { source: 'bench', mentions: b });
      while (!storedAt) await sleep(0);
      lat.push(storedAt - t);
    }
    await bus.close();
    await one.stop();
    const two = await runBull(2, 'bull2');
    await two.stop();
    return { mentions: opts.total, batchSize: opts.batchSize, rows, latency: { inProcess, bullmq: summarize(lat) } };
  } finally {
    await Promise.all(workers.map((w) => w.stop().catch(() => null)));
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
