import { createRestAPIClient, MastoHttpError, MastoTimeoutError, type mastodon } from 'masto';
import { HarkError, RateLimitedError, TransientError } from '../../shared/errors.js';
import type { MastoStatus } from './mastodon-status.js';

export interface RateLimit {
  remaining: number | null;
  resetAt: number | null;
}

/** X-RateLimit-Reset is an ISO time on Mastodon. */
function readLimit(headers: Headers | undefined): RateLimit | null {
  const remaining = headers?.get('x-ratelimit-remaining');
  if (remaining == null) return null;
  const reset = Date.parse(headers?.get('x-ratelimit-reset') ?? '');
  return { remaining: Number(remaining), resetAt: Number.isFinite(reset) ? reset : null };
}

/** masto's errors in Hark's vocabulary, with the reset of a 429 read from the response masto keeps as the cause. */
export function toHarkError(e: unknown, host: string, what: string): HarkError {
  if (e instanceof HarkError) return e;
  if (e instanceof MastoHttpError) {
    const res = e.cause instanceof Response ? e.cause : null;
    if (e.statusCode === 429) {
      const reset = Date.parse(res?.headers.get('x-ratelimit-reset') ?? '');
      return new RateLimitedError(`${host} rate limit reached (${what})`, Number.isFinite(reset) ? Math.max(1000, reset - Date.now()) : 60_000);
    }
    if (e.statusCode === 401 || e.statusCode === 403) return new HarkError('unauthorized', 401, `${host} refused the access token (${e.statusCode}: ${e.message}): check it has the read and write:statuses scopes`);
    if (e.statusCode >= 400 && e.statusCode < 500) return new HarkError('bad_request', e.statusCode, `${host} refused ${what}: ${e.message}`);
    return new TransientError(`${host} answered ${e.statusCode} for ${what}`);
  }
  if (e instanceof MastoTimeoutError) return new TransientError(`${host} did not answer ${what} in time`);
  return new TransientError(`${host} ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
}

/** One instance through masto's REST client, with the rate limit it last reported. */
export function createInstanceClient(opts: { origin: string; accessToken?: string; timeoutMs: number }) {
  const host = new URL(opts.origin).host;
  const rest: mastodon.rest.Client = createRestAPIClient({ url: opts.origin, ...(opts.accessToken ? { accessToken: opts.accessToken } : {}), timeout: opts.timeoutMs });
  const state = { rateLimit: { remaining: null, resetAt: null } as RateLimit };
  async function call<T>(what: string, f: () => PromiseLike<{ headers: Headers; data: T }>): Promise<T> {
    if (state.rateLimit.remaining !== null && state.rateLimit.remaining < 1 && state.rateLimit.resetAt && state.rateLimit.resetAt > Date.now()) {
      throw new RateLimitedError(`${host} rate limit reached`, state.rateLimit.resetAt - Date.now());
    }
    try {
      const r = await f();
      state.rateLimit = readLimit(r.headers) ?? state.rateLimit;
      return r.data;
    } catch (e) {
      const res = e instanceof MastoHttpError && e.cause instanceof Response ? e.cause : null;
      if (res) state.rateLimit = readLimit(res.headers) ?? state.rateLimit;
      throw toHarkError(e, host, what);
    }
  }
  return {
    host,
    origin: opts.origin,
    hasToken: Boolean(opts.accessToken),
    state,
    /** The streaming API's own origin (often another host); the instance origin when it does not say. */
    async streamingUrl(): Promise<string> {
      const inst = await call('instance', () => rest.v2.instance.fetch.$raw());
      return inst.configuration?.urls?.streaming || opts.origin.replace(/^http/, 'ws');
    },
    /** The page of a timeline right after `minId` (or the newest page), newest first. */
    timeline(feed: { kind: 'public' | 'local' } | { kind: 'tag'; tag: string }, minId: string | null, limit = 40): Promise<MastoStatus[]> {
      const params = { limit, ...(minId ? { minId } : {}) };
      if (feed.kind === 'tag') return call(`#${feed.tag}`, () => rest.v1.timelines.tag.$select(feed.tag).list.$raw(params));
      return call('the public timeline', () => rest.v1.timelines.public.list.$raw({ ...params, ...(feed.kind === 'local' ? { local: true } : {}) }));
    },
    /** This instance's id for a status anywhere in the fediverse (search with resolve=true needs a token). */
    async resolveStatus(uri: string): Promise<MastoStatus | null> {
      const found = await call('the status lookup', () => rest.v2.search.list.$raw({ q: uri, type: 'statuses', resolve: true, limit: 1 }));
      return found.statuses.find((s) => s.uri === uri || s.url === uri) ?? found.statuses[0] ?? null;
    },
    /** A public reply; Mastodon keeps the Idempotency-Key for an hour and answers a repeat with the first status. */
    reply(args: { text: string; inReplyToId: string; idempotencyKey: string }): Promise<MastoStatus> {
      return call('the reply', () => rest.v1.statuses.create.$raw({ status: args.text, inReplyToId: args.inReplyToId, visibility: 'public' }, { requestInit: { headers: { 'Idempotency-Key': args.idempotencyKey } } }));
    },
  };
}
export type InstanceClient = ReturnType<typeof createInstanceClient>;
