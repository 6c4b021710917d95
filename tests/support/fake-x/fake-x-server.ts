import http from 'node:http';
import type { AddressInfo } from 'node:net';

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

/**
 * A local server that speaks the parts of X API v2 Hark uses, in the
 * documented shapes: recent search with since_id, next_token pages,
 * meta.newest_id and includes.users; POST /2/tweets for replies. Faults can be
 * queued: a 429 with x-rate-limit-reset, a 500, malformed JSON.
 */
export async function startFakeX(opts: { pageSize?: number } = {}) {
  const tweets: FakeTweet[] = [];
  const users = new Map<string, FakeUser>();
  const posted: Array<{ text: string; reply?: { in_reply_to_tweet_id: string } }> = [];
  const faults: Array<{ kind: '429' | '500' | 'garbage'; resetInSeconds?: number }> = [];
  const requests: string[] = [];
  const pageSize = opts.pageSize ?? 10;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== 'Bearer test-bearer') {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ title: 'Unauthorized', status: 401, detail: 'Unauthorized', type: 'about:blank' }));
      return;
    }
    const fault = faults.shift();
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
    if (req.method === 'GET' && url.pathname === '/2/tweets/search/recent') {
      const q = (url.searchParams.get('query') ?? '').toLowerCase();
      const words = q.split(/\s+/).filter((w) => w && !w.startsWith('-') && !w.includes(':') && !/^\(|\)$/.test(w) && w !== 'or');
      const since = url.searchParams.get('since_id');
      // Search is loose on purpose (any word matches): Hark must re-check locally.
      const matching = tweets
        .filter((t) => (!since || BigInt(t.id) > BigInt(since)) && (words.length === 0 || words.some((w) => t.text.toLowerCase().includes(w.replace(/"/g, '')))))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
      const start = Number(url.searchParams.get('next_token') ?? 0);
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
      const list = tweets
        .filter((t) => handle && t.text.toLowerCase().includes(`@${handle}`) && (!since || BigInt(t.id) > BigInt(since)))
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
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as { text: string; reply?: { in_reply_to_tweet_id: string } };
        posted.push(body);
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { id: String(9_000_000 + posted.length), text: body.text } }));
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ title: 'Not Found', status: 404 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  let nextId = 1_000_000_000_000n;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tweets,
    posted,
    faults,
    requests,
    addUser(u: FakeUser) {
      users.set(u.id, u);
    },
    addTweet(t: Omit<FakeTweet, 'id' | 'created_at'> & { id?: string; created_at?: string }) {
      const tweet = { ...t, id: t.id ?? String(nextId++), created_at: t.created_at ?? new Date().toISOString() } as FakeTweet;
      tweets.push(tweet);
      return tweet;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
