import type { QueryNode, Term } from './ast.js';
import { queryWords } from './parse.js';

export interface Matchable {
  text: string;
  platform: string;
  lang: string | null;
  authorHandle: string | null;
  /** Handle being answered or mentioned, for to:. */
  toHandles?: string[];
}

interface Prepared {
  words: string[];
  m: Matchable;
}

const positions = (words: string[], term: Term): number[] => {
  const seq = term.kind === 'word' ? [term.value] : term.words;
  const out: number[] = [];
  outer: for (let i = 0; i + seq.length <= words.length; i++) {
    for (let j = 0; j < seq.length; j++) if (words[i + j] !== seq[j]) continue outer;
    out.push(i);
  }
  return out;
};

function test(n: QueryNode, p: Prepared): boolean {
  switch (n.kind) {
    case 'word':
    case 'phrase':
      return positions(p.words, n).length > 0;
    case 'near': {
      const a = positions(p.words, n.left);
      const b = positions(p.words, n.right);
      return a.some((x) => b.some((y) => Math.abs(x - y) <= n.distance));
    }
    case 'field': {
      const v = n.value;
      if (n.field === 'from') return (p.m.authorHandle ?? '').replace(/^@/, '').toLowerCase() === v;
      if (n.field === 'to') return (p.m.toHandles ?? []).some((h) => h.replace(/^@/, '').toLowerCase() === v) || p.words.includes(v);
      if (n.field === 'lang') return p.m.lang === v;
      return p.m.platform === v;
    }
    case 'and':
      return n.items.every((x) => test(x, p));
    case 'or':
      return n.items.some((x) => test(x, p));
    case 'not':
      return !test(n.item, p);
  }
}

/** Whether a fetched post truly matches: networks' own search is looser, so every post is re-checked here. */
export function matchesListeningQuery(query: QueryNode, post: Matchable): boolean {
  return test(query, { words: queryWords(post.text), m: post });
}
