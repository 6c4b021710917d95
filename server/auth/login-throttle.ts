import type { Redis } from 'ioredis';
import { RateLimitedError } from '../../shared/errors.js';

/**
 * Where failure counts live: in this process (embedded mode) or in Redis, so
 * several API processes share one count and an attacker gains nothing by
 * spreading guesses over them.
 */
export interface ThrottleState {
  /** Adds a failure and returns how many this key has had; the record is forgotten `ttlMs` after the last failure. */
  addFailure(key: string, ttlMs: number): Promise<number>;
  setNextAt(key: string, at: number, ttlMs: number): Promise<void>;
  /** For each key, the time before which no attempt is allowed (0 for none). */
  nextAt(keys: string[]): Promise<number[]>;
  clear(key: string): Promise<void>;
}

export interface LoginThrottleOptions {
  /** Failures of one (account, address) pair before it has to wait. */
  freeFailures?: number;
  /** Failures from one address, whatever the accounts, before it has to wait (stops spraying many accounts). */
  addressFreeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Most pairs and addresses the in-process state remembers; the oldest go first (memory stays bounded under a flood). */
  maxEntries?: number;
  now?: () => number;
  state?: ThrottleState;
}

export interface Attempt {
  account: string;
  address: string;
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/**
 * Slows password guessing without letting anyone lock an account: each
 * (account, address) pair waits exponentially longer after each failure past
 * a few (1 s, 2 s, 4 s … up to 15 min), and so does an address that fails on
 * many accounts. The owner signing in from another address is never slowed by
 * a stranger's guesses.
 */
export function createLoginThrottle(opts: LoginThrottleOptions = {}) {
  const free = opts.freeFailures ?? 5;
  const addressFree = opts.addressFreeFailures ?? 30;
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 15 * 60_000;
  const now = opts.now ?? Date.now;
  const state = opts.state ?? memoryThrottleState({ maxEntries: opts.maxEntries ?? 100_000, now });
  // Forgotten once quiet for twice the longest wait.
  const ttl = 2 * max;

  const keysOf = (a: Attempt) => [
    { key: `pair:${a.account.toLowerCase()}\u0000${a.address}`, free },
    { key: `addr:${a.address}`, free: addressFree },
  ];

  return {
    /** Throws RateLimitedError (429 with Retry-After) while the pair or the address must wait. */
    async check(a: Attempt) {
      const t = now();
      const wait = Math.max(0, ...(await state.nextAt(keysOf(a).map((k) => k.key))).map((at) => at - t));
      if (wait > 0) throw new RateLimitedError('Too many failed sign-ins from this address; wait a moment and try again.', wait);
    },
    async fail(a: Attempt) {
      const t = now();
      for (const { key, free: allowed } of keysOf(a)) {
        const failures = await state.addFailure(key, ttl);
        if (failures >= allowed) await state.setNextAt(key, t + Math.min(max, base * 2 ** Math.min(30, failures - allowed)), ttl);
      }
    },
    /** A right password clears its pair (the address keeps its record of failures on other accounts). */
    async succeed(a: Attempt) {
      await state.clear(keysOf(a)[0]!.key);
    },
  };
}

export function memoryThrottleState(opts: { maxEntries: number; now: () => number }): ThrottleState {
  const entries = new Map<string, { failures: number; nextAt: number; expiresAt: number }>();
  const live = (key: string) => {
    const e = entries.get(key);
    if (e && e.expiresAt <= opts.now()) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  return {
    async addFailure(key, ttlMs) {
      const e = live(key) ?? { failures: 0, nextAt: 0, expiresAt: 0 };
      e.failures += 1;
      e.expiresAt = opts.now() + ttlMs;
      entries.delete(key);
      entries.set(key, e);
      while (entries.size > opts.maxEntries) entries.delete(entries.keys().next().value!);
      return e.failures;
    },
    async setNextAt(key, at) {
      const e = live(key);
      if (e) e.nextAt = at;
    },
    async nextAt(keys) {
      return keys.map((k) => live(k)?.nextAt ?? 0);
    },
    async clear(key) {
      entries.delete(key);
    },
  };
}

/** Distributed mode: one count across every API process, expiring in Redis. */
export function redisThrottleState(redis: Redis, prefix = 'hark:login-throttle:'): ThrottleState {
  return {
    async addFailure(key, ttlMs) {
      const res = await redis.multi().hincrby(prefix + key, 'f', 1).pexpire(prefix + key, ttlMs).exec();
      return Number(res?.[0]?.[1] ?? 1);
    },
    async setNextAt(key, at) {
      await redis.hset(prefix + key, 'n', String(at));
    },
    async nextAt(keys) {
      return Promise.all(keys.map(async (k) => Number((await redis.hget(prefix + k, 'n')) ?? 0)));
    },
    async clear(key) {
      await redis.del(prefix + key);
    },
  };
}

/** Redis away must not stop sign-ins: this process counts on its own until it is back. */
export function withFallback(primary: ThrottleState, fallback: ThrottleState, onError: (err: unknown) => void): ThrottleState {
  const run =
    <A extends unknown[], R>(f: (s: ThrottleState) => (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await f(primary)(...a);
      } catch (err) {
        onError(err);
        return f(fallback)(...a);
      }
    };
  return {
    addFailure: run((s) => s.addFailure.bind(s)),
    setNextAt: run((s) => s.setNextAt.bind(s)),
    nextAt: run((s) => s.nextAt.bind(s)),
    clear: run((s) => s.clear.bind(s)),
  };
}
