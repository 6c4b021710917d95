import type { QueryError, QueryNode, Term } from './ast.js';
import { tokenizeQuery, type Token } from './tokenize.js';

const FIELDS = new Set(['from', 'to', 'lang', 'network']);
/** Parentheses and NOTs nest at most this deep: no one writes more, and deeper input would exhaust the stack. */
export const MAX_QUERY_DEPTH = 32;

/** Words as the matcher sees them: lower-case letters and digits, with @ and # dropped. */
export const queryWords = (s: string) => (s.toLowerCase().match(/[\p{L}\p{N}_']+/gu) ?? []).map((w) => w.replace(/^'+|'+$/g, '')).filter(Boolean);

/**
 * Parses a listening query: words, "phrases", AND (or nothing), OR, NOT / -,
 * parentheses, A NEAR/n B, from:, to:, lang:, network:. A bad query gets an
 * error with the position to point at.
 */
export function parseQuery(src: string): QueryNode | QueryError {
  const tokenized = tokenizeQuery(src);
  if (!Array.isArray(tokenized)) return tokenized;
  const toks: Token[] = tokenized;
  if (toks.length === 0) return { message: 'the query is empty', position: 0 };
  let i = 0;
  const peek = (): Token | undefined => toks[i];
  const fail = (message: string, tok?: Token): QueryError => ({ message, position: tok?.pos ?? src.length });
  let depth = 0;
  const tooDeep = (t: Token) => fail(`parentheses and NOT nest at most ${MAX_QUERY_DEPTH} deep`, t);

  function parseOr(): QueryNode | QueryError {
    const items: QueryNode[] = [];
    for (;;) {
      const left = parseAnd();
      if ('message' in left) return left;
      items.push(left);
      if (peek()?.t !== 'or') break;
      const op = toks[i++]!;
      if (!peek() || peek()!.t === 'rparen' || peek()!.t === 'or') return fail('OR needs something on its right', op);
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  function parseAnd(): QueryNode | QueryError {
    const items: QueryNode[] = [];
    for (;;) {
      const t = peek();
      if (!t || t.t === 'or' || t.t === 'rparen') break;
      if (t.t === 'and') {
        if (items.length === 0) return fail('AND needs something on its left', t);
        i++;
        const n = peek();
        if (!n || n.t === 'or' || n.t === 'rparen' || n.t === 'and') return fail('AND needs something on its right', t);
        continue;
      }
      const u = parseUnary();
      if ('message' in u) return u;
      items.push(u);
    }
    if (items.length === 0) return fail(peek() ? `unexpected ${peek()!.t === 'rparen' ? ')' : peek()!.t.toUpperCase()}` : 'the query ends too early', peek());
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  function parseUnary(): QueryNode | QueryError {
    const t = peek();
    if (t?.t === 'not') {
      i++;
      if (!peek() || ['or', 'and', 'rparen'].includes(peek()!.t)) return fail('NOT needs something to exclude', t);
      if (++depth > MAX_QUERY_DEPTH) return tooDeep(t);
      const inner = parseUnary();
      depth--;
      return 'message' in inner ? inner : { kind: 'not', item: inner };
    }
    const p = parsePrimary();
    if ('message' in p) return p;
    if (peek()?.t === 'near') {
      const op = toks[i++] as Extract<Token, { t: 'near' }>;
      if (p.kind !== 'word' && p.kind !== 'phrase') return fail('NEAR joins two words or phrases', op);
      const right = parsePrimary();
      if ('message' in right) return right;
      if (right.kind !== 'word' && right.kind !== 'phrase') return fail('NEAR joins two words or phrases', op);
      return { kind: 'near', left: p as Term, right: right as Term, distance: op.n };
    }
    return p;
  }

  function parsePrimary(): QueryNode | QueryError {
    const t = toks[i];
    if (!t) return fail('the query ends too early');
    i++;
    switch (t.t) {
      case 'lparen': {
        if (++depth > MAX_QUERY_DEPTH) return tooDeep(t);
        const inner = parseOr();
        depth--;
        if ('message' in inner) return inner;
        if (peek()?.t !== 'rparen') return fail('this parenthesis is never closed', t);
        i++;
        return inner;
      }
      case 'word': {
        const words = queryWords(t.v);
        if (words.length === 0) return fail(`"${t.v}" has no letters or digits`, t);
        return words.length === 1 ? { kind: 'word', value: words[0]! } : { kind: 'phrase', words };
      }
      case 'phrase': {
        const words = queryWords(t.v);
        if (words.length === 0) return fail('the phrase has no letters or digits', t);
        return words.length === 1 ? { kind: 'word', value: words[0]! } : { kind: 'phrase', words };
      }
      case 'field': {
        if (!FIELDS.has(t.field)) return fail(`unknown field ${t.field}: (use from:, to:, lang: or network:)`, t);
        const value = t.v.replace(/^@/, '').toLowerCase();
        if (t.field === 'lang' && !/^[a-z]{2}$/.test(value)) return fail('lang: takes a two-letter code, like lang:en', t);
        return { kind: 'field', field: t.field as 'from' | 'to' | 'lang' | 'network', value };
      }
      case 'rparen':
        return fail('this parenthesis closes nothing', t);
      default:
        return fail(`unexpected ${t.t.toUpperCase()}`, t);
    }
  }

  const tree = parseOr();
  if ('message' in tree) return tree;
  if (i < toks.length) return fail(toks[i]!.t === 'rparen' ? 'this parenthesis closes nothing' : 'unexpected text', toks[i]);
  return tree;
}

export const isQueryError = (v: QueryNode | QueryError): v is QueryError => 'message' in v;
