import { isHarkError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import type { JobPayloads, Processor, QueueName, QueuePort } from '../../shared/queues.js';

interface Entry {
  job: unknown;
  /** Called when the job is done (no error) or has finally failed. */
  settle?: (err?: unknown) => void;
}

interface Lane {
  jobs: Entry[];
  processor: Processor<QueueName> | null;
  running: boolean;
  idle: Array<() => void>;
  space: Array<() => void>;
}

/**
 * Embedded-mode queue: jobs run in this process, one at a time per queue, in
 * order. `add` waits while `maxPending` jobs are queued, which slows producers
 * (connectors, imports) to the pipeline's pace instead of growing memory.
 * Retries follow the three failure kinds: bad data is dropped (and logged),
 * rate-limited waits for the reset, transient backs off.
 */
export function createInlineQueue(opts: { log: Logger; maxPending?: number; maxAttempts?: number; backoffMs?: number }): QueuePort {
  const maxPending = opts.maxPending ?? 64;
  const maxAttempts = opts.maxAttempts ?? 5;
  const backoffMs = opts.backoffMs ?? 200;
  const lanes = new Map<QueueName, Lane>();
  let closed = false;

  const lane = (name: QueueName): Lane => {
    let l = lanes.get(name);
    if (!l) lanes.set(name, (l = { jobs: [], processor: null, running: false, idle: [], space: [] }));
    return l;
  };

  async function runOne(name: QueueName, l: Lane, entry: Entry) {
    for (let attempt = 1; ; attempt++) {
      try {
        await l.processor!(entry.job as JobPayloads[QueueName]);
        entry.settle?.();
        return;
      } catch (err) {
        const retryable = isHarkError(err) && (err.code === 'unavailable' || err.code === 'rate_limited');
        if (!retryable || attempt >= maxAttempts || closed) {
          opts.log.error('job failed', { queue: name, attempt, err });
          entry.settle?.(err);
          return;
        }
        const wait = err.code === 'rate_limited' ? Number((err.details as { retryAfterMs?: number })?.retryAfterMs ?? backoffMs) : backoffMs * 2 ** (attempt - 1);
        opts.log.warn('job retry', { queue: name, attempt, waitMs: wait });
        await new Promise((r) => setTimeout(r, wait));
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

  async function enqueue(name: QueueName, entry: Entry) {
    if (closed) throw new Error('queue is closed');
    const l = lane(name);
    while (l.jobs.length >= maxPending) await new Promise<void>((r) => l.space.push(r));
    l.jobs.push(entry);
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
    async close() {
      closed = true;
      for (const l of lanes.values()) for (const r of l.space.splice(0)) r();
    },
  };
}
