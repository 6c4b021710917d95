import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeAccount {
  id: string;
  username: string;
  /** `user` for local accounts, `user@host` for remote ones, as Mastodon writes it. */
  acct: string;
  display_name: string;
  url: string;
  followers_count: number;
}
export interface FakeStatus {
  id: string;
  uri: string;
  url: string;
  created_at: string;
  content: string;
  spoiler_text: string;
  language: string | null;
  visibility: 'public';
  account: FakeAccount;
  mentions: Array<{ id: string; username: string; acct: string; url: string }>;
  tags: Array<{ name: string; url: string }>;
  reblogs_count: number;
  favourites_count: number;
  replies_count: number;
  in_reply_to_id: string | null;
  reblog: null;
  local: boolean;
}

export type FakeMastodonFault = { kind: '429' | '500' | 'garbage'; resetInSeconds?: number; path?: string };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

/**
 * One local Mastodon instance: /api/v2/instance (with its streaming URL),
 * the public and hashtag timelines with min_id paging, /api/v2/search with
 * resolve, POST /api/v1/statuses with Idempotency-Key, and the streaming API
 * over WebSocket (subscribe messages; update events whose payload is the
 * status as a JSON string). It refuses what Mastodon refuses: writing or
 * resolving without a valid token (401), a token without write scope (403),
 * a reply to a status it does not know (404), over 500 characters (422), and,
 * when asked, public timelines and streams to anonymous clients. Every answer
 * carries X-RateLimit-* headers (the reset as an ISO time).
 */
