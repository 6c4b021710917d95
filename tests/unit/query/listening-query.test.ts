import { describe, expect, it } from 'vitest';
import { compileForReddit, compileForX, isQueryError, matchesListeningQuery, networksOf, parseQuery, type QueryNode } from '../../../connectors/query/index.js';

const q = (s: string): QueryNode => {
  const r = parseQuery(s);
  if (isQueryError(r)) throw new Error(`${r.message} at ${r.position}`);
  return r;
};
const post = (text: string, over: Partial<{ platform: string; lang: string; authorHandle: string; toHandles: string[] }> = {}) => ({ text, platform: 'x', lang: 'en', authorHandle: 'someone', ...over });

describe('listening query language', () => {
  it('matches words, phrases, AND, OR, NOT, parentheses, case- and accent-as-written', () => {
    const query = q('(acme OR "acme air") AND (refund OR "lost luggage") -promo');
    expect(matchesListeningQuery(query, post('@AcmeAir where is my REFUND?'))).toBe(false); // "acmeair" is not "acme"
    expect(matchesListeningQuery(query, post('Acme Air lost luggage again'))).toBe(true);
    expect(matchesListeningQuery(query, post('acme refund promo code'))).toBe(false);
    expect(matchesListeningQuery(query, post('acme: lost my luggage'))).toBe(false); // the phrase needs its words together
    expect(matchesListeningQuery(q('café'), post('Best CAFÉ in town'))).toBe(true);
  });

  it('matches NEAR/n in either order within n words', () => {
    const query = q('delayed NEAR/3 "flight 12"');
    expect(matchesListeningQuery(query, post('flight 12 badly delayed'))).toBe(true);
    expect(matchesListeningQuery(query, post('delayed, and after a very long wait our flight 12'))).toBe(false);
  });

  it('filters by author, recipient, language and network', () => {
    const query = q('refund from:@Dora lang:es network:x');
    expect(matchesListeningQuery(query, post('quiero mi refund', { authorHandle: '@dora', lang: 'es' }))).toBe(true);
    expect(matchesListeningQuery(query, post('quiero mi refund', { authorHandle: 'dora', lang: 'es', platform: 'reddit' }))).toBe(false);
    expect(matchesListeningQuery(q('to:acmeair'), post('hello', { toHandles: ['@AcmeAir'] }))).toBe(true);
  });

  it.each([
    ['', 0, /empty/],
    ['acme AND', 5, /AND needs something on its right/],
    ['(acme OR beta', 0, /never closed/],
    ['acme)', 4, /closes nothing/],
    ['"lost luggage', 0, /never closed/],
    ['colour:red', 0, /unknown field colour/],
    ['lang:english', 0, /two-letter/],
    ['acme NEAR refund', 5, /NEAR needs a distance/],
    ['OR acme', 0, /unexpected OR/],
    ['acme NOT', 5, /NOT needs something/],
  ])('points at the error in %j', (src, position, message) => {
    const r = parseQuery(src);
    expect(isQueryError(r)).toBe(true);
    expect(r).toMatchObject({ position });
    expect((r as { message: string }).message).toMatch(message);
  });

  it('compiles to each network, widening (never narrowing) what it cannot express', () => {
    expect(compileForX(q('(acme OR "acme air") refund -promo from:dora lang:en'))).toEqual({ q: '(acme OR "acme air") refund -promo from:dora lang:en', exact: true });
    expect(compileForReddit(q('(acme OR "acme air") refund -promo from:dora lang:en'))).toEqual({ q: '(acme OR "acme air") AND refund AND (NOT promo) AND author:dora', exact: false });
    expect(compileForX(q('delayed NEAR/3 flight'))).toEqual({ q: 'delayed flight', exact: false });
    // A NOT over something the network cannot say exactly is dropped, not guessed.
    expect(compileForReddit(q('acme -lang:en'))).toEqual({ q: 'acme', exact: false });
    expect(compileForX(q('acme OR network:reddit'))).toEqual({ q: null, exact: false });
  });

  it('knows which networks a query can match at all', () => {
    expect(networksOf(q('acme network:reddit'))).toEqual(new Set(['reddit']));
    expect(networksOf(q('(acme network:x) OR (acme network:reddit)'))).toEqual(new Set(['x', 'reddit']));
    expect(networksOf(q('acme'))).toBe('any');
  });
});
