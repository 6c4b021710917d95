import { logPoissonTail } from '../../shared/poisson.js';
import { tokenize } from './text.js';

const STOP = new Set(
  (
    'a an the and or but to of in on at for with from by is are was were be been being it its it\'s this that these those my our your you we i me us they he she them his her ' +
    'not no so just again still can cant can\'t do does did dont don\'t doesn\'t didn\'t have has had will would could should get got what why how when who where which all any ' +
    'anyone today now please thanks thank im i\'m ive i\'ve you\'re youre there their here about into out up as if than then too very really also only even more most some ' +
    'one two via amp rt yes ok okay hey hi lol' +
    ' el la los las de del y que en un una por para con es se mi le les des et est pas une pour der die das und ist nicht mit il lo di che per non o um uma com não'
  ).split(' '),
);

const salient = (w: string) => w.length > 2 && /\p{L}/u.test(w) && !STOP.has(w) && !/^\d/.test(w);

/**
 * What a post is about, as terms: salient words and adjacent salient pairs
 * ("lost luggage"), each once per post, brand words left out.
 */
export function topicTerms(text: string, brandWords: ReadonlySet<string>): string[] {
  const words = tokenize(text).filter((w) => salient(w) && !brandWords.has(w) && !brandWords.has(w.replace(/'s$/, '')));
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    out.add(words[i]!);
    if (i + 1 < words.length && words[i] !== words[i + 1]) out.add(`${words[i]} ${words[i + 1]}`);
  }
  return [...out];
}

/** Posts per term over a stretch of time. */
export interface TermCounts {
  minutes: number;
  posts: number;
  terms: Map<string, number>;
}

/** A post as topics see it: who wrote it and its terms. */
export interface TopicPost {
  author: string | null;
  terms: readonly string[];
}

/**
 * People per term: an author who posts the same complaint six times is one
 * voice, not a trend. `posts` is then the number of distinct authors. Posts
 * without an author count as different people.
 */
export function countPeople(posts: Iterable<TopicPost>, minutes: number): TermCounts {
  const byTerm = new Map<string, Set<string>>();
  const authors = new Set<string>();
  let anonymous = 0;
  for (const p of posts) {
    const a = p.author ?? `\u0000${anonymous++}`;
    authors.add(a);
    for (const t of p.terms) {
      let set = byTerm.get(t);
      if (!set) byTerm.set(t, (set = new Set()));
      set.add(a);
    }
  }
  return { minutes, posts: authors.size, terms: new Map([...byTerm].map(([t, set]) => [t, set.size])) };
}

export function countTerms(termLists: Iterable<readonly string[]>, minutes: number): TermCounts {
  const terms = new Map<string, number>();
  let posts = 0;
  for (const list of termLists) {
    posts++;
    for (const t of list) terms.set(t, (terms.get(t) ?? 0) + 1);
  }
  return { minutes, posts, terms };
}

export interface RisingTopic {
  phrase: string;
  count: number;
  /** Posts expected with this term in the window at the baseline's rate. */
  expected: number;
  /** count / expected. */
  lift: number;
  /** Poisson tail probability of so many at the expected rate: the smaller, the surer. */
  p: number;
}

/**
 * Terms rising in `recent` against `baseline`, surest first. A term the
 * baseline never saw is given half a post in it (scaled by the volume ratio),
 * so brand-new phrases stand out but one post never does. A single word is
 * dropped when a pair containing it explains most of its posts ("lost
 * luggage", not also "luggage").
 */
export function risingTopics(recent: TermCounts, baseline: TermCounts, opts: { minCount?: number; limit?: number } = {}): RisingTopic[] {
  const minCount = opts.minCount ?? 3;
  // Rates per post of the brand's stream when the baseline has posts, else per minute.
  const scale = baseline.posts > 0 && recent.posts > 0 ? Math.max(recent.posts / baseline.posts, recent.minutes / Math.max(1, baseline.minutes)) : recent.minutes / Math.max(1, baseline.minutes);
  const out: RisingTopic[] = [];
  for (const [phrase, count] of recent.terms) {
    if (count < minCount) continue;
    const expected = Math.max(((baseline.terms.get(phrase) ?? 0) + 0.5) * scale, 0.05);
    if (count < 2 * expected) continue;
    out.push({ phrase, count, expected: Math.round(expected * 100) / 100, lift: Math.round((count / expected) * 10) / 10, p: Math.exp(logPoissonTail(count, expected)) });
  }
  const pairs = out.filter((t) => t.phrase.includes(' '));
  const kept = out.filter((t) => t.phrase.includes(' ') || !pairs.some((p) => p.count >= 0.6 * t.count && p.phrase.split(' ').includes(t.phrase)));
  return kept.sort((a, b) => a.p - b.p || b.count - a.count).slice(0, opts.limit ?? 10);
}

/** The phrase most shared by these posts (a pair if one stands out, else a word): what a burst is about, without a baseline. */
export function topPhrase(texts: string[], brandWords: ReadonlySet<string>): string | null {
  const counts = countTerms(texts.map((t) => topicTerms(t, brandWords)), 1);
  const best = (pairsOnly: boolean) => [...counts.terms.entries()].filter(([p]) => p.includes(' ') === pairsOnly).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  const pair = best(true);
  if (pair && pair[1] >= Math.max(2, texts.length * 0.3)) return pair[0];
  const word = best(false);
  return word && word[1] >= 2 ? word[0] : null;
}
