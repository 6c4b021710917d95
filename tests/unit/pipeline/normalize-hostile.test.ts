import { describe, expect, it } from 'vitest';
import { normalize } from '../../../workers/pipeline/normalize.js';

const now = () => new Date('2026-11-24T12:00:00.000Z');
const one = (over: Record<string, unknown>) => normalize([{ platform: 'x', externalId: '1', text: 'hello', ...over }], { now });

/** Issue 11 items 6-8 at the normalize stage: what connectors and imports bring. */
describe('normalize: hostile connector and import input', () => {
  it('strips control characters and bidi overrides from text and author data, keeping emoji, RTL and newlines', () => {
    const { ok, rejected } = one({
      text: 'bad\u0000 \u001b[31mred\u0007 \u202Egnp.exe\u202C line\r\nتأخرت الرحلة 😡👍🏽 👩‍👩‍👧\tok\u0085',
      author: { handle: 'h\u0000andle', name: 'Ana\u001b[2J\nSmith\u2066x\u2069' },
      brand: 'Ac\u0007me',
    });
    expect(rejected).toEqual([]);
    const m = ok[0]!.mention;
    expect(m.text).toBe('bad [31mred gnp.exe line\nتأخرت الرحلة 😡👍🏽 👩‍👩‍👧\tok');
    expect(m.author.handle).toBe('handle');
    expect(m.author.name).toBe('Ana[2J Smithx');
    expect(m.brand).toBe('Acme');
  });

  it('replaces a lone surrogate, never stores it', () => {
    const m = one({ text: 'half \uD83D here' }).ok[0]!.mention;
    expect(m.text).toBe('half \uFFFD here');
  });

  it('cuts a 5 MB author name to 256 characters and refuses over-long identifiers as the row error', () => {
    const big = 'n'.repeat(5_000_000);
    expect(one({ author: { handle: 'h', name: big } }).ok[0]!.mention.author.name).toHaveLength(256);
    for (const [field, value] of [
      ['author.id', { author: { handle: 'h', id: big } }],
      ['author.handle', { author: { handle: big } }],
      ['inReplyTo', { inReplyTo: big }],
      ['conversationId', { conversationId: big }],
      ['author.url', { author: { handle: 'h', url: `https://x.com/${big}` } }],
    ] as const) {
      const r = one(value);
      expect(r.ok, field).toEqual([]);
      expect(r.rejected[0]!.message.startsWith(`${field}:`), r.rejected[0]!.message.slice(0, 80)).toBe(true);
      expect(r.rejected[0]!.message.length).toBeLessThan(200);
    }
  });

  it('refuses dates before 2006 or more than a day ahead, naming createdAt', () => {
    for (const createdAt of ['9999-12-31', '-271821-04-20T00:00:00Z', '1999-01-01T00:00:00Z', '2026-11-26T12:00:00Z', 253402300799]) {
      const r = one({ createdAt });
      expect(r.ok, String(createdAt)).toEqual([]);
      expect(r.rejected[0]!.message).toMatch(/^createdAt: must not be/);
    }
    expect(one({ createdAt: '2026-11-25T11:00:00Z' }).ok).toHaveLength(1);
    expect(one({ createdAt: '2006-03-21T20:50:14Z' }).ok).toHaveLength(1);
  });
});
