import type { Mention } from '../../shared/mention.js';
import { brandWordsOf } from '../../workers/nlp/brand-words.js';
import { topicTerms, type TopicPost } from '../../workers/nlp/topics.js';

/**
 * Mentions as topics see them: their terms without the brand's own words, and
 * their author, because topics count people (one account repeating a
 * complaint is one voice). Brand words are computed once per brand.
 */
export function topicReader() {
  const words = new Map<string, Set<string>>();
  const wordsOf = (brand: string | null) => {
    const key = brand ?? '';
    let w = words.get(key);
    if (!w) words.set(key, (w = brandWordsOf([brand])));
    return w;
  };
  const termsOf = (m: Mention) => topicTerms(m.text, wordsOf(m.brand));
  const postOf = (m: Mention): TopicPost => ({ author: `${m.platform}:${m.author.handle.toLowerCase()}`, terms: termsOf(m) });
  return { wordsOf, termsOf, postOf };
}

/** Mentions grouped by brand; mentions without one are left out. */
export function byBrand(ms: readonly Mention[]): Map<string, Mention[]> {
  const out = new Map<string, Mention[]>();
  for (const m of ms) if (m.brand) (out.get(m.brand) ?? out.set(m.brand, []).get(m.brand)!).push(m);
  return out;
}
