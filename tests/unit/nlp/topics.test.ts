import { describe, expect, it } from 'vitest';
import { countPeople, countTerms, risingTopics, topicTerms, topPhrase } from '../../../workers/nlp/topics.js';

const brand = new Set(['acme', 'acmeair']);
const counts = (texts: string[], minutes: number) => countTerms(texts.map((t) => topicTerms(t, brand)), minutes);

describe('topics', () => {
  it('takes salient words and pairs, once per post, without brand words, handles or stop words', () => {
    expect(topicTerms('@AcmeAir my luggage is LOST, lost luggage again!! https://t.co/x', brand).sort()).toEqual(['lost', 'lost luggage', 'luggage', 'luggage lost'].sort());
  });

  it('finds the phrase rising against the baseline and leaves out words a pair explains', () => {
    const chatter = ['seat was small', 'coffee cold again', 'boarding slow today', 'crew was lovely', 'great landing'];
    const baseline = counts(Array.from({ length: 600 }, (_, i) => `${chatter[i % chatter.length]} ${i % 7 ? '' : 'luggage'}`), 720);
    const recent = counts(['lost luggage in Denver', 'my lost luggage, day 2', 'lost luggage!!', 'LOST LUGGAGE hotline is closed', 'coffee cold again', 'seat was small'], 60);
    const top = risingTopics(recent, baseline);
    expect(top[0]).toMatchObject({ phrase: 'lost luggage', count: 4 });
    expect(top[0]!.lift).toBeGreaterThan(20);
    expect(top.map((t) => t.phrase)).not.toContain('luggage'); // explained by "lost luggage"
    expect(top.map((t) => t.phrase)).not.toContain('coffee cold'); // usual chatter does not rise
  });

  it('needs a few posts: one odd phrase is not a topic', () => {
    const baseline = counts(['seat was small', 'coffee cold'], 720);
    expect(risingTopics(counts(['volcano ash everywhere', 'seat was small'], 60), baseline)).toEqual([]);
  });

  it('names what a burst is about without a baseline', () => {
    expect(topPhrase(['App down again', 'is the app down?', 'app down, cannot check in', 'boarding now'], brand)).toBe('app down');
  });

  it('counts people, not posts: one author repeating a phrase is one voice', () => {
    const c = countPeople(
      [
        { author: 'x:ann', terms: ['app down'] },
        { author: 'x:ann', terms: ['app down'] },
        { author: 'x:ann', terms: ['app down', 'refund'] },
        { author: 'x:bob', terms: ['app down'] },
        { author: null, terms: ['refund'] },
      ],
      5,
    );
    expect(c.terms.get('app down')).toBe(2);
    expect(c.terms.get('refund')).toBe(2);
    expect(c.posts).toBe(3);
  });
});
