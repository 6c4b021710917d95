import { RateLimitedError } from '../../shared/errors.js';

export interface LoginThrottleOptions {
  /** Failures of one (account, address) pair before it has to wait. */
  freeFailures?: number;
  /** Failures from one address, whatever the accounts, before it has to wait (stops spraying many accounts). */
  addressFreeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Most pairs and addresses remembered; the oldest are forgotten first (memory stays bounded under a flood). */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  /** No attempt before this time. */
  nextAt: number;
  lastAt: number;
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
 * a stranger's guesses. State is per API process.
 */
export function createLoginThrottle(opts: LoginThrottleOptions = {}) {
  const free = opts.freeFailures ?? 5;
  const addressFree = opts.addressFreeFailures ?? 30;
  const base = opts.baseDelayMs ?? 1000;
  const max = opts.maxDelayMs ?? 15 * 60_000;
  const maxEntries = opts.maxEntries ?? 100_000;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const keysOf = (a: Attempt) => [
    { key: `pair:${a.account.toLowerCase()}\u0000${a.address}`, free },
    { key: `addr:${a.address}`, free: addressFree },
  ];
  const live = (key: string): Entry | undefined => {
    const e = entries.get(key);
    // Forgotten once quiet for twice the longest wait.
    if (e && now() - e.lastAt > 2 * max) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };

  return {
    /** Throws RateLimitedError (429 with Retry-After) while the pair or the address must wait. */
    check(a: Attempt) {
      const t = now();
      for (const { key } of keysOf(a)) {
        const e = live(key);
        if (e && e.nextAt > t) throw new RateLimitedError('Too many failed sign-ins from this address; wait a moment and try again.', e.nextAt - t);
      }
    },
    fail(a: Attempt) {
      const t = now();
      for (const { key, free: allowed } of keysOf(a)) {
        const e = live(key) ?? { failures: 0, nextAt: 0, lastAt: t };
        e.failures += 1;
        e.lastAt = t;
        e.nextAt = e.failures >= allowed ? t + Math.min(max, base * 2 ** Math.min(30, e.failures - allowed)) : 0;
        entries.delete(key);
        entries.set(key, e);
      }
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    /** A right password clears its pair (the address keeps its record of failures on other accounts). */
    succeed(a: Attempt) {
      entries.delete(keysOf(a)[0]!.key);
    },
  };
}
