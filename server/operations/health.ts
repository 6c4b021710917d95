import type { HealthDetail, HealthProbe, HealthResponse } from '../../shared/api.js';
import type { QueuePort } from '../../shared/queues.js';
import type { Store } from '../../shared/store.js';

export interface HealthDeps {
  store: Store;
  queue: QueuePort;
  role: string;
  /** Distributed mode: the queue is on Redis, so Redis is probed. */
  distributed: boolean;
  now: () => Date;
  /** A batch waiting longer than this means no worker keeps up (or none runs). */
  maxWaitMs?: number;
}

async function probe(run: () => Promise<unknown>): Promise<HealthProbe> {
  const t = performance.now();
  try {
    await run();
    return { ok: true, latencyMs: Math.round(performance.now() - t) };
  } catch (e) {
    return { ok: false, latencyMs: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * What GET /api/health answers, measured now: a real query to the store, a
 * PING to Redis, the queue's depth and the age of its oldest waiting batch,
 * and who holds which lease (connectors, timed duties). `down` when the store
 * does not answer (nothing can be served), `degraded` when Hark serves but a
 * part is away or behind.
 */
export async function checkHealth(deps: HealthDeps): Promise<Required<HealthResponse>> {
  const problems: string[] = [];
  const store = await probe(() => deps.store.ping());
  if (!store.ok) problems.push('the store does not answer');
  const redis = deps.distributed ? await probe(() => deps.queue.ping()) : null;
  if (redis && !redis.ok) problems.push('Redis does not answer: new batches wait in the connectors, realtime events between processes stop');

  let queue: HealthDetail['queue'] = { ok: false, waiting: null, active: null, delayed: null, deadLetters: null, oldestWaitingAgeMs: null };
  if (!redis || redis.ok) {
    try {
      queue = { ok: true, ...(await deps.queue.stats()) };
    } catch (e) {
      queue.error = e instanceof Error ? e.message : String(e);
    }
  } else queue.error = 'Redis does not answer';
  if (!queue.ok) problems.push('the queue cannot be read');
  const maxWait = deps.maxWaitMs ?? 120_000;
  if (queue.oldestWaitingAgeMs !== null && queue.oldestWaitingAgeMs > maxWait) problems.push(`the oldest batch has waited ${Math.round(queue.oldestWaitingAgeMs / 1000)} s: are workers running?`);

  const nowMs = deps.now().getTime();
  let leases: HealthDetail['leases'] = [];
  if (store.ok) {
    try {
      const all = [...(await deps.store.leases.list({ prefix: 'connector:' })), ...(await deps.store.leases.list({ prefix: 'duty:' }))];
      leases = all.map((l) => ({ name: l.name, holder: l.holder, expiresAt: l.expiresAt, expired: Date.parse(l.expiresAt) <= nowMs }));
    } catch {
      // the store answered the ping a moment ago; the leases are shown at the next check
    }
  }
  // A lease left to expire means its holder died and no process has taken over yet.
  for (const l of leases) if (l.expired) problems.push(`${l.name} has no live holder (last ${l.holder}, expired ${l.expiresAt})`);

  const status = !store.ok ? 'down' : problems.length ? 'degraded' : 'ok';
  return { status, detail: { role: deps.role, checkedAt: deps.now().toISOString(), store: { ...store, kind: deps.store.kind }, redis, queue, leases, problems } };
}
