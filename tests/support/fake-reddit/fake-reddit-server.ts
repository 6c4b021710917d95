import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeThing {
  kind: 't1' | 't3';
  data: Record<string, unknown> & { name: string; subreddit: string; created_utc: number };
}

/**
 * The parts of Reddit's API Hark uses, in their documented shapes: the OAuth
 * token endpoint, listings (/r/{sub}/new, /r/{sub}/comments, /search) with
 * `data.children`, `before` and `after`, and /api/comment. Tokens expire after
 * `tokenLifetimeMs` (then 401), and faults can be queued. Comments need a
 * token of a signed-in account (password grant) and appear under
 * /user/{name}/comments.
 */
export async function startFakeReddit(opts: { tokenLifetimeMs?: number } = {}) {
  const things: FakeThing[] = [];
  const comments: Array<{ thing_id: string; text: string }> = [];
  /** Comments posted through /api/comment, by the account the token was issued to: /user/{name}/comments. */
  const posted: FakeThing[] = [];
  const tokenUser = new Map<string, string | null>();
  const faults: Array<'429' | '500' | 'garbage' | 'hang'> = [];
  const tokens = new Map<string, number>();
  let tokenCount = 0;
  const requests: string[] = [];

  const listing = (items: FakeThing[], before: string | null) => {
    let list = [...items].sort((a, b) => b.data.created_utc - a.data.created_utc);
    if (before) {
      const i = list.findIndex((t) => t.data.name === before);
      list = i >= 0 ? list.slice(0, i) : list;
    }
    return { kind: 'Listing', data: { children: list.slice(0, 100), after: null, before: null, dist: list.length } };
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}`);
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-ratelimit-remaining': '599', 'x-ratelimit-used': '1', 'x-ratelimit-reset': '300', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/api/v1/access_token') {
        if (req.headers.authorization !== `Basic ${Buffer.from('cid:secret').toString('base64')}`) return json(401, { error: 'invalid_client' });
        const token = `tok-${++tokenCount}`;
        tokens.set(token, Date.now() + (opts.tokenLifetimeMs ?? 3_600_000));
        const grant = new URLSearchParams(raw);
        tokenUser.set(token, grant.get('grant_type') === 'password' ? grant.get('username') : null);
        return json(200, { access_token: token, token_type: 'bearer', expires_in: 3600, scope: '*' });
      }
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!tokens.has(token) || tokens.get(token)! < Date.now()) return json(401, { message: 'Unauthorized', error: 401 });
      if (!req.headers['user-agent']) return json(429, { message: 'no user agent' });
      const fault = faults.shift();
      if (fault === 'hang') return; // never answered: the client must give up by itself
      if (fault === '429') return json(429, { message: 'Too Many Requests' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
      if (fault === '500') return json(500, { message: 'Internal Server Error' });
      if (fault === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind": "Listing", "data": {"chil');
        return;
      }
      const before = url.searchParams.get('before');
      const sub = /^\/r\/([^/]+)\/(new|comments)$/.exec(url.pathname);
      if (req.method === 'GET' && sub) return json(200, listing(things.filter((t) => t.data.subreddit === sub[1] && (sub[2] === 'new' ? t.kind === 't3' : t.kind === 't1')), before));
      if (req.method === 'GET' && url.pathname === '/search') {
        const words = (url.searchParams.get('q') ?? '').toLowerCase().match(/[a-z0-9]+/g)?.filter((w) => !['and', 'or', 'not'].includes(w)) ?? [];
        // Loose like the real search: any word.
        return json(200, listing(things.filter((t) => t.kind === 't3' && words.some((w) => `${t.data.title} ${t.data.selftext}`.toLowerCase().includes(w))), before));
      }
      if (req.method === 'POST' && url.pathname === '/api/comment') {
        const author = tokenUser.get(token);
        // Reddit answers an app-only token's comment with USER_REQUIRED.
        if (!author) return json(200, { json: { errors: [['USER_REQUIRED', 'Please log in to do that.', null]] } });
        const form = new URLSearchParams(raw);
        comments.push({ thing_id: form.get('thing_id')!, text: form.get('text')! });
        const id = `c${comments.length}`;
        const permalink = `/r/x/comments/abc/_/${id}/`;
        posted.push({ kind: 't1', data: { name: `t1_${id}`, id, subreddit: 'x', body: form.get('text')!, author, parent_id: form.get('thing_id')!, permalink, created_utc: Date.now() / 1000 } });
        return json(200, { json: { errors: [], data: { things: [{ kind: 't1', data: { name: `t1_${id}`, id, permalink } }] } } });
      }
      const userComments = /^\/user\/([^/]+)\/comments$/.exec(url.pathname);
      if (req.method === 'GET' && userComments) {
        // Newest first, `limit` (at most 100) per page, `after` the fullname the previous page ended with.
        const list = posted.filter((t) => t.data.author === decodeURIComponent(userComments[1]!)).sort((a, b) => b.data.created_utc - a.data.created_utc);
        const after = url.searchParams.get('after');
        const from = after ? list.findIndex((t) => t.data.name === after) + 1 : 0;
        const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 25));
        const page = list.slice(from, from + limit);
        return json(200, { kind: 'Listing', data: { children: page, after: from + limit < list.length ? page.at(-1)!.data.name : null, before: null, dist: page.length } });
      }
      json(404, { message: 'Not Found', error: 404 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  let n = 0;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    things,
    comments,
    posted,
    faults,
    requests,
    tokensIssued: () => tokenCount,
    addPost(sub: string, title: string, selftext = '', extra: Record<string, unknown> = {}) {
      const id = `p${++n}`;
      const t: FakeThing = { kind: 't3', data: { name: `t3_${id}`, id, subreddit: sub, title, selftext, author: 'user_' + n, permalink: `/r/${sub}/comments/${id}/slug/`, created_utc: 1_764_000_000 + n, score: 3, num_comments: 0, ...extra } };
      things.push(t);
      return t;
    },
    addComment(sub: string, body: string, parent: string, extra: Record<string, unknown> = {}) {
      const id = `c${++n}`;
      const t: FakeThing = { kind: 't1', data: { name: `t1_${id}`, id, subreddit: sub, body, author: 'user_' + n, parent_id: parent, link_id: parent.startsWith('t3_') ? parent : undefined, permalink: `/r/${sub}/comments/x/slug/${id}/`, created_utc: 1_764_000_000 + n, score: 1, ...extra } };
      things.push(t);
      return t;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
