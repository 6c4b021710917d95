import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_ONLY_FORBIDDEN, createFakeXAuth } from './fake-x-auth.js';

/** The brand account's OAuth 1.0a tokens the fake knows (the consumer key/secret and the access token/secret). */
export const FAKE_X_OAUTH1 = { apiKey: 'test-consumer-key', apiSecret: 'test-consumer-secret', accessToken: '1234-test-access-token', accessSecret: 'test-access-secret' } as const;
/** The brand account's OAuth 1.0a user context as the X connector takes it (the fake accepts it on POST /2/tweets). */
export const FAKE_X_USER_AUTH = { kind: 'oauth1' as const, appKey: FAKE_X_OAUTH1.apiKey, appSecret: FAKE_X_OAUTH1.apiSecret, accessToken: FAKE_X_OAUTH1.accessToken, accessSecret: FAKE_X_OAUTH1.accessSecret };
/** The same, as the server's environment. */
export const FAKE_X_USER_ENV = { X_API_KEY: FAKE_X_OAUTH1.apiKey, X_API_SECRET: FAKE_X_OAUTH1.apiSecret, X_ACCESS_TOKEN: FAKE_X_OAUTH1.accessToken, X_ACCESS_SECRET: FAKE_X_OAUTH1.accessSecret };

export interface FakeTweet {
  id: string;
  text: string;
  author_id: string;
  created_at: string;
  lang?: string;
  conversation_id?: string;
  referenced_tweets?: Array<{ type: 'replied_to'; id: string }>;
}
export interface FakeUser {
  id: string;
  username: string;
  name: string;
  verified?: boolean;
  public_metrics: { followers_count: number };
}

export interface FakeRule {
  id: string;
  value: string;
  tag?: string;
}

/** Faults the next request meets (in order): a 429 with a reset, a 500, a truncated body, or no answer at all. */
export type FakeXFault = { kind: '429' | '500' | 'garbage' | 'hang'; resetInSeconds?: number; path?: string };
/** Faults the open stream meets: a tweet cut off mid-line then the socket dropped, or silence (no keep-alives). */
export type FakeStreamFault = 'drop-mid-line' | 'stall';

