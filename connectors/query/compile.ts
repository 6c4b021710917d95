import type { QueryNode, Term } from './ast.js';

/**
 * A network's search string for a query. What a network cannot express is
 * widened, never narrowed (NEAR becomes AND; unsupported fields are dropped;
 * a NOT over something inexact is dropped): the local re-check then removes
 * the extra posts. `null` means "no constraint"; `exact` says no widening happened.
 */
export interface Compiled {
  q: string | null;
  exact: boolean;
}

type Dialect = 'x' | 'reddit' | 'bluesky';

const term = (t: Term) => (t.kind === 'word' ? t.value : `"${t.words.join(' ')}"`);

function compile(n: QueryNode, d: Dialect): Compiled {
  switch (n.kind) {
    case 'word':
    case 'phrase':
      return { q: term(n), exact: true };
    case 'near':
      return { q: `${term(n.left)} ${term(n.right)}`, exact: false };
    case 'field':
      if (n.field === 'network') return { q: null, exact: false };
      if (d === 'bluesky') return compileBlueskyField(n);
      if (n.field === 'from') return { q: d === 'x' ? `from:${n.value}` : `author:${n.value}`, exact: true };
      if (n.field === 'to') return d === 'x' ? { q: `to:${n.value}`, exact: true } : { q: null, exact: false };
      return d === 'x' ? { q: `lang:${n.value}`, exact: true } : { q: null, exact: false };
    case 'and': {
      const parts = n.items.map((x) => compile(x, d));
      const qs = parts.map((p) => p.q).filter((q): q is string => q !== null);
      const joined = qs.length === 0 ? null : qs.length === 1 ? qs[0]! : qs.map(wrap).join(d === 'reddit' ? ' AND ' : ' ');
      return { q: joined, exact: parts.every((p) => p.exact) };
    }
    case 'or': {
      const parts = n.items.map((x) => compile(x, d));
      if (parts.some((p) => p.q === null)) return { q: null, exact: false };
      return { q: `(${parts.map((p) => p.q!).join(' OR ')})`, exact: parts.every((p) => p.exact) };
    }
    case 'not': {
      const inner = compile(n.item, d);
      if (!inner.exact || inner.q === null) return { q: null, exact: false };
      return { q: d === 'reddit' ? `NOT ${wrap(inner.q)}` : `-${wrap(inner.q)}`, exact: true };
    }
  }
}

const wrap = (q: string) => (/\s/.test(q) && !/^\(.*\)$/.test(q) && !/^"[^"]*"$/.test(q) ? `(${q})` : q);

/** Which networks a query can match at all (network: filters), so a connector can skip it. */
export function networksOf(n: QueryNode): Set<string> | 'any' {
  if (n.kind === 'field' && n.field === 'network') return new Set([n.value]);
  if (n.kind === 'and') {
    const sets = n.items.map(networksOf).filter((s): s is Set<string> => s !== 'any');
    if (sets.length === 0) return 'any';
    return new Set([...sets[0]!].filter((v) => sets.every((s) => s.has(v))));
  }
  if (n.kind === 'or') {
    const sets = n.items.map(networksOf);
    if (sets.some((s) => s === 'any')) return 'any';
    return new Set(sets.flatMap((s) => [...(s as Set<string>)]));
  }
  return 'any';
}

export const compileForX = (n: QueryNode) => compile(n, 'x');
export const compileForReddit = (n: QueryNode) => compile(n, 'reddit');

/** Bluesky's searchPosts takes Lucene syntax with from:, mentions: and lang: (handles are full, like acme.bsky.social). */
function compileBlueskyField(n: Extract<QueryNode, { kind: 'field' }>): Compiled {
  if (n.field === 'from') return { q: `from:${n.value}`, exact: true };
  if (n.field === 'to') return { q: `mentions:${n.value}`, exact: false };
  return { q: `lang:${n.value}`, exact: true };
}
export const compileForBluesky = (n: QueryNode) => compile(n, 'bluesky');
/** Mastodon has no full-text search of everyone's posts: its timelines (public, hashtags) are read and every post re-checked. */
export const compileForMastodon = (_n: QueryNode): Compiled => ({ q: null, exact: false });

/** The search string each network is asked for a query. */
export const compileFor = (network: string, n: QueryNode): Compiled =>
  network === 'x' ? compileForX(n) : network === 'reddit' ? compileForReddit(n) : network === 'bluesky' ? compileForBluesky(n) : compileForMastodon(n);