export async function startFakeMastodon(opts: { tokens?: Record<string, 'read' | 'read write'>; publicNeedsToken?: boolean } = {}) {
  const tokens = new Map(Object.entries(opts.tokens ?? { 'brand-token-0001': 'read write' }));
  const statuses: FakeStatus[] = [];
  const accounts = new Map<string, FakeAccount>();
  const faults: FakeMastodonFault[] = [];
  const handshakeFaults: Array<'429'> = [];
  const requests: string[] = [];
  const posted: Array<{ status: string; in_reply_to_id: string | null; token: string; idempotencyKey: string | null }> = [];
  const idempotent = new Map<string, FakeStatus>();
  const sockets = new Set<WebSocket & { subs?: Array<{ stream: string; tag?: string }> }>();
  const streamAuth: Array<string | null> = [];
  let seq = 0;
  const nextId = () => String(110_000_000_000_000_000n + BigInt(++seq) * 65_536n);

  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const host = new URL(origin).host;

  function account(username: string, followers = 10, display?: string): FakeAccount {
    const a: FakeAccount = { id: String(accounts.size + 1), username, acct: username, display_name: display ?? username, url: `${origin}/@${username}`, followers_count: followers };
    accounts.set(a.id, a);
    return a;
  }
  const brand = account('acmehelp', 9000, 'Acme Help');

  function publish(s: FakeStatus) {
    for (const ws of sockets) {
      for (const sub of ws.subs ?? []) {
        const hit =
          (sub.stream === 'public' && true) ||
          (sub.stream === 'public:local' && s.local) ||
          (sub.stream === 'hashtag' && s.tags.some((t) => t.name.toLowerCase() === sub.tag?.toLowerCase()));
        if (hit) ws.send(JSON.stringify({ stream: sub.stream === 'hashtag' ? ['hashtag', sub.tag] : [sub.stream], event: 'update', payload: JSON.stringify(s) }));
      }
    }
  }

  function addStatus(a: FakeAccount, text: string, extra: { tags?: string[]; language?: string | null; inReplyToId?: string | null; stream?: boolean; mentions?: FakeAccount[] } = {}): FakeStatus {
    const id = nextId();
    const tags = extra.tags ?? [...text.matchAll(/#(\w+)/g)].map((m) => m[1]!.toLowerCase());
    const s: FakeStatus = {
      id,
      uri: `${origin}/users/${a.username}/statuses/${id}`,
      url: `${origin}/@${a.username}/${id}`,
      created_at: new Date().toISOString(),
      content: `<p>${esc(text).replace(/\n/g, '<br />')}</p>`,
      spoiler_text: '',
      language: extra.language === undefined ? 'en' : extra.language,
      visibility: 'public',
      account: a,
      mentions: (extra.mentions ?? []).map((m) => ({ id: m.id, username: m.username, acct: m.acct, url: m.url })),
      tags: tags.map((name) => ({ name, url: `${origin}/tags/${name}` })),
      reblogs_count: 0,
      favourites_count: 1,
      replies_count: 0,
      in_reply_to_id: extra.inReplyToId ?? null,
      reblog: null,
      local: true,
    };
    statuses.push(s);
    if (extra.stream !== false) publish(s);
    return s;
  }

  /** A status from another instance arriving here by federation: a new local id, the same uri. */
  function federate(remote: FakeStatus, remoteHost: string, extra: { stream?: boolean } = {}): FakeStatus {
    const id = nextId();
    const a: FakeAccount = { ...remote.account, id: `r${remote.account.id}`, acct: remote.account.acct.includes('@') ? remote.account.acct : `${remote.account.acct}@${remoteHost}` };
    const s: FakeStatus = { ...remote, id, account: a, local: false };
    statuses.push(s);
    if (extra.stream !== false) publish(s);
    return s;
  }

  const tokenOf = (req: http.IncomingMessage, url: URL) => {
    const auth = (req.headers.authorization ?? '').replace(/^Bearer /i, '');
    return auth || url.searchParams.get('access_token') || (req.headers['sec-websocket-protocol'] ?? '').split(',')[0]!.trim() || null;
  };
  const page = (list: FakeStatus[], url: URL) => {
    const limit = Math.min(40, Number(url.searchParams.get('limit') ?? 20));
    const minId = url.searchParams.get('min_id');
    const sorted = [...list].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const after = minId ? sorted.filter((s) => BigInt(s.id) > BigInt(minId)).slice(0, limit) : sorted.slice(-limit);
    return after.reverse();
  };

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '299', 'x-ratelimit-reset': new Date(Date.now() + 300_000).toISOString(), ...headers });
        res.end(JSON.stringify(body));
      };
      const fi = faults.findIndex((f) => !f.path || url.pathname.startsWith(f.path));
      if (fi >= 0) {
        const f = faults.splice(fi, 1)[0]!;
        if (f.kind === '429') return json(429, { error: 'Too many requests' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': new Date(Date.now() + (f.resetInSeconds ?? 1) * 1000).toISOString() });
        if (f.kind === '500') return json(500, { error: 'We\'re sorry, but something went wrong on our end.' });
        res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id": "1100');
        return;
      }
      const token = tokenOf(req, url);
      const scope = token ? tokens.get(token) : undefined;
      if (token && !scope) return json(401, { error: 'The access token is invalid' });
      if (req.method === 'GET' && url.pathname === '/api/v2/instance') return json(200, { domain: host, title: 'Fake', version: '4.3.0', configuration: { urls: { streaming: origin.replace('http', 'ws') }, statuses: { max_characters: 500 } } });
      if (req.method === 'GET' && url.pathname === '/api/v1/timelines/public') {
        if (opts.publicNeedsToken && !scope) return json(422, { error: 'This method requires an authenticated user' });
        const local = url.searchParams.get('local') === 'true';
        return json(200, page(statuses.filter((s) => !local || s.local), url));
      }
      const tag = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && tag) return json(200, page(statuses.filter((s) => s.tags.some((t) => t.name === decodeURIComponent(tag[1]!).toLowerCase())), url));
      if (req.method === 'GET' && url.pathname === '/api/v2/search') {
        if (url.searchParams.get('resolve') === 'true' && !scope) return json(401, { error: 'The access token is invalid' });
        const q = url.searchParams.get('q') ?? '';
        return json(200, { accounts: [], hashtags: [], statuses: statuses.filter((s) => s.uri === q || s.url === q) });
      }
      if (req.method === 'POST' && url.pathname === '/api/v1/statuses') {
        if (!scope) return json(401, { error: 'The access token is invalid' });
        if (!scope.includes('write')) return json(403, { error: 'This action is outside the authorized scopes' });
        let body: { status?: string; in_reply_to_id?: string; visibility?: string };
        try {
          body = raw ? (JSON.parse(raw) as typeof body) : {};
        } catch {
          return json(400, { error: 'Malformed JSON' });
        }
        const key = req.headers['idempotency-key'] ? `${token}:${String(req.headers['idempotency-key'])}` : null;
        if (key && idempotent.has(key)) return json(200, idempotent.get(key));
        if (!body.status?.trim()) return json(422, { error: "Validation failed: Text can't be blank" });
        if ([...body.status].length > 500) return json(422, { error: 'Validation failed: Text character limit of 500 exceeded' });
        if (body.in_reply_to_id && !statuses.some((s) => s.id === body.in_reply_to_id)) return json(404, { error: 'Record not found' });
        posted.push({ status: body.status, in_reply_to_id: body.in_reply_to_id ?? null, token: token!, idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null });
        const s = addStatus(brand, body.status, { inReplyToId: body.in_reply_to_id ?? null, tags: [] });
        if (key) idempotent.set(key, s);
        return json(200, s);
      }
      json(404, { error: 'Record not found' });
    });
  });

  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => [...protocols][0] ?? false });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/api/v1/streaming') return socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    if (handshakeFaults.shift() === '429') return socket.end(`HTTP/1.1 429 Too Many Requests\r\nx-ratelimit-reset: ${new Date(Date.now() + 1000).toISOString()}\r\ncontent-length: 0\r\n\r\n`);
    const token = tokenOf(req, url);
    streamAuth.push(token);
    if ((token && !tokens.has(token)) || (opts.publicNeedsToken && !token)) return socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\r\n{"error":"Error: Missing access token"}');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const w = ws as WebSocket & { subs?: Array<{ stream: string; tag?: string }> };
      w.subs = [];
      const first = url.searchParams.get('stream');
      if (first) w.subs.push({ stream: first, ...(url.searchParams.get('tag') ? { tag: url.searchParams.get('tag')! } : {}) });
      ws.on('message', (data) => {
        try {
          const m = JSON.parse(data.toString()) as { type: string; stream: string; tag?: string };
          if (m.type === 'subscribe' && ['public', 'public:local', 'hashtag'].includes(m.stream)) w.subs!.push({ stream: m.stream, ...(m.tag ? { tag: m.tag } : {}) });
          else ws.send(JSON.stringify({ error: 'Unknown stream type', status: 400 }));
        } catch {
          ws.send(JSON.stringify({ error: 'Malformed message', status: 400 }));
        }
      });
      sockets.add(w);
      ws.on('close', () => sockets.delete(w));
    });
  });

  return {
    origin,
    host,
    brand,
    statuses,
    posted,
    faults,
    handshakeFaults,
    requests,
    streamAuth,
    subscriptions: () => [...sockets].map((s) => s.subs ?? []),
    connections: () => sockets.size,
    account,
    addStatus,
    federate,
    sendGarbage() {
      for (const ws of sockets) {
        ws.send('{"stream": ["public"], "event": "upd');
        ws.send(JSON.stringify({ stream: ['public'], event: 'update', payload: '{"id": "1' }));
      }
    },
    dropConnections() {
      for (const ws of sockets) ws.terminate();
    },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
export type FakeMastodon = Awaited<ReturnType<typeof startFakeMastodon>>;
