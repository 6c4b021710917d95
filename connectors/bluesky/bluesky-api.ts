import { AppBskyRichtextFacet, AtpAgent, RichText, XRPCError, type AppBskyActorDefs, type AppBskyFeedDefs } from '@atproto/api';
import { HarkError, RateLimitedError, TransientError } from '../../shared/errors.js';

export const POST_COLLECTION = 'app.bsky.feed.post';

/** at://<did>/app.bsky.feed.post/<rkey>: a post's id everywhere in the AT Protocol, and Hark's externalId. */
export const postUri = (did: string, rkey: string) => `at://${did}/${POST_COLLECTION}/${rkey}`;
export const parsePostUri = (uri: string): { did: string; rkey: string } | null => {
  const m = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(uri);
  return m ? { did: m[1]!, rkey: m[2]! } : null;
};
export const postUrl = (actor: string, rkey: string) => `https://bsky.app/profile/${encodeURIComponent(actor)}/post/${encodeURIComponent(rkey)}`;

/** A fetch that gives up after `ms`: @atproto/api has no timeout of its own. */
export const timedFetch =
  (ms: number): typeof fetch =>
  (input, init) =>
    fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms) });

/** One error vocabulary for the connector: rate limits with their reset, refused credentials, refusals, and what is worth retrying. */
export function toHarkError(e: unknown, what: string, now = Date.now()): HarkError {
  if (e instanceof HarkError) return e;
  if (e instanceof XRPCError) {
    const reset = Number(e.headers?.['ratelimit-reset']);
    if (e.status === 429) return new RateLimitedError(`Bluesky rate limit reached (${what})`, Number.isFinite(reset) && reset > 0 ? Math.max(1000, reset * 1000 - now) : 60_000);
    if (e.status === 401 || e.error === 'AuthenticationRequired' || e.error === 'AccountTakedown' || e.error === 'AuthFactorTokenRequired')
      return new HarkError('unauthorized', 401, `Bluesky refused the credentials (${e.error || e.status}): check the handle and app password`);
    if (e.status >= 400 && e.status < 500) return new HarkError('bad_request', e.status, `Bluesky refused ${what}: ${e.message || e.error}`);
    return new TransientError(`Bluesky ${what} failed: ${e.message || e.error || `status ${e.status}`}`);
  }
  return new TransientError(`Bluesky ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
}

async function call<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toHarkError(e, what);
  }
}

export type PostView = AppBskyFeedDefs.PostView;
export type ProfileView = AppBskyActorDefs.ProfileViewDetailed;

/**
 * Reads through the public AppView (no account needed): search, profiles and
 * posts, with the official client.
 */
export function createBlueskyReader(opts: { appviewUrl: string; timeoutMs: number }) {
  const agent = new AtpAgent({ service: opts.appviewUrl, fetch: timedFetch(opts.timeoutMs) });
  return {
    async searchPosts(q: string, cursor: string | undefined): Promise<{ posts: PostView[]; cursor: string | undefined }> {
      const res = await call('search', () => agent.app.bsky.feed.searchPosts({ q, sort: 'latest', limit: 100, ...(cursor ? { cursor } : {}) }));
      return { posts: res.data.posts, cursor: res.data.cursor };
    },
    /** At most 25 actors a call (the lexicon's limit). */
    async getProfiles(actors: string[]): Promise<ProfileView[]> {
      if (actors.length > 25) throw new Error('getProfiles takes at most 25 actors');
      return (await call('profiles', () => agent.getProfiles({ actors }))).data.profiles;
    },
    async getPost(uri: string): Promise<PostView | null> {
      return (await call('post lookup', () => agent.getPosts({ uris: [uri] }))).data.posts[0] ?? null;
    },
  };
}
export type BlueskyReader = ReturnType<typeof createBlueskyReader>;

/**
 * The brand account, signed in with its app password
 * (com.atproto.server.createSession); the client refreshes the session by
 * itself and a refused refresh signs in again.
 */
export function createBlueskyPoster(opts: { service: string; handle: string; appPassword: string; timeoutMs: number }) {
  const agent = new AtpAgent({ service: opts.service, fetch: timedFetch(opts.timeoutMs) });
  let login: Promise<unknown> | null = null;
  const signIn = () => {
    login ??= call('sign-in', () => agent.login({ identifier: opts.handle, password: opts.appPassword })).catch((e: unknown) => {
      login = null;
      throw e;
    });
    return login;
  };
  /** Links, tags and @mentions as facets, so they are clickable; a handle that does not resolve stays plain text. */
  async function withFacets<R extends { text: string }>(record: R): Promise<R & { facets?: AppBskyRichtextFacet.Main[] }> {
    const rt = new RichText({ text: record.text });
    await rt.detectFacets(agent);
    const facets = (rt.facets ?? []).filter((f) => f.features.every((x) => !AppBskyRichtextFacet.isMention(x) || x.did));
    return facets.length ? { ...record, text: rt.text, facets } : record;
  }
  return {
    async post(plain: { text: string; reply: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } } }): Promise<{ uri: string; cid: string; handle: string }> {
      await signIn();
      const record = await withFacets(plain);
      try {
        const r = await call('the reply', () => agent.post({ ...record, createdAt: new Date().toISOString() }));
        return { ...r, handle: agent.session?.handle ?? opts.handle };
      } catch (e) {
        // An expired or revoked session the client could not refresh: sign in once more.
        if (e instanceof HarkError && e.code === 'unauthorized' && agent.hasSession) {
          login = null;
          await signIn();
          const r = await call('the reply', () => agent.post({ ...record, createdAt: new Date().toISOString() }));
          return { ...r, handle: agent.session?.handle ?? opts.handle };
        }
        throw e;
      }
    },
  };
}
export type BlueskyPoster = ReturnType<typeof createBlueskyPoster>;
