import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MentionQuerySchema } from '../../shared/mention-query.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { makeNewMention } from '../support/fixtures.js';

/** SQLite only: the text index is built in batches; search must still see every row, exactly once. */
describe('sqlite batched text index', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-fts-'));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds every row across batches and across two connections to one file, never twice', async () => {
    const file = path.join(dir, 'h.sqlite');
    const a = openSqliteStore({ file });
    const b = openSqliteStore({ file });
    const words = (n: number) => Array.from({ length: n }, (_, i) => makeNewMention({ text: `parcel ${i % 2 ? 'late' : 'early'} number ${i}` }));
    for (let i = 0; i < 3; i++) await a.mentions.insertMany({ mentions: words(4000) });
    await b.mentions.insertMany({ mentions: words(1500) });
    await a.mentions.insertMany({ mentions: words(700) });
    const count = async (store: typeof a, q: string) => {
      let n = 0;
      const ids = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await store.mentions.list(MentionQuerySchema.parse({ q, limit: 200, ...(cursor ? { cursor } : {}) }));
        n += page.items.length;
        for (const m of page.items) ids.add(m.id);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(ids.size).toBe(n);
      return n;
    };
    expect(await count(a, 'parcel')).toBe(14_200);
    expect(await count(b, 'late')).toBe(7_100);
    await b.mentions.insertMany({ mentions: words(10) });
    expect(await count(a, 'parcel')).toBe(14_210);
    await a.close();
    await b.close();
  }, 60_000);
});
