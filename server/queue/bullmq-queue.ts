import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { classifyFailure } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import type { DeadLetter, JobPayloads, Processor, QueueName, QueuePort } from '../../shared/queues.js';
import { QUEUES } from '../../shared/queues.js';
import { summarizeJob } from './summarize-job.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BAD_DATA = '[bad_data] ';

/** ioredis queues commands while Redis is away (maxRetriesPerRequest: null): health must not wait for it. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}

/**
 * Distributed-mode queue on BullMQ: connectors and imports add batches from
 * any process, workers (as many as you start) take them. Failures follow
 * classifyFailure (shared/errors.ts), like the inline queue: bad data fails
 * at once (no retry) and is kept among the failed jobs (the dead letters,
 * which admins list and re-run); a rate limit moves the job to the delayed
 * set until the reset the network gave; anything else retries with
 * exponential backoff and, past the last attempt, is a dead letter too.
 * `add` waits while `maxWaiting` batches are queued, so producers slow to
 * the workers' pace instead of filling Redis.
 */
export function createBullQueue(opts: { url: string; log: Logger; maxWaiting?: number; attempts?: number; backoffMs?: number; concurrency?: number; probeTimeoutMs?: number; lockMs?: number }): QueuePort {
  const maxWaiting = opts.maxWaiting ?? 200;
  const probeMs = opts.probeTimeoutMs ?? 1000;
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
  const allQueues = () => Object.values(QUEUES).map(queueOf);

  async function add<Q extends QueueName>(name: Q, job: JobPayloads[Q]) {
    const q = queueOf(name);
    for (let waited = 0; (await q.getWaitingCount()) >= maxWaiting; waited++) {
      if (waited % 50 === 0) opts.log.debug('queue full, waiting', { queue: name });
      await sleep(100);
    }
    await q.add('batch', job, { attempts: opts.attempts ?? 5, backoff: { type: 'exponential', delay: opts.backoffMs ?? 200 }, removeOnComplete: 1000, removeOnFail: 5000 });
  }

  const deadLetterOf = (name: QueueName, j: Job): DeadLetter => {
    const reason = j.failedReason ?? '';
    return {
      id: `${name}|${j.id}`,
      queue: name,
      kind: reason.startsWith(BAD_DATA) ? 'bad_data' : 'exhausted',
      error: reason.startsWith(BAD_DATA) ? reason.slice(BAD_DATA.length) : reason,
      attempts: j.attemptsMade,
      failedAt: new Date(j.finishedOn ?? j.timestamp).toISOString(),
      summary: summarizeJob(j.data),
    };
  };

  return {
    add,
    /** A job in Redis survives this process: once added it is safe (Redis persists it; compose runs it with appendonly). */
    addDurable: add,
    process<Q extends QueueName>(name: Q, processor: Processor<Q>) {
      queueOf(name);
      const conn = new Redis(opts.url, { maxRetriesPerRequest: null, connectionName: 'hark-worker' });
      conn.on('error', (err: Error) => opts.log.warn('redis worker connection error', { err: err.message }));
      workerConnections.push(conn);
      const w = new Worker(
        name,
        async (job, token) => {
          try {
            await processor(job.data as JobPayloads[Q]);
          } catch (err) {
            const f = classifyFailure(err);
            if (f.kind === 'bad_data') throw new UnrecoverableError(BAD_DATA + f.message);
            if (f.kind === 'rate_limited') {
              // Back in the queue at the network's reset, not at the backoff's guess; this does not use up an attempt.
              opts.log.warn('job rate limited: retried at the reset', { queue: name, waitMs: f.retryAfterMs });
              await job.moveToDelayed(Date.now() + f.retryAfterMs, token);
              throw new DelayedError();
            }
            throw err;
          }
        },
        // A worker killed mid-job holds its lock until lockDuration: then another worker takes the job again (stalled-job check).
        { connection: conn, prefix: 'hark', concurrency: opts.concurrency ?? 1, ...(opts.lockMs ? { lockDuration: opts.lockMs, stalledInterval: Math.max(500, Math.floor(opts.lockMs / 2)) } : {}) },
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
    async stats() {
      const out = { waiting: 0, active: 0, delayed: 0, deadLetters: 0, oldestWaitingAgeMs: null as number | null };
      for (const q of allQueues()) {
        const c = await within(q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'), probeMs, 'Redis');
        out.waiting += (c.waiting ?? 0) + (c.prioritized ?? 0);
        out.active += c.active ?? 0;
        out.delayed += c.delayed ?? 0;
        out.deadLetters += c.failed ?? 0;
        const [oldest] = await within(q.getJobs(['waiting'], 0, 0, true), probeMs, 'Redis');
        if (oldest) out.oldestWaitingAgeMs = Math.max(out.oldestWaitingAgeMs ?? 0, Date.now() - oldest.timestamp);
      }
      return out;
    },
    async ping() {
      await within(connection.ping(), probeMs, 'Redis');
    },
    async deadLetters({ limit }) {
      const out: DeadLetter[] = [];
      for (const name of Object.values(QUEUES)) {
        const jobs = await queueOf(name).getFailed(0, Math.max(0, limit - 1));
        out.push(...jobs.map((j) => deadLetterOf(name, j as Job)));
      }
      return out.sort((a, b) => b.failedAt.localeCompare(a.failedAt)).slice(0, limit);
    },
    async retryDeadLetter({ id }) {
      const [name, jobId] = id.split('|') as [QueueName, string | undefined];
      if (!jobId || !Object.values(QUEUES).includes(name)) return false;
      const job = await Job.fromId(queueOf(name), jobId);
      if (!job || !(await job.isFailed())) return false;
      await job.retry('failed', { resetAttemptsMade: true });
      return true;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      await Promise.all([connection, ...workerConnections].map((c) => c.quit().catch(() => undefined)));
    },
  };
}
