import type { XUser } from './map-tweet.js';

/**
 * Authors seen lately (followers, verification), by id. X sends authors in
 * each page's `includes.users`, but not always (a stream payload, a suspended
 * account's expansion): a cached author keeps influence scoring right then.
 * Bounded, oldest out first; entries older than `ttlMs` are refreshed by the
 * next page that carries them and otherwise ignored.
 */
export class AuthorCache {
  private readonly users = new Map<string, { user: XUser; at: number }>();
  constructor(
    private readonly max = 50_000,
    private readonly ttlMs = 6 * 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  remember(users: readonly XUser[]) {
    for (const u of users) {
      this.users.delete(u.id);
      this.users.set(u.id, { user: u, at: this.now() });
      if (this.users.size > this.max) this.users.delete(this.users.keys().next().value!);
    }
  }

  /** The page's own authors, completed from the cache for authors the page did not include. */
  merge(pageUsers: readonly XUser[], authorIds: Iterable<string | undefined>): Map<string, XUser> {
    this.remember(pageUsers);
    const out = new Map(pageUsers.map((u) => [u.id, u]));
    for (const id of authorIds) {
      if (!id || out.has(id)) continue;
      const hit = this.users.get(id);
      if (hit && this.now() - hit.at < this.ttlMs) out.set(id, hit.user);
    }
    return out;
  }
}
