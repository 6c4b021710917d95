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
  it('refuses after too many failures until the window passes, and a success resets', () => {
    let t = 0;
    const th = createLoginThrottle({ max: 3, windowMs: 1000, now: () => t });
    const keys = ['email:a'];
    for (let i = 0; i < 3; i++) th.fail(keys);
    const err = (() => {
      try {
        th.check(keys);
      } catch (e) {
        return e;
      }
    })();
    expect(isHarkError(err) && err.status).toBe(429);
    t = 1001;
    expect(() => th.check(keys)).not.toThrow();
    th.fail(keys);
    th.succeed(keys);
    for (let i = 0; i < 2; i++) th.fail(keys);
    expect(() => th.check(keys)).not.toThrow();
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
