import { describe, expect, it } from 'vitest';
import { AuthorCache } from '../../../connectors/x/author-cache.js';

const user = (id: string, followers: number) => ({ id, username: `u${id}`, public_metrics: { followers_count: followers } });

describe('X author cache', () => {
  it('completes a page from remembered authors, prefers the page, forgets the oldest and the stale', () => {
    let t = 0;
    const c = new AuthorCache(2, 1000, () => t);
    c.remember([user('1', 10), user('2', 20)]);
    expect(c.merge([user('2', 25)], ['1', '2', '3']).get('2')!.public_metrics!.followers_count).toBe(25);
    expect(c.merge([], ['1']).get('1')).toBeDefined();
    c.remember([user('4', 40)]); // over the bound: the least recent (1) goes
    expect(c.merge([], ['1']).has('1')).toBe(false);
    t = 2000;
    expect(c.merge([], ['4']).has('4')).toBe(false);
  });
});
