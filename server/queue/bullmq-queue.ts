import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { isHarkError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import type { JobPayloads, Processor, QueueName, QueuePort } from '../../shared/queues.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Distributed-mode queue on BullMQ: connectors and imports add batches from
 * any process, workers (as many as you start) take them. The same three
 * failure kinds as the inline queue: bad data fails at once (no retry),
 * rate-limited and transient errors retry with exponential backoff. `add`
 * waits while `maxWaiting` batches are queued, so producers slow to the
 * workers' pace instead of filling Redis.
 */
export function createBullQueue(opts: { url: string; log: Logger; maxWaiting?: number; attempts?: number; backoffMs?: number; concurrency?: number }): QueuePort {
  const maxWaiting = opts.maxWaiting ?? 200;
  const connection = new Redis(opts.url, { maxRetriesPerRequest: null, connectionName: 'hark-queue' });
  connection.on('error', (err: Error) => opts.log.warn('redis queue connection error', { err: err.message }));
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  const workerConnections: Redis[] = [];
  const queueOf = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = new Queue(name, { connection, prefix: 'hark' })));
    return q;
  };

  async function add<Q extends QueueName>(name: Q, job: JobPayloads[Q]) {
    const q = queueOf(name);
    for (let waited = 0; (await q.getWaitingCount()) >= maxWaiting; waited++) {
      if (waited % 50 === 0) opts.log.debug('queue full, waiting', { queue: name });
      await sleep(100);
    }
    await q.add('batch', job, { attempts: opts.attempts ?? 5, backoff: { type: 'exponential', delay: opts.backoffMs ?? 200 }, removeOnComplete: 1000, removeOnFail: 5000 });
  }

  return {
    add,
    /** A job in Redis survives this process: once added it is safe (Redis persists it; compose runs it with appendonly). */
    addDurable: add,
    process<Q extends QueueName>(name: Q, processor: Processor<Q>) {
      queueOf(name);
      const conn = new Redis(opts.url, { maxRetriesPerRequest: null, connectionName: 'hark-worker' });
      workerConnections.push(conn);
      const w = new Worker(
        name,
        async (job) => {
          try {
            await processor(job.data as JobPayloads[Q]);
          } catch (err) {
            const retryable = isHarkError(err) ? err.code === 'unavailable' || err.code === 'rate_limited' : true;
            if (!retryable) throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
            throw err;
          }
        },
        { connection: conn, prefix: 'hark', concurrency: opts.concurrency ?? 1 },
      );
      w.on('failed', (job, err) => opts.log.error('job failed', { queue: name, attempts: job?.attemptsMade, err: err.message }));
      w.on('error', (err) => opts.log.warn('worker error', { queue: name, err: err.message }));
      workers.push(w);
    },
    /** Waits for queued and running batches when this process works the queue; a producer-only process has nothing to wait for. */
    async drain() {
      if (workers.length === 0) return;
      for (;;) {
        let pending = 0;
        for (const q of queues.values()) {
          const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          pending += Object.values(c).reduce((a, b) => a + b, 0);
        }
        if (pending === 0) return;
        await sleep(50);
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      await Promise.all([connection, ...workerConnections].map((c) => c.quit().catch(() => undefined)));
    },
  };
}
