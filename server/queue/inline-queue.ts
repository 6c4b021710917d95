import { randomUUID } from 'node:crypto';
import { backoffFor, classifyFailure } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import type { DeadLetter, JobPayloads, Processor, QueueName, QueuePort } from '../../shared/queues.js';
import { summarizeJob } from './summarize-job.js';

interface Entry {
  job: unknown;
  addedAt: number;
  /** Called when the job is done (no error) or has finally failed. */
  settle?: (err?: unknown) => void;
}

interface Lane {
  jobs: Entry[];
  processor: Processor<QueueName> | null;
  running: boolean;
  /** Waiting out a backoff or a rate limit's reset. */
  delayed: number;
  idle: Array<() => void>;
  space: Array<() => void>;
}

const MAX_DEAD_LETTERS = 1000;

/**
 * Embedded-mode queue: jobs run in this process, one at a time per queue, in
 * order. `add` waits while `maxPending` jobs are queued, which slows producers
 * (connectors, imports) to the pipeline's pace instead of growing memory.
 * Failures follow classifyFailure (shared/errors.ts), like the BullMQ
 * adapter: bad data is not retried and goes to the dead letters, a rate limit
 * waits for the reset, anything else backs off exponentially and, past the
 * last attempt, goes to the dead letters. Dead letters live in this process
 * (the last 1000), as the queue itself does.
 */
export function createInlineQueue(opts: { log: Logger; maxPending?: number; maxAttempts?: number; backoffMs?: number }): QueuePort {
  const maxPending = opts.maxPending ?? 64;
  const maxAttempts = opts.maxAttempts ?? 5;
  const backoffMs = opts.backoffMs ?? 200;
  const lanes = new Map<QueueName, Lane>();
  const dead: Array<DeadLetter & { job: unknown }> = [];
  let closed = false;

  const lane = (name: QueueName): Lane => {
    let l = lanes.get(name);
    if (!l) lanes.set(name, (l = { jobs: [], processor: null, running: false, delayed: 0, idle: [], space: [] }));
    return l;
  };

  async function runOne(name: QueueName, l: Lane, entry: Entry) {
    for (let attempt = 1; ; attempt++) {
      try {
        await l.processor!(entry.job as JobPayloads[QueueName]);
        entry.settle?.();
        return;
      } catch (err) {
        const f = classifyFailure(err);
        if (f.kind === 'bad_data' || attempt >= maxAttempts || closed) {
          opts.log.error('job failed', { queue: name, attempt, kind: f.kind, err });
          dead.unshift({ id: randomUUID(), queue: name, kind: f.kind === 'bad_data' ? 'bad_data' : 'exhausted', error: f.message, attempts: attempt, failedAt: new Date().toISOString(), summary: summarizeJob(entry.job), job: entry.job });
          dead.length = Math.min(dead.length, MAX_DEAD_LETTERS);
          entry.settle?.(err);
          return;
        }
        const wait = f.kind === 'rate_limited' ? f.retryAfterMs : backoffFor(attempt, backoffMs);
        opts.log.warn('job retry', { queue: name, attempt, kind: f.kind, waitMs: wait });
        l.delayed++;
        await new Promise((r) => setTimeout(r, wait));
        l.delayed--;
      }
    }
  }

  async function pump(name: QueueName, l: Lane) {
    if (l.running || !l.processor) return;
    l.running = true;
    while (l.jobs.length > 0) {
      const entry = l.jobs.shift()!;
      l.space.shift()?.();
      await runOne(name, l, entry);
    }
    l.running = false;
    for (const done of l.idle.splice(0)) done();
  }

  async function enqueue(name: QueueName, entry: Omit<Entry, 'addedAt'>) {
    if (closed) throw new Error('queue is closed');
    const l = lane(name);
    while (l.jobs.length >= maxPending) await new Promise<void>((r) => l.space.push(r));
    l.jobs.push({ ...entry, addedAt: Date.now() });
    void pump(name, l);
  }

  return {
    add: (name, job) => enqueue(name, { job }),
    // In memory, a job is only safe once processed: a crash would lose it, so the caller must not save its cursor before.
    addDurable: (name, job) =>
      new Promise<void>((resolve, reject) => {
        enqueue(name, { job, settle: (err) => (err === undefined ? resolve() : reject(err instanceof Error ? err : new Error(String(err)))) }).catch(reject);
      }),
    process(name, processor) {
      const l = lane(name);
      l.processor = processor as Processor<QueueName>;
      void pump(name, l);
    },
    async drain() {
      await Promise.all(
        [...lanes.values()].map((l) => (l.jobs.length === 0 && !l.running ? undefined : new Promise<void>((r) => l.idle.push(r)))),
      );
    },
    async stats() {
      let waiting = 0;
      let active = 0;
      let delayed = 0;
      let oldest: number | null = null;
      for (const l of lanes.values()) {
        waiting += l.jobs.length;
        delayed += l.delayed;
        active += l.running && l.delayed === 0 ? 1 : 0;
        const first = l.jobs[0];
        if (first && (oldest === null || first.addedAt < oldest)) oldest = first.addedAt;
      }
      return { waiting, active, delayed, deadLetters: dead.length, oldestWaitingAgeMs: oldest === null ? null : Date.now() - oldest };
    },
    async ping() {},
    async deadLetters({ limit }) {
      return dead.slice(0, limit).map(({ job: _job, ...d }) => d);
    },
    async retryDeadLetter({ id }) {
      const i = dead.findIndex((d) => d.id === id);
      if (i < 0) return false;
      const [d] = dead.splice(i, 1);
      await enqueue(d!.queue, { job: d!.job });
      return true;
    },
    async close() {
      closed = true;
      for (const l of lanes.values()) for (const r of l.space.splice(0)) r();
    },
  };
}
