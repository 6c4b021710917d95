import { tokenize } from './text.js';

const STOP = new Set(('a an the and or but to of in on at for with from by is are was were be been it this that my our your you we i me they he she them his her its ' +
  'not no so just again still can cant can\'t do does did dont don\'t have has had will would get got what why how when who all any anyone today now please ' +
  'el la los las de del y que en un una por para con es se mi le les des et est pas une pour der die das und ist nicht mit il lo di che per non o um uma para com não').split(' '));

/**
 * The phrase most shared by these posts (a word pair if one stands out, else a
 * word), ignoring brand words and stop words: what a spike is about.
 */
export function topPhrase(texts: string[], brandWords: Set<string>): string | null {
  const pairs = new Map<string, number>();
  const words = new Map<string, number>();
  for (const t of texts) {
    const toks = tokenize(t).filter((w) => /\p{L}/u.test(w) && w.length > 1 && !STOP.has(w) && !brandWords.has(w));
    const seenPairs = new Set<string>();
    const seenWords = new Set<string>();
    for (let i = 0; i < toks.length; i++) {
      seenWords.add(toks[i]!);
      if (i + 1 < toks.length) seenPairs.add(`${toks[i]} ${toks[i + 1]}`);
    }
    for (const p of seenPairs) pairs.set(p, (pairs.get(p) ?? 0) + 1);
    for (const w of seenWords) words.set(w, (words.get(w) ?? 0) + 1);
  }
  const best = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  const pair = best(pairs);
  if (pair && pair[1] >= Math.max(2, texts.length * 0.3)) return pair[0];
  const word = best(words);
  return word && word[1] >= 2 ? word[0] : null;
}