/** Loose matching, like a search engine that is wider than the query: Hark must re-check locally. */
function looseMatch(query: string, text: string): boolean {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w && !w.startsWith('-') && !w.includes(':') && w !== 'or')
    .map((w) => w.replace(/["()]/g, ''))
    .filter(Boolean);
  return words.length === 0 || words.some((w) => text.toLowerCase().includes(w));
}

/** since_id and until_id are both exclusive, as X documents them. */
const inRange = (id: string, since: string | null, until: string | null) => (!since || BigInt(id) > BigInt(since)) && (!until || BigInt(id) < BigInt(until));

/**
 * A local server that speaks the parts of X API v2 Hark uses, in the
 * documented shapes: recent search with since_id, next_token pages,
 * meta.newest_id and includes.users; the filtered stream (rules endpoints and
 * a long-lived response of \r\n-delimited JSON with keep-alive newlines);
 * POST /2/tweets for replies, with X's authentication rules (fake-x-auth.ts:
 * app-only tokens read, only user context posts), which then show on the
 * posting account's timeline (GET /2/users/:id/tweets). Faults can be queued: a 429 with
 * x-rate-limit-reset, a 500, malformed JSON, a request never answered, a
 * stream dropped mid-line or gone silent.
 */
export async function startFakeX(opts: { pageSize?: number; keepAliveMs?: number; overlappingPages?: boolean; selfUserId?: string; postDelayMs?: number } = {}) {
  const tweets: FakeTweet[] = [];
  /** Posts made through POST /2/tweets, as the authenticated account (`selfUserId`): its timeline. */
  const ownTweets: FakeTweet[] = [];
  const selfUserId = opts.selfUserId ?? '4242';
  const users = new Map<string, FakeUser>();
  const posted: Array<{ text: string; reply?: { in_reply_to_tweet_id: string } }> = [];
  /** How each post in `posted` was authenticated. */
  const postedAuth: Array<'oauth1' | 'oauth2'> = [];
  // The origin twitter-api-v2 signs for (its requests are then sent here): OAuth 1.0a signatures cover the public URL.
  const auth = createFakeXAuth({ appBearer: 'test-bearer', publicOrigin: 'https://api.x.com' });
  auth.addConsumer(FAKE_X_OAUTH1.apiKey, FAKE_X_OAUTH1.apiSecret);
  auth.addUserToken(FAKE_X_OAUTH1.accessToken, FAKE_X_OAUTH1.accessSecret);
  const faults: FakeXFault[] = [];
  const streamFaults: FakeStreamFault[] = [];
  const requests: string[] = [];
  const rules: FakeRule[] = [];
  const ruleChanges: Array<{ add?: Array<{ value: string; tag?: string }>; delete?: { ids: string[] } }> = [];
  const streams = new Set<http.ServerResponse>();
  const hung = new Set<http.ServerResponse>();
  const writing = new Map<http.ServerResponse, Promise<void>>();
  let nextRuleId = 1;
  /** When set, stream payloads leave out `includes.users` (as X does for some accounts). */
  const state = { omitIncludes: false };
  let streamConnects = 0;
  const pageSize = opts.pageSize ?? 10;

  const payloadFor = (t: FakeTweet) => {
    const matching = rules.filter((r) => looseMatch(r.value, t.text)).map((r) => ({ id: r.id, tag: r.tag ?? '' }));
    if (!matching.length) return null;
    const u = state.omitIncludes ? undefined : users.get(t.author_id);
    return JSON.stringify({ data: t, includes: u ? { users: [u] } : {}, matching_rules: matching });
  };
  /** Sends a tweet to every open stream, meeting a queued stream fault if any. */
  const pushToStreams = (t: FakeTweet) => {
    const line = payloadFor(t);
    if (!line) return;
    for (const res of streams) {
      const fault = streamFaults.shift();
      if (fault === 'drop-mid-line') {
        res.write(line.slice(0, Math.floor(line.length / 2)));
        streams.delete(res);
        setTimeout(() => res.socket?.destroy(), 20);
        continue;
      }
      if (fault === 'stall') {
        streams.delete(res); // kept open, never written to again
        hung.add(res);
        continue;
      }
      // Sent in two writes a moment apart, cut in the middle of the bytes (often inside a multi-byte character).
      const bytes = Buffer.from(`${line}\r\n`);
      const cut = Math.floor(bytes.length / 2);
      const prev = writing.get(res) ?? Promise.resolve();
      writing.set(
        res,
        prev.then(async () => {
          if (res.writable) res.write(bytes.subarray(0, cut));
          await new Promise((r) => setTimeout(r, 5));
          if (res.writable) res.write(bytes.subarray(cut));
        }),
      );
    }
  };
  const keepAlive = setInterval(() => {
    for (const res of streams) res.write('\r\n');
  }, opts.keepAliveMs ?? 100);

  const json = (res: http.ServerResponse, status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') return handle(req, res, '');
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => handle(req, res, raw));
  });
  const handle = (req: http.IncomingMessage, res: http.ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    // The OAuth 2.0 consent screen (x.com/i/oauth2/authorize) and token endpoint (api.x.com/2/oauth2/token).
    if (req.method === 'GET' && url.pathname === '/i/oauth2/authorize') {
      const r = auth.authorize(url);
      if (r.location) res.writeHead(r.status, { location: r.location }).end();
      else res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.body);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/2/oauth2/token') {
      const r = auth.token(req, new URLSearchParams(raw));
      json(res, r.status, r.body);
      return;
    }
    const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? [...new URLSearchParams(raw)] : [];
    const who = auth.authenticate(req, url, form);
    if (!who.ok) {
      json(res, who.status, who.body);
      return;
    }
    // The filtered stream and its rules take the app's token only, as X documents.
    if (url.pathname.startsWith('/2/tweets/search/stream') && who.kind !== 'app') {
      json(res, 403, { ...APP_ONLY_FORBIDDEN, detail: 'Authenticating with OAuth 2.0 User Context is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 Application-Only].' });
      return;
    }
    const fi = faults.findIndex((f) => !f.path || url.pathname.startsWith(f.path));
    const fault = fi >= 0 ? faults.splice(fi, 1)[0] : undefined;
    if (fault?.kind === 'hang') {
      hung.add(res);
      return;
    }
    if (fault?.kind === '429') {
      const reset = Math.floor(Date.now() / 1000) + (fault.resetInSeconds ?? 1);
      res.writeHead(429, { 'content-type': 'application/json', 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) });
      res.end(JSON.stringify({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }));
      return;
    }
    if (fault?.kind === '500') {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ title: 'Internal Error', status: 500 }));
      return;
    }
    if (fault?.kind === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": [ {"id": "1", "te');
      return;
    }
    if (req.method === 'GET' && url.pathname === '/2/tweets/search/stream/rules') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(rules.length ? { data: rules, meta: { sent: new Date().toISOString(), result_count: rules.length } } : { meta: { sent: new Date().toISOString(), result_count: 0 } }));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/2/tweets/search/stream/rules') {
      {
        const body = JSON.parse(raw) as { add?: Array<{ value: string; tag?: string }>; delete?: { ids: string[] } };
        ruleChanges.push(body);
        const created: FakeRule[] = [];
        const errors: unknown[] = [];
        for (const r of body.add ?? []) {
          if (r.value.length > 512) {
            errors.push({ value: r.value, details: ['Rule must be 512 characters or fewer'], title: 'UnprocessableEntity', type: 'https://api.x.com/2/problems/invalid-rules' });
            continue;
          }
          const rule = { id: String(nextRuleId++), value: r.value, ...(r.tag ? { tag: r.tag } : {}) };
          rules.push(rule);
          created.push(rule);
        }
        const ids = new Set(body.delete?.ids ?? []);
        for (let i = rules.length - 1; i >= 0; i--) if (ids.has(rules[i]!.id)) rules.splice(i, 1);
        const summary = body.add ? { created: created.length, not_created: errors.length, valid: created.length, invalid: errors.length } : { deleted: ids.size, not_deleted: 0 };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ...(created.length ? { data: created } : {}), meta: { sent: new Date().toISOString(), summary }, ...(errors.length ? { errors } : {}) }));
      }
      return;
    }
    if (req.method === 'GET' && url.pathname === '/2/tweets/search/stream') {
      streamConnects++;
      res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive' });
      res.flushHeaders();
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/2/tweets/search/recent') {
      const q = url.searchParams.get('query') ?? '';
      const since = url.searchParams.get('since_id');
      const until = url.searchParams.get('until_id');
      const matching = tweets
        .filter((t) => inRange(t.id, since, until) && looseMatch(q, t.text))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
      const token = Number(url.searchParams.get('next_token') ?? 0);
      // Posts arriving while a client pages make the next page repeat the last post of the previous one.
      const start = opts.overlappingPages && token > 0 ? token - 1 : token;
      const page = matching.slice(start, start + pageSize);
      const body: Record<string, unknown> = { meta: { result_count: page.length } };
      if (page.length) {
        body.data = page;
        body.includes = { users: [...new Set(page.map((t) => t.author_id))].map((id) => users.get(id)).filter(Boolean) };
        Object.assign(body.meta as object, { newest_id: page[0]!.id, oldest_id: page[page.length - 1]!.id });
        if (start === 0) (body.meta as Record<string, unknown>).newest_id = matching[0]!.id;
      }
      if (start + pageSize < matching.length) (body.meta as Record<string, unknown>).next_token = String(start + pageSize);
      res.writeHead(200, { 'content-type': 'application/json', 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '449', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 900) });
      res.end(JSON.stringify(body));
      return;
    }
    const mentionsOf = /^\/2\/users\/([^/]+)\/mentions$/.exec(url.pathname);
    if (req.method === 'GET' && mentionsOf) {
      const handle = users.get(mentionsOf[1]!)?.username.toLowerCase();
      const since = url.searchParams.get('since_id');
      const until = url.searchParams.get('until_id');
      const list = tweets
        .filter((t) => handle && t.text.toLowerCase().includes(`@${handle}`) && inRange(t.id, since, until))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
      const start = Number(url.searchParams.get('pagination_token') ?? 0);
      const page = list.slice(start, start + pageSize);
      const meta: Record<string, unknown> = { result_count: page.length };
      if (page.length) Object.assign(meta, { newest_id: list[0]!.id, oldest_id: page[page.length - 1]!.id });
      if (start + pageSize < list.length) meta.next_token = String(start + pageSize);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...(page.length ? { data: page, includes: { users: [...new Set(page.map((t) => t.author_id))].map((id) => users.get(id)).filter(Boolean) } } : {}), meta }));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/2/tweets') {
      // Posting needs a user: X refuses the app-only token here with this 403.
      if (who.kind === 'app') return json(res, 403, APP_ONLY_FORBIDDEN);
      if (who.kind === 'oauth2' && !who.scopes.includes('tweet.write')) return json(res, 403, { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'Missing scope tweet.write' });
      {
        const body = JSON.parse(raw) as { text: string; reply?: { in_reply_to_tweet_id: string } };
        posted.push(body);
        postedAuth.push(who.kind);
        const id = String(9_000_000 + posted.length);
        const parent = body.reply ? [...tweets, ...ownTweets].find((t) => t.id === body.reply!.in_reply_to_tweet_id) : undefined;
        ownTweets.push({
          id,
          text: body.text,
          author_id: selfUserId,
          created_at: new Date().toISOString(),
          conversation_id: parent?.conversation_id ?? parent?.id ?? id,
          ...(body.reply ? { referenced_tweets: [{ type: 'replied_to' as const, id: body.reply.in_reply_to_tweet_id }] } : {}),
        });
        // The post exists from here on, answered or not: a client that dies now has posted.
        setTimeout(() => {
          if (!res.destroyed) res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { id, text: body.text } }));
        }, opts.postDelayMs ?? 0);
      }
      return;
    }
    const timelineOf = /^\/2\/users\/([^/]+)\/tweets$/.exec(url.pathname);
    if (req.method === 'GET' && timelineOf) {
      // GET /2/users/:id/tweets: newest first, 5-100 per page, start_time/since_id bounds, only the tweet.fields asked for.
      const max = Number(url.searchParams.get('max_results') ?? 10);
      if (!Number.isInteger(max) || max < 5 || max > 100) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ parameters: { max_results: [String(max)] }, message: 'The `max_results` query parameter value is not between 5 and 100' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.x.com/2/problems/invalid-request' }));
        return;
      }
      const startTime = url.searchParams.get('start_time');
      if (startTime && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(startTime)) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ parameters: { start_time: [startTime] }, message: 'Invalid start_time' }], title: 'Invalid Request', type: 'https://api.x.com/2/problems/invalid-request' }));
        return;
      }
      const since = url.searchParams.get('since_id');
      const fields = new Set((url.searchParams.get('tweet.fields') ?? '').split(',').filter(Boolean));
      const list = [...ownTweets, ...tweets]
        .filter((t) => t.author_id === timelineOf[1] && (!since || BigInt(t.id) > BigInt(since)) && (!startTime || Date.parse(t.created_at) >= Date.parse(startTime)))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
      const start = Number(url.searchParams.get('pagination_token') ?? 0);
      const page = list.slice(start, start + max).map((t) => ({
        id: t.id,
        text: t.text,
        edit_history_tweet_ids: [t.id],
        ...(fields.has('created_at') ? { created_at: t.created_at } : {}),
        ...(fields.has('conversation_id') && t.conversation_id ? { conversation_id: t.conversation_id } : {}),
        ...(fields.has('referenced_tweets') && t.referenced_tweets ? { referenced_tweets: t.referenced_tweets } : {}),
        ...(fields.has('author_id') ? { author_id: t.author_id } : {}),
      }));
      const meta: Record<string, unknown> = { result_count: page.length };
      if (page.length) Object.assign(meta, { newest_id: page[0]!.id, oldest_id: page[page.length - 1]!.id });
      if (start + max < list.length) meta.next_token = String(start + max);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...(page.length ? { data: page } : {}), meta }));
      return;
    }
    json(res, 404, { title: 'Not Found', status: 404 });
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  let nextId = 1_000_000_000_000n;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tweets,
    posted,
    ownTweets,
    selfUserId,
    postedAuth,
    auth,
    faults,
    streamFaults,
    requests,
    rules,
    ruleChanges,
    set omitIncludes(v: boolean) {
      state.omitIncludes = v;
    },
    get streamConnects() {
      return streamConnects;
    },
    get openStreams() {
      return streams.size;
    },
    addUser(u: FakeUser) {
      users.set(u.id, u);
    },
    addTweet(t: Omit<FakeTweet, 'id' | 'created_at'> & { id?: string; created_at?: string }) {
      const tweet = { ...t, id: t.id ?? String(nextId++), created_at: t.created_at ?? new Date().toISOString() } as FakeTweet;
      tweets.push(tweet);
      pushToStreams(tweet);
      return tweet;
    },
    /** Adds a tweet search can find but the stream never delivered (posted while Hark was away). */
    addTweetUnstreamed(t: Omit<FakeTweet, 'id' | 'created_at'>) {
      const tweet = { ...t, id: String(nextId++), created_at: new Date().toISOString() } as FakeTweet;
      tweets.push(tweet);
      return tweet;
    },
    close: () => {
      clearInterval(keepAlive);
      for (const res of [...streams, ...hung]) res.socket?.destroy();
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
