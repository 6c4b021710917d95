import { createRequire } from 'node:module';
import type { SentimentScore } from '../../shared/mention.js';
import { CARE_PHRASES, CARE_WORDS, CONTRAST, EMOJI_SCORES, ENGLISH_NEGATIONS, INTENSIFIERS } from './care-lexicon.js';
import { ENGLISH_EXTRA } from './lexicon-data/en.js';
import { lexiconFor } from './lexicons.js';
import { readable, tokensOf } from './text.js';

const NEGATION_SCOPE = 3;
/** People weigh a complaint more than a compliment of the same strength ("negativity bias"). */
const NEGATIVITY_BIAS = 1.3;
/** Where a raw sum becomes a -1..1 score (VADER's normalisation). */
const ALPHA = 12;
const POS = 0.35;
const NEG = -0.1;

const normalize = (raw: number) => raw / Math.sqrt(raw * raw + ALPHA);

function label(score: number, hits: number): Pick<SentimentScore, 'label' | 'confidence'> {
  const lbl = score >= POS ? 'positive' : score <= NEG ? 'negative' : 'neutral';
  const margin = lbl === 'neutral' ? POS - Math.abs(score) : Math.abs(score) - POS;
  const confidence = Math.max(0.05, Math.min(0.99, 0.45 + margin * 1.2 + Math.min(hits, 4) * 0.05));
  return { label: lbl, confidence: Math.round(confidence * 100) / 100 };
}

/**
 * Lexicon scoring with the rules social posts need: negation flips the next
 * few words, intensifiers scale them, the clause after "but" outweighs the one
 * before, capitals and "!!!" amplify, emoji count. Brand names never count.
 */
function scoreTokens(tokens: string[], lookup: (t: string) => number | undefined, negations: Set<string>, brandWords: Set<string>, emojiScale = 1): { raw: number; hits: number } {
  let raw = 0;
  let hits = 0;
  let negateLeft = 0;
  let boost = 1;
  let clauseWeight = 1;
  for (const t of tokens) {
    if (CONTRAST.has(t)) {
      raw *= 0.6; // what came before "but" matters less
      clauseWeight = 1.3;
      negateLeft = 0;
      continue;
    }
    if (negations.has(t)) {
      negateLeft = NEGATION_SCOPE;
      continue;
    }
    const intens = INTENSIFIERS.get(t);
    if (intens) {
      boost = intens;
      continue;
    }
    if (t[0] === '!' || t[0] === '?') {
      if (t.includes('!')) raw *= 1.15;
      continue;
    }
    if (brandWords.has(t)) continue;
    const emoji = EMOJI_SCORES.get(t);
    let v = emoji !== undefined ? emoji * emojiScale : lookup(t) ?? stretched(t, lookup);
    if (v !== undefined && v !== 0) {
      if (negateLeft > 0 && !EMOJI_SCORES.has(t)) {
        // "never fails to amaze", "not bad, loved it": a denied complaint ends the negation.
        if (v < 0) negateLeft = 1;
        v = -v * 0.75;
      }
      raw += v * boost * clauseWeight * (v < 0 ? NEGATIVITY_BIAS : 1);
      hits++;
    }
    boost = 1;
    if (negateLeft > 0) negateLeft--;
  }
  return { raw, hits };
}

/** "sooo goooood", "loveeee": the word without its stretched letters, a little stronger for the stretching. */
function stretched(t: string, lookup: (t: string) => number | undefined): number | undefined {
  if (t.length < 3 || !hasTriple(t) || !/(\p{L})\1\1/u.test(t)) return undefined;
  const v = lookup(t.replace(/(\p{L})\1{2,}/gu, '$1$1')) ?? lookup(t.replace(/(\p{L})\1+/gu, '$1'));
  return v === undefined ? undefined : v * 1.2;
}

// wink-sentiment's word lists (AFINN-165, emoji, emoticons), used as data: its
// scorer has no negation scope, contrast or domain words, which our rules add.
const require = createRequire(import.meta.url);
const AFINN = new Map<string, number>(Object.entries(require('wink-sentiment/src/afinn-en-165.js') as Record<string, number>));
/** Emoji and emoticons mean the same in every language. */
const SYMBOLS = new Map<string, number>();
for (const [k, v] of Object.entries(require('wink-sentiment/src/emojis.js') as Record<string, number>)) if (!EMOJI_SCORES.has(k)) SYMBOLS.set(k, v);
for (const [k, v] of Object.entries(require('wink-sentiment/src/emoticons.js') as Record<string, number>)) SYMBOLS.set(k.toLowerCase(), v);
for (const [k, v] of SYMBOLS) AFINN.set(k, v);
for (const [k, v] of ENGLISH_EXTRA) AFINN.set(k, v);
const englishWord = (t: string): number | undefined => CARE_WORDS.get(t) ?? AFINN.get(t);
const englishLookup = (t: string): number | undefined => englishWord(t) ?? englishInflected(t);

