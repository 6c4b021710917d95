import type { BlueskyReader } from './bluesky-api.js';

export interface BlueskyAuthor {
  did: string;
  handle: string;
  name: string | null;
  followers: number;
}

/**
 * Authors by DID (handle, name, followers), fetched 25 at a time with
 * app.bsky.actor.getProfiles and kept for `ttlMs`; bounded, oldest out first.
 * A failed lookup leaves the authors unknown (their posts still flow, with 0
 * followers) rather than holding the stream back.
 */
export class ProfileCache {
  private readonly byDid = new Map<string, { author: BlueskyAuthor; at: number }>();
  constructor(
    private readonly reader: Pick<BlueskyReader, 'getProfiles'>,
    private readonly max = 50_000,
    private readonly ttlMs = 6 * 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  remember(author: BlueskyAuthor) {
    this.byDid.delete(author.did);
    this.byDid.set(author.did, { author, at: this.now() });
    if (this.byDid.size > this.max) this.byDid.delete(this.byDid.keys().next().value!);
  }

  /** A handle change announced on the firehose (identity event). */
  rename(did: string, handle: string) {
    const hit = this.byDid.get(did);
    if (hit) hit.author = { ...hit.author, handle };
  }

  peek(did: string): BlueskyAuthor | undefined {
    const hit = this.byDid.get(did);
    return hit && this.now() - hit.at < this.ttlMs ? hit.author : undefined;
  }

  /** The authors of `dids`, from the cache or in batches of 25; `onError` hears about lookups that failed. */
  async get(dids: Iterable<string>, onError: (e: unknown) => void): Promise<Map<string, BlueskyAuthor>> {
    const out = new Map<string, BlueskyAuthor>();
    const missing: string[] = [];
    for (const did of new Set(dids)) {
      const hit = this.peek(did);
      if (hit) out.set(did, hit);
      else missing.push(did);
    }
    for (let i = 0; i < missing.length; i += 25) {
      try {
        for (const p of await this.reader.getProfiles(missing.slice(i, i + 25))) {
          const a = { did: p.did, handle: p.handle, name: p.displayName?.trim() || null, followers: p.followersCount ?? 0 };
          this.remember(a);
          out.set(a.did, a);
        }
      } catch (e) {
        onError(e);
      }
    }
    return out;
  }
}
