import type { QueryError } from './ast.js';

export type Token =
  | { t: 'word'; v: string; pos: number }
  | { t: 'phrase'; v: string; pos: number }
  | { t: 'field'; field: string; v: string; pos: number }
  | { t: 'and' | 'or' | 'not' | 'lparen' | 'rparen'; pos: number }
  | { t: 'near'; n: number; pos: number };

const WORD = /[^\s()"]+/y;

/** Splits a query into tokens; AND, OR, NOT and NEAR/n are operators only in capitals. */
export function tokenizeQuery(src: string): Token[] | QueryError {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ t: c === '(' ? 'lparen' : 'rparen', pos: i });
      i++;
      continue;
    }
    if (c === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0) return { message: 'this quote is never closed', position: i };
      const v = src.slice(i + 1, end).trim();
      if (!v) return { message: 'empty phrase', position: i };
      out.push({ t: 'phrase', v, pos: i });
      i = end + 1;
      continue;
    }
    if (c === '-' && i + 1 < src.length && !/\s/.test(src[i + 1]!)) {
      out.push({ t: 'not', pos: i });
      i++;
      continue;
    }
    WORD.lastIndex = i;
    const m = WORD.exec(src)!;
    const w = m[0];
    const near = /^NEAR\/(\d{1,2})$/.exec(w);
    if (w === 'AND' || w === 'OR' || w === 'NOT') out.push({ t: w.toLowerCase() as 'and' | 'or' | 'not', pos: i });
    else if (near) out.push({ t: 'near', n: Number(near[1]), pos: i });
    else if (/^NEAR\b/.test(w)) return { message: 'NEAR needs a distance, like NEAR/5', position: i };
    else {
      const colon = w.indexOf(':');
      if (colon > 0 && /^[a-z]+$/i.test(w.slice(0, colon))) {
        const value = w.slice(colon + 1);
        if (!value) return { message: `${w.slice(0, colon)}: needs a value`, position: i + colon + 1 };
        out.push({ t: 'field', field: w.slice(0, colon).toLowerCase(), v: value, pos: i });
      } else out.push({ t: 'word', v: w, pos: i });
    }
    i += w.length;
  }
  return out;
}
