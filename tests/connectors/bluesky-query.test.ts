import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/log.js';
import { compileForBluesky, compileForMastodon, isQueryError, matchesListeningQuery, parseQuery, queriesFor, type QueryNode } from '../../connectors/query/index.js';
import { mentionedHandles } from '../../connectors/bluesky/bluesky-post.js';

const q = (s: string): QueryNode => {
  const t = parseQuery(s);
  if (isQueryError(t)) throw new Error(t.message);
  return t;
};

describe('listening queries on Bluesky and Mastodon', () => {
  it('compile to Bluesky search (Lucene, from:/mentions:/lang:), widening what it cannot say', () => {
    expect(compileForBluesky(q('(acme OR "acme air") refund -promo from:dora.bsky.social lang:en'))).toEqual({ q: '(acme OR "acme air") refund -promo from:dora.bsky.social lang:en', exact: true });
    expect(compileForBluesky(q('acme to:acmehelp.bsky.social'))).toEqual({ q: 'acme mentions:acmehelp.bsky.social', exact: false });
    expect(compileForBluesky(q('delayed NEAR/3 flight'))).toEqual({ q: 'delayed flight', exact: false });
    expect(compileForMastodon(q('acme'))).toEqual({ q: null, exact: false });
  });

  it('keep network: filters: a query for one network is not run on the others', () => {
    const queries = [
      { id: 'all', query: 'acme' },
      { id: 'bsky', query: 'acme network:bluesky' },
      { id: 'masto', query: 'acme (network:mastodon OR network:x)' },
    ];
    expect(queriesFor('bluesky', queries, silentLogger).map((x) => x.id)).toEqual(['all', 'bsky']);
    expect(queriesFor('mastodon', queries, silentLogger).map((x) => x.id)).toEqual(['all', 'masto']);
    expect(matchesListeningQuery(q('acme network:mastodon'), { text: 'acme', platform: 'mastodon', lang: null, authorHandle: null })).toBe(true);
    expect(matchesListeningQuery(q('acme network:mastodon'), { text: 'acme', platform: 'bluesky', lang: null, authorHandle: null })).toBe(false);
  });

  it('match full handles: Bluesky domains and Mastodon user@instance', () => {
    const text = 'hey @acmehelp.bsky.social my bags';
    expect(matchesListeningQuery(q('bags to:acmehelp.bsky.social'), { text, platform: 'bluesky', lang: null, authorHandle: 'dora.bsky.social', toHandles: mentionedHandles(text) })).toBe(true);
    expect(matchesListeningQuery(q('bags from:dora.bsky.social'), { text, platform: 'bluesky', lang: null, authorHandle: 'dora.bsky.social' })).toBe(true);
    expect(matchesListeningQuery(q('bags from:ann@mastodon.social'), { text, platform: 'mastodon', lang: null, authorHandle: 'ann@mastodon.social' })).toBe(true);
  });
});
