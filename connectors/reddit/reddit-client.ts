import { HarkError, RateLimitedError, TransientError } from '../../shared/errors.js';

/** Script apps sign in as a user (password grant); read-only apps use client credentials. */
export interface RedditAuth {
  clientId: string;
  clientSecret: string;
  username?: string;
  password?: string;
  userAgent: string;
}

export interface RedditThing {
  kind: 't1' | 't3' | string;
  data: {
    name: string;
    id: string;
    author?: string;
    title?: string;
    selftext?: string;
    body?: string;
    permalink?: string;
    created_utc?: number;
    parent_id?: string;
    link_id?: string;
    subreddit?: string;
    score?: number;
    num_comments?: number;
    removed_by_category?: string | null;
  };
}

export interface Listing {
  children: RedditThing[];
  after: string | null;
  before: string | null;
}

/**
 * A small typed Reddit client on fetch (snoowrap is unmaintained and pulls the
 * deprecated `request`). OAuth2 tokens are fetched and refreshed before they
 * expire or on a 401; x-ratelimit-remaining / -reset are honoured by refusing
 * to call until the reset (RateLimitedError says how long).
 */
export class RedditClient {
  private token: { value: string; expiresAt: number } | null = null;
  rateLimit: { remaining: number | null; resetAt: number | null } = { remaining: null, resetAt: null };

  constructor(
    private readonly auth: RedditAuth,
    private readonly opts: { baseUrl?: string; authUrl?: string; fetchImpl?: typeof fetch; now?: () => number; timeoutMs?: number } = {},
  ) {}

  private now = () => this.opts.now?.() ?? Date.now();

  private async accessToken(force = false): Promise<string> {
    if (!force && this.token && this.token.expiresAt - 60_000 > this.now()) return this.token.value;
    const body = this.auth.username && this.auth.password ? new URLSearchParams({ grant_type: 'password', username: this.auth.username, password: this.auth.password }) : new URLSearchParams({ grant_type: 'client_credentials' });
    const res = await this.fetch(`${this.opts.authUrl ?? 'https://www.reddit.com'}/api/v1/access_token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${this.auth.clientId}:${this.auth.clientSecret}`).toString('base64')}`, 'user-agent': this.auth.userAgent, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    const json = (await this.json(res)) as { access_token?: string; expires_in?: number; error?: string };
    if (!res.ok || !json.access_token) throw new HarkError('unauthorized', 401, `Reddit refused the credentials (${json.error ?? res.status})`);
    this.token = { value: json.access_token, expiresAt: this.now() + (json.expires_in ?? 3600) * 1000 };
    return this.token.value;
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await (this.opts.fetchImpl ?? fetch)(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000) });
    } catch (e) {
      throw new TransientError(`Reddit did not answer: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async json(res: Response): Promise<unknown> {
    const text = await res.text();
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      throw new TransientError(`Reddit sent malformed JSON (HTTP ${res.status})`);
    }
  }

  private async call(method: 'GET' | 'POST', path: string, params: Record<string, string>): Promise<unknown> {
    if (this.rateLimit.remaining !== null && this.rateLimit.remaining < 1 && this.rateLimit.resetAt && this.rateLimit.resetAt > this.now()) {
      throw new RateLimitedError('Reddit rate limit reached', this.rateLimit.resetAt - this.now());
    }
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const qs = new URLSearchParams(params).toString();
      const url = `${this.opts.baseUrl ?? 'https://oauth.reddit.com'}${path}${method === 'GET' && qs ? `?${qs}` : ''}`;
      const res = await this.fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, 'user-agent': this.auth.userAgent, ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(method === 'POST' ? { body: qs } : {}),
      });
      const remaining = res.headers.get('x-ratelimit-remaining');
      const reset = res.headers.get('x-ratelimit-reset');
      if (remaining !== null) this.rateLimit = { remaining: Number(remaining), resetAt: reset !== null ? this.now() + Number(reset) * 1000 : null };
      if (res.status === 401 && attempt === 0) continue; // the token expired early: refresh once
      if (res.status === 429) throw new RateLimitedError('Reddit rate limit reached', Math.max(1000, Number(reset ?? 60) * 1000));
      if (res.status >= 500) throw new TransientError(`Reddit answered ${res.status}`);
      if (!res.ok) throw new HarkError('bad_request', res.status, `Reddit answered ${res.status} for ${path}`);
      return this.json(res);
    }
  }

  async listing(path: string, params: Record<string, string> = {}): Promise<Listing> {
    const json = (await this.call('GET', path, { raw_json: '1', limit: '100', ...params })) as { data?: { children?: RedditThing[]; after?: string | null; before?: string | null } };
    return { children: json.data?.children ?? [], after: json.data?.after ?? null, before: json.data?.before ?? null };
  }

  /** Replies under a post or comment; returns the new comment's fullname and permalink. */
  async comment(thingId: string, text: string): Promise<{ name: string; permalink: string | null }> {
    const json = (await this.call('POST', '/api/comment', { thing_id: thingId, text, api_type: 'json' })) as {
      json?: { errors?: unknown[][]; data?: { things?: Array<{ data: { name: string; permalink?: string } }> } };
    };
    const errors = json.json?.errors ?? [];
    if (errors.length) throw new HarkError('bad_request', 400, `Reddit refused the reply: ${errors.map((e) => e.join(' ')).join('; ')}`);
    const thing = json.json?.data?.things?.[0]?.data;
    if (!thing) throw new TransientError('Reddit did not return the new comment');
    return { name: thing.name, permalink: thing.permalink ?? null };
  }
}
