import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../shared/log.js';
import type { Lease, Store } from '../../shared/store.js';

export const DUTY_LEASE_PREFIX = 'duty:';

/** A name for this process in leases: host, pid and a random part (a restarted process is a new holder). */
export const holderId = (role: string) => `${role}@${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export interface DutyContext {
  /** False once this process lost the lease mid-run (it expired and another took it): long sweeps stop early. */
  stillHeld(): boolean;
}

export interface DutyRunner {
  /**
   * Registers a timed duty. It runs every `everyMs` in exactly one process of
   * the deployment (the one holding the lease `duty:<name>`), never twice at
   * once: a run slower than its tick keeps the lease renewed and the next
   * tick waits for it.
   */
  every(name: string, everyMs: number, run: (ctx: DutyContext) => Promise<unknown>): void;
  leases(): Promise<Lease[]>;
  /** Waits for running duties and releases their leases, so another process takes over at once. */
  close(): Promise<void>;
}

/**
 * Timed duties (snooze wake-ups, SLA breaches, spike alerts, session expiry,
 * webhook dispatch) behind one lease each in the store. Every process that
 * registers a duty tries to take its lease at each tick; the holder renews it
 * and runs, the others find it held. When the holder dies its lease expires
 * after `leaseMs` and the next process to tick takes over.
 */
export function createDutyRunner(deps: { store: Store; holder: string; log: Logger; now: () => Date; leaseMs: number }): DutyRunner {
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<string, Promise<void>>();
  const names = new Set<string>();
  let closed = false;

  function every(name: string, everyMs: number, run: (ctx: DutyContext) => Promise<unknown>) {
    if (names.has(name)) throw new Error(`duty ${name} is registered twice`);
    names.add(name);
    const lease = DUTY_LEASE_PREFIX + name;
    // Long enough to outlive a few ticks (no flapping between processes), short enough to take over quickly.
    const ttlMs = Math.max(deps.leaseMs, 2 * everyMs);
    const tick = async () => {
      if (closed) return;
      if (running.has(name)) return; // the previous run is still going; its heartbeat keeps the lease
      const held = await deps.store.leases.acquire({ name: lease, holder: deps.holder, ttlMs, now: deps.now().toISOString() });
      if (!held || closed) return;
      let lost = false;
      const heartbeat = setInterval(() => {
        deps.store.leases
          .renew({ name: lease, holder: deps.holder, ttlMs, now: deps.now().toISOString() })
          .then((l) => {
            if (!l) lost = true;
          })
          .catch((err: unknown) => deps.log.warn('duty lease renewal failed', { duty: name, err }));
      }, Math.max(50, Math.floor(ttlMs / 3)));
      heartbeat.unref();
      const p = run({ stillHeld: () => !lost && !closed })
        .then(() => undefined)
        .catch((err: unknown) => deps.log.error('duty failed', { duty: name, err }))
        .finally(() => {
          clearInterval(heartbeat);
          running.delete(name);
        });
      running.set(name, p);
      await p;
    };
    const timer = setInterval(() => void tick().catch((err: unknown) => deps.log.warn('duty lease unavailable', { duty: name, err })), everyMs);
    timer.unref();
    timers.push(timer);
  }

  return {
    every,
    leases: () => deps.store.leases.list({ prefix: DUTY_LEASE_PREFIX }),
    async close() {
      closed = true;
      for (const t of timers) clearInterval(t);
      await Promise.all(running.values());
      await Promise.all([...names].map((n) => deps.store.leases.release({ name: DUTY_LEASE_PREFIX + n, holder: deps.holder }).catch(() => false)));
    },
  };
}
