import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEARCH_BOUNDS } from '../../shared/mention-query.js';
import { ftsQuery, mentionSearch } from '../../server/store/sqlite/mention-search.js';
import { MIGRATIONS } from '../../server/store/sqlite/schema.js';

/**
 * The common-word plan answers ASCII rows by word boundaries instead of asking
 * the FTS index: that shortcut must be exactly what unicode61 tokenizes.
 */
describe('SQLite search: the word-boundary check agrees with the FTS index', () => {
  it('for random ASCII and non-ASCII texts and queries (2,000 cases)', () => {
    const db = new Database(':memory:');
    for (const m of MIGRATIONS) db.exec(m);
    const insert = db.prepare("INSERT INTO mentions (id, platform, external_id, created_at, status, sentiment, priority, text, doc) VALUES (?, 'x', ?, 0, 'new', 'neutral', 0, ?, '{}')");
    const index = db.prepare('INSERT INTO mentions_fts (rowid, text) VALUES (?, ?)');
    const viaIndex = db.prepare('SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid = ?').pluck();
    const search = mentionSearch(db, DEFAULT_SEARCH_BOUNDS);
    const words = ['flight', 'Flight', 'FLIGHT', 'flights', 'fl1ght', 'delay', 'delayed', 'café', 'cafe', 'naïve', 'x2', '42', 'a', 'über'];
    const piece = fc.oneof(fc.constantFrom(...words), fc.constantFrom(' ', ',', '.', '!', "'", '-', '_', '#', '@', '\n', '\t', '/', '’', ':)', '😀'), fc.string({ maxLength: 4 }));
    const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
    const query = fc.array(fc.constantFrom(...words, 'Delay', 'caf', '_flight', 'flight_delay'), { minLength: 1, maxLength: 3 }).map((q) => q.join(' '));
    let id = 0;
    fc.assert(
      fc.property(text, query, (t, q) => {
        id++;
        insert.run(id, `e${id}`, t);
        index.run(id, t);
        const { fts, terms } = ftsQuery(q);
        const expected = (viaIndex.get(fts, BigInt(id)) as number) > 0;
        expect(search.matcher(fts, terms)(id, t), JSON.stringify({ t, q })).toBe(expected);
      }),
      { numRuns: 2000, seed: 12 },
    );
    db.close();
  });
});
