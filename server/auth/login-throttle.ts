import { RateLimitedError } from '../../shared/errors.js';

/**
 * Slows password guessing: after `max` failures for one email (or one address)
 * inside the window, sign-in answers 429 until the window passes.
 */
export function createLoginThrottle(opts: { max?: number; windowMs?: number; now?: () => number } = {}) {
  const max = opts.max ?? 10;
  const windowMs = opts.windowMs ?? 15 * 60_000;
  const now = opts.now ?? Date.now;
  const failures = new Map<string, number[]>();

  const recent = (key: string) => {
    const t = now();
    const list = (failures.get(key) ?? []).filter((at) => t - at < windowMs);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };

  return {
    check(keys: string[]) {
      for (const key of keys) {
        const list = recent(key);
        if (list.length >= max) throw new RateLimitedError('Too many failed sign-ins; try again later.', windowMs - (now() - list[0]!));
      }
    },
    fail(keys: string[]) {
      for (const key of keys) failures.set(key, [...recent(key), now()]);
    },
    succeed(keys: string[]) {
      for (const key of keys) failures.delete(key);
    },
  };
}
