import type Database from 'better-sqlite3';
import { ValidationError } from '../../../shared/errors.js';
import type { SearchBounds } from '../../../shared/mention-query.js';

/**
 * Bounded text search for the queue (SQLite). Sorting every match of a common
 * word costs time in the number of matches (1.3 s for a word in half of 1M rows),
 * so the plan depends on how many mentions match, counted only up to a cap:
 *
 * - rare (< rareMatches): the matches are looked up and sorted: work ∝ matches;
 * - medium: the queue's sort index is walked and checked against the set of
 *   matching ids (built once, with a Bloom filter): work ∝ matches + rows walked;
 * - common (≥ commonMatches, so at least that share of rows matches): the sort
 *   index is walked in chunks and each mention checked, until the page is full or
 *   `walkBudgetRows` were examined; then the page is `partial` and its cursor
 *   continues after the last mention examined.
 *
 * All three give the same rows in the same order; only the common plan can stop
 * early, and it says so.
 */

/** Turns free text into an FTS5 query of quoted terms (all must match), so user input is never FTS syntax. */
export function ftsQuery(q: string): { fts: string; terms: string[] } {
  // unicode61 splits at '_': a quoted "snake_case" would be a phrase, which detail=none refuses.
  const terms = q.match(/[\p{L}\p{N}]+/gu);
  if (!terms) throw new ValidationError('q must contain at least one letter or digit', { field: 'q' });
  const kept = terms.slice(0, 16);
  return { fts: kept.map((t) => `"${t}"`).join(' '), terms: kept };
}

export type SearchPlan = 'rare' | 'medium' | 'common';

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_WORD = /^[A-Za-z0-9]+$/;

export function mentionSearch(db: Database.Database, bounds: SearchBounds) {
  const countUpTo = db.prepare('SELECT count(*) AS n FROM (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? LIMIT ?)').pluck();
  // The rowid must be bound as an integer (BigInt): FTS5 ignores a REAL rowid constraint and would answer every match.
  const hasRow = db.prepare('SELECT 1 FROM mentions_fts WHERE mentions_fts MATCH ? AND rowid = ?').pluck();

  return {
    bounds,
    plan(fts: string): SearchPlan {
      const n = countUpTo.get(fts, bounds.commonMatches) as number;
      return n < bounds.rareMatches ? 'rare' : n < bounds.commonMatches ? 'medium' : 'common';
    },
    /**
     * Whether a row's text matches every term, as the index would answer. For
     * ASCII text and ASCII terms, unicode61 tokens are exactly the runs of ASCII
     * letters and digits, case-folded, so a word-boundary test is the same answer
     * without a lookup; anything else asks the index for this row.
     */
    matcher(fts: string, terms: string[]): (id: number, text: string) => boolean {
      const ascii = terms.every((t) => ASCII_WORD.test(t));
      const words = ascii ? terms.map((t) => new RegExp(`(?:^|[^a-z0-9])${t.toLowerCase()}(?:[^a-z0-9]|$)`)) : [];
      return (id, text) => {
        if (ascii && ASCII.test(text)) {
          const lower = text.toLowerCase();
          return words.every((w) => w.test(lower));
        }
        return hasRow.get(fts, BigInt(id)) !== undefined;
      };
    },
  };
}
