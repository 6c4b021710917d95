import { describe, expect, it } from 'vitest';
import { isHarkError } from '../../../shared/errors.js';
import { createLoginThrottle } from '../../../server/auth/login-throttle.js';
import { hashPassword, verifyPassword } from '../../../server/auth/passwords.js';
import { readCookie } from '../../../server/auth/sessions.js';

describe('passwords', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('s3cret pass');
    const b = await hashPassword('s3cret pass');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('s3cret pass', a)).toBe(true);
    expect(await verifyPassword('s3cret pasS', a)).toBe(false);
    expect(await verifyPassword('anything', 'garbage')).toBe(false);
  });
});

describe('login throttle', () => {
  const retryAfter = async (f: () => Promise<void>): Promise<number | null> => {
    try {
      await f();
      return null;
    } catch (e) {
      expect(isHarkError(e) && e.status).toBe(429);
      return (e as { retryAfterMs: number }).retryAfterMs;
    }
  };

  it('backs off exponentially per (account, address) after a few failures, and a success resets the pair', async () => {
    let t = 0;
    const th = createLoginThrottle({ freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 60_000, now: () => t });
    const a = { account: 'ana@x.co', address: '10.0.0.1' };
    for (let i = 0; i < 2; i++) await th.fail(a);
    expect(await retryAfter(() => th.check(a))).toBeNull();
    await th.fail(a);
    expect(await retryAfter(() => th.check(a))).toBe(1000);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      t += 60_000;
      await th.fail(a);
      waits.push((await retryAfter(() => th.check(a)))!);
    }
    expect(waits.slice(0, 6)).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000]);
    expect(Math.max(...waits)).toBe(60_000);
    await th.succeed(a);
    expect(await retryAfter(() => th.check(a))).toBeNull();
  });

  it('never slows the same account from another address: no one can lock an account', async () => {
    const th = createLoginThrottle({ freeFailures: 3, now: () => 0 });
    for (let i = 0; i < 50; i++) await th.fail({ account: 'admin@x.co', address: '203.0.113.1' });
    expect(await retryAfter(() => th.check({ account: 'admin@x.co', address: '203.0.113.1' }))).toBeGreaterThan(0);
    expect(await retryAfter(() => th.check({ account: 'admin@x.co', address: '198.51.100.2' }))).toBeNull();
  });

  it('slows an address that fails across many accounts, and stays bounded in memory', async () => {
    const th = createLoginThrottle({ freeFailures: 3, addressFreeFailures: 10, maxEntries: 100, now: () => 0 });
    for (let i = 0; i < 10; i++) await th.fail({ account: `u${i}@x.co`, address: '203.0.113.9' });
    expect(await retryAfter(() => th.check({ account: 'new@x.co', address: '203.0.113.9' }))).toBeGreaterThan(0);
    for (let i = 0; i < 1000; i++) await th.fail({ account: 'x@x.co', address: `10.1.${i >> 8}.${i & 255}` });
    // The flood evicted old entries rather than growing without end.
    expect(await retryAfter(() => th.check({ account: 'new@x.co', address: '203.0.113.9' }))).toBeNull();
  });
});

describe('readCookie', () => {
  it('finds one cookie among several and survives bad encoding', () => {
    expect(readCookie('a=1; hark_session=abc%3D; b=2', 'hark_session')).toBe('abc=');
    expect(readCookie('hark_sessionx=1', 'hark_session')).toBeUndefined();
    expect(readCookie('hark_session=%E0%A4%A', 'hark_session')).toBeUndefined();
    expect(readCookie(undefined, 'x')).toBeUndefined();
  });
});
