import type { CounterStore, Lease, LeaseStore } from '../../../shared/store.js';
import type { Prepare } from './prepare.js';

interface Row {
  name: string;
  holder: string;
  acquired_at: number;
  expires_at: number;
  version: number;
}
const lease = (r: Row): Lease => ({ name: r.name, holder: r.holder, acquiredAt: new Date(r.acquired_at).toISOString(), expiresAt: new Date(r.expires_at).toISOString(), version: r.version });

/**
 * Each call is one statement, so it is atomic across processes sharing the
 * file: the WHERE of the upsert is the compare-and-set (free, expired, or
 * already mine).
 */
export function leaseStore(prepare: Prepare): LeaseStore {
  return {
    async acquire({ name, holder, ttlMs, now }) {
      const at = Date.parse(now);
      const r = prepare(
        `INSERT INTO leases (name, holder, acquired_at, expires_at, version) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT (name) DO UPDATE SET
           acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END,
           holder = excluded.holder, expires_at = excluded.expires_at, version = leases.version + 1
         WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
         RETURNING *`,
      ).get(name, holder, at, at + ttlMs, at) as Row | undefined;
      return r ? lease(r) : null;
    },
    async renew({ name, holder, ttlMs, now }) {
      const r = prepare('UPDATE leases SET expires_at = ?, version = version + 1 WHERE name = ? AND holder = ? RETURNING *').get(Date.parse(now) + ttlMs, name, holder) as Row | undefined;
      return r ? lease(r) : null;
    },
    async release({ name, holder }) {
      return prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder).changes > 0;
    },
    async list({ prefix }) {
      const rows = prepare("SELECT * FROM leases WHERE substr(name, 1, length(?)) = ? ORDER BY name").all(prefix, prefix) as Row[];
      return rows.map(lease);
    },
  };
}

/** One upsert: the increment and the read are the same statement (Mongo: findOneAndUpdate with $inc and upsert). */
export const nextCount = (prepare: Prepare, name: string, start: number) =>
  (prepare('INSERT INTO counters (name, value) VALUES (?, ? + 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value').get(name, start) as { value: number }).value;

export function counterStore(prepare: Prepare): CounterStore {
  return {
    async next({ name, start }) {
      return nextCount(prepare, name, start);
    },
  };
}