// AFINN lists base forms and a few inflections; reviews say "coolest", "nicer", "happily".
const ENGLISH_ENDINGS: ReadonlyArray<readonly [string, string[]]> = [
  ['iest', ['y']], ['ily', ['y']], ['est', ['', 'e']], ['ly', ['', 'e']],
];
function englishInflected(t: string): number | undefined {
  if (t.length < 5) return undefined;
  for (const [end, repl] of ENGLISH_ENDINGS) {
    if (!t.endsWith(end)) continue;
    const stem = t.slice(0, -end.length);
    for (const r of repl) {
      const v = englishWord(stem + r);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  return undefined;
}

const ANY_PHRASE = new RegExp(CARE_PHRASES.map(([re]) => `(?:${re.source})`).join('|'));

/** Three equal characters in a row, without a regex: most tokens are not stretched. */
function hasTriple(t: string): boolean {
  for (let i = 2; i < t.length; i++) if (t.charCodeAt(i) === t.charCodeAt(i - 1) && t.charCodeAt(i) === t.charCodeAt(i - 2)) return true;
  return false;
}

export function scoreSentiment(text: string, lang: string, brandWords: Set<string>): SentimentScore {
  const lower = readable(text);
  const tokens = tokensOf(lower);
  if (lang === 'en' || lang === 'und') {
    let { raw, hits } = scoreTokens(tokens, englishLookup, ENGLISH_NEGATIONS, brandWords);
    // One pass of all the phrases together first: most posts match none, and then the 50 separate tests are skipped.
    if (ANY_PHRASE.test(lower)) {
      for (const [re, v] of CARE_PHRASES) {
        if (re.test(lower)) {
          raw += v;
          hits++;
        }
      }
    }
    const letters = text.replace(/[^A-Za-z]/g, '');
    if (letters.length >= 8 && letters === letters.toUpperCase()) raw *= 1.3; // SHOUTING
    const score = normalize(byShape(raw, text, tokens.length));
    return { ...label(score, hits), score: round(score), method: lang === 'en' ? 'lexicon-en+care' : 'lexicon-en+care (language unknown)' };
  }
  const lex = lexiconFor(lang);
  if (!lex) return { label: 'neutral', score: 0, confidence: 0.2, method: `none (${lang} has no lexicon yet)` };
  const { raw, hits } = scoreTokens(tokens, (t) => lookupInflected(lex.words, t) ?? symbol(t), lex.negations, brandWords, 1 / 3);
  // These vocabularies are on a -1..1 scale: bring them to AFINN's before normalising.
  const score = normalize(byShape(raw * 3, text, tokens.length));
  return { ...label(score, hits), score: round(score), method: `lexicon-${lang}` };
}

/** Posts past this many tokens have their sum scaled down: a long review mentions more words of both kinds without feeling more. */
const LONG_POST = 20;
/** A question without "!" mostly asks for something; its sentiment words say less ("is the lounge any good?"). */
const QUESTION_DAMPING = 0.4;

function byShape(raw: number, text: string, tokenCount: number): number {
  let r = raw / Math.sqrt(Math.max(1, tokenCount / LONG_POST));
  if (text.includes('?') && !text.includes('!')) r *= QUESTION_DAMPING;
  return r;
}

// Symbols are on AFINN's scale; the other languages' words on -1..1 (scaled by 3 below).
const symbol = (t: string) => {
  const v = SYMBOLS.get(t);
  return v === undefined ? undefined : v / 3;
};

const round = (n: number) => Math.round(n * 1000) / 1000;

// The vocabularies hold base forms; posts inflect ("schlechte", "malos", "génials").
const ENDINGS = ['en', 'er', 'es', 'em', 'os', 'as', 'e', 's', 'n', 'a', 'o', 'i'];
function lookupInflected(words: Map<string, number>, t: string): number | undefined {
  const direct = words.get(t);
  if (direct !== undefined || t.length < 5) return direct;
  for (const end of ENDINGS) {
    if (!t.endsWith(end)) continue;
    const base = words.get(t.slice(0, -end.length));
    if (base !== undefined) return base;
  }
  return undefined;
}
