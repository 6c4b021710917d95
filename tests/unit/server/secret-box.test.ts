import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../server/secrets/secret-box.js';

describe('secret box (AES-256-GCM, key from HARK_SECRET_KEY)', () => {
  const box = createSecretBox('a-long-random-secret-key-of-32-chars!');
  it('opens what it sealed, under the same name only', () => {
    const sealed = box.seal('{"bearerToken":"AAAA-secret"}', 'secret.network.x');
    expect(sealed).not.toContain('AAAA-secret');
    expect(box.open(sealed, 'secret.network.x')).toBe('{"bearerToken":"AAAA-secret"}');
    expect(() => box.open(sealed, 'secret.network.reddit')).toThrow();
  });
  it('uses a fresh IV every time, and refuses a tampered value or another key', () => {
    const a = box.seal('same', 'k');
    const b = box.seal('same', 'k');
    expect(a).not.toBe(b);
    const parts = a.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0]! ^= 1;
    expect(() => box.open([parts[0], parts[1], body.toString('base64url'), parts[3]].join('.'), 'k')).toThrow();
    expect(() => createSecretBox('another-long-random-secret-key-32!!').open(a, 'k')).toThrow();
  });
  it('without a key it says it cannot seal', () => {
    const none = createSecretBox(null);
    expect(none.available).toBe(false);
    expect(() => none.seal('x', 'k')).toThrow(/HARK_SECRET_KEY/);
  });
});
