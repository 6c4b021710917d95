import { describe, expect, it } from 'vitest';
import { isQueryError, MAX_QUERY_DEPTH, parseQuery } from '../../../connectors/query/parse.js';

/** Found by the fuzz suite: deep nesting exhausted the stack (RangeError) instead of answering with a position. */
describe('listening-query nesting', () => {
  it('refuses parentheses or NOTs nested deeper than the limit, at the offending token', () => {
    const deep = `${'('.repeat(5000)}a${')'.repeat(5000)}`;
    const r = parseQuery(deep);
    expect(isQueryError(r) && r).toMatchObject({ message: `parentheses and NOT nest at most ${MAX_QUERY_DEPTH} deep`, position: MAX_QUERY_DEPTH });
    const nots = parseQuery(`${'NOT '.repeat(5000)}a`);
    expect(isQueryError(nots) && nots.position).toBe(MAX_QUERY_DEPTH * 4);
  });
  it('still takes nesting up to the limit', () => {
    const ok = parseQuery(`${'('.repeat(MAX_QUERY_DEPTH)}a OR b${')'.repeat(MAX_QUERY_DEPTH)}`);
    expect(isQueryError(ok)).toBe(false);
  });
});
