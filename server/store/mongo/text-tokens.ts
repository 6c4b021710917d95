/**
 * Text search without $text: each mention carries its words, normalised
 * (lower case, accents removed), as an array with a multikey index; a query's
 * words must all be present ($all). This matches what SQLite's FTS5
 * (unicode61, remove_diacritics) does: whole words, case- and accent-blind,
 * and user input is only ever words, never syntax.
 */
const WORD = /[\p{L}\p{N}_]+/gu;

export const normaliseWord = (w: string) => w.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/** The distinct normalised words of a text (capped so one huge post cannot bloat the index). */
export function textTokens(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(WORD)) {
    const w = normaliseWord(m[0]);
    if (w.length <= 64) out.add(w);
    if (out.size >= 512) break;
  }
  return [...out];
}

/** The words of a search, or null when it has none. */
export function queryTokens(q: string): string[] | null {
  const terms = q.match(WORD);
  if (!terms) return null;
  return [...new Set(terms.slice(0, 16).map(normaliseWord))];
}
