import { describe, expect, it } from 'vitest';
import { normalize } from '../../../workers/pipeline/normalize.js';

const now = () => new Date('2026-11-24T12:00:00.000Z');

describe('normalize stage', () => {
  it('settles defaults and keeps the facts', () => {
    const { ok, rejected } = normalize(
      [{ platform: 'x', externalId: 42, text: '  Flight &amp; bags &lt;3 ', author: { handle: 'ana', followers: '1200' }, createdAt: 1764000000 }],
      { now },
    );
    expect(rejected).toEqual([]);
    const m = ok[0]!.mention;
    expect(m.externalId).toBe('42');
    expect(m.text).toBe('Flight & bags <3');
    expect(m.author).toMatchObject({ handle: 'ana', followers: 1200, verified: false });
    expect(m.createdAt).toBe(new Date(1764000000 * 1000).toISOString());
    expect(m.ingestedAt).toBe('2026-11-24T12:00:00.000Z');
    expect(m.demo).toBe(false);
  });

  it('rejects bad items with the field named and keeps the rest of the batch', () => {
    const { ok, rejected } = normalize(
      [
        { platform: 'x', externalId: '1', text: 'fine' },
        { platform: 'x', text: 'no id' },
        { platform: 'X!', externalId: '3', text: 'bad platform' },
        { platform: 'x', externalId: '4', text: '' },
        { platform: 'x', externalId: '5', text: 'bad date', createdAt: 'yesterday-ish' },
        null,
        { platform: 'x', externalId: '7', text: 'also fine' },
      ],
      { now },
    );
    expect(ok.map((o) => o.index)).toEqual([0, 6]);
    expect(rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5]);
    expect(rejected[0]!.message).toMatch(/^externalId/);
    expect(rejected[1]!.message).toMatch(/^platform/);
    expect(rejected[2]!.message).toMatch(/^text/);
    expect(rejected[3]!.message).toMatch(/^createdAt/);
  });

  it('drops links that are not http(s), so no javascript: URL reaches the UI', () => {
    const { ok } = normalize([{ platform: 'x', externalId: '1', text: 't', url: 'javascript:alert(1)', author: { handle: 'h', url: 'https://x.com/h' } }], { now });
    expect(ok[0]!.mention.url).toBeNull();
    expect(ok[0]!.mention.author.url).toBe('https://x.com/h');
  });

  it('cuts absurdly long texts', () => {
    const { ok } = normalize([{ platform: 'x', externalId: '1', text: 'a'.repeat(100_000) }], { now });
    expect(ok[0]!.mention.text.length).toBe(40_000);
  });
});
