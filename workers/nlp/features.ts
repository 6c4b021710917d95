import { ENGLISH_NEGATIONS } from './care-lexicon.js';
import { tokenize } from './text.js';

/** Feature space size: hashed unigrams and bigrams land in 2^18 buckets. */
export const DIMS = 1 << 18;

const NEGATIONS = new Set([...ENGLISH_NEGATIONS, 'no', 'nunca', 'jamás', 'jamais', 'pas', 'nicht', 'kein', 'keine', 'non', 'não', 'nem', 'niet', 'geen']);

const LEX_WEIGHT = 3;

/** FNV-1a, 32-bit: fast and stable across runs, so a saved model keeps its meaning. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % DIMS;
}

export type Features = Map<number, number>;

/**
 * Words and word pairs, with the three words after a negation marked ("not
 * good" → "NOT_good"), plus the rule scorer's own verdict as features so a
 * model starts from what the lexicon knows and learns the rest.
 */
export function extractFeatures(text: string, lexiconScore: number, lang: string): Features {
  const f: Features = new Map();
  const add = (key: string, v = 1) => {
    const h = hash(key);
    f.set(h, (f.get(h) ?? 0) + v);
  };
  const tokens = tokenize(text);
  const inflected = lang !== 'en' && lang !== 'und';
  let negate = 0;
  let prev = '<s>';
  for (const t of tokens) {
    if (NEGATIONS.has(t)) {
      negate = 3;
      add(`w:${t}`);
      prev = t;
      continue;
    }
    const w = negate > 0 ? `NOT_${t}` : t;
    if (negate > 0) negate--;
    add(`w:${w}`);
    // A crude stem (the first five letters) lets "delay", "delayed" and "delays" share what they teach.
    if (t.length > 5) add(`p:${negate > 0 ? 'NOT_' : ''}${t.slice(0, 5)}`, 0.7);
    add(`b:${prev} ${w}`);
    // Inflected languages spread one word over many forms; pieces of words let them share what they teach. English gains nothing from it.
    if (inflected && t.length > 3 && /\p{L}/u.test(t)) {
      const padded = `<${t}>`;
      for (let n = 3; n <= 4; n++) for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`, 0.3);
    }
    prev = w;
  }
  add(`lang:${lang}`);
  if (text.includes('?')) add('has:question');
  if (/!{2,}/.test(text)) add('has:exclaim');
  if (/https?:\/\//.test(text)) add('has:link');
  // The lexicon's score, in three soft bins.
  add('lex:pos', Math.max(0, lexiconScore) * LEX_WEIGHT);
  add('lex:neg', Math.max(0, -lexiconScore) * LEX_WEIGHT);
  add('lex:zero', 1 - Math.min(1, Math.abs(lexiconScore) * 2));
  // Scale to unit length so long posts do not dominate.
  let norm = 0;
  for (const v of f.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of f) f.set(k, v / norm);
  return f;
}
