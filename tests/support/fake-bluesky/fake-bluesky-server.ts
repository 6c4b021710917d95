import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A CIDv1 (dag-cbor, sha-256) in base32, the form Bluesky's lexicons validate. */
export function fakeCid(content: string): string {
  const bytes = Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), crypto.createHash('sha256').update(content).digest()]);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let out = 'b';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

export interface FakeActor {
  did: string;
  handle: string;
  displayName?: string;
  followersCount: number;
}
export interface FakePost {
  uri: string;
  cid: string;
  did: string;
  rkey: string;
  record: { $type: 'app.bsky.feed.post'; text: string; createdAt: string; langs?: string[]; reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } } };
  indexedAt: string;
  timeUs: number;
}

/** Faults the next XRPC request meets: a 429 with ratelimit-reset, a 500, or a body cut off. */
export type FakeBlueskyFault = { kind: '429' | '500' | 'garbage'; resetInSeconds?: number; path?: string };

/**
 * A local Bluesky: Jetstream's /subscribe WebSocket (JSON commit, identity
 * and account events with `time_us`, replayed from `cursor`, filtered by
 * `wantedCollections`) and the XRPC methods Hark calls, in their lexicons'
 * shapes: createSession / refreshSession, searchPosts (sort=latest, cursor),
 * getProfiles (at most 25 actors), getPosts and createRecord. It refuses what
 * Bluesky refuses: a wrong app password (401), writing without a valid
 * session (401) or into another account's repo, a post over 300 characters,
 * and a reply whose root or parent is not the real thread (400).
 */
export async function startFakeBluesky(opts: { account?: { handle: string; appPassword: string }; accessTokenLifetimeMs?: number } = {}) {
  const account = opts.account ?? { handle: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' };
  const brand: FakeActor = { did: 'did:plc:brandacme000000000000000', handle: account.handle, displayName: 'Acme', followersCount: 12_000 };
  const actors = new Map<string, FakeActor>([[brand.did, brand]]);
  const posts: FakePost[] = [];
  const events: Array<{ timeUs: number; json: string; collection: string | null }> = [];
  const faults: FakeBlueskyFault[] = [];
  const requests: string[] = [];
  const created: Array<{ repo: string; record: FakePost['record'] }> = [];
  const sessions = new Map<string, { did: string; expiresAt: number; kind: 'access' | 'refresh' }>();
  const sockets = new Set<WebSocket>();
  const handshakeFaults: Array<'429'> = [];
  const subscriptions: Array<{ cursor: string | null; wanted: string[] }> = [];
  let lastTime = Date.now() * 1000;
  const nextTime = () => (lastTime = Math.max(lastTime + 1, Date.now() * 1000));
  let n = 0;

  const profileView = (a: FakeActor) => ({ did: a.did, handle: a.handle, ...(a.displayName ? { displayName: a.displayName } : {}), followersCount: a.followersCount, followsCount: 1, postsCount: 1 });
  const postView = (p: FakePost) => {
    const a = actors.get(p.did)!;
    return { uri: p.uri, cid: p.cid, author: { did: a.did, handle: a.handle, ...(a.displayName ? { displayName: a.displayName } : {}) }, record: p.record, indexedAt: p.indexedAt, likeCount: 2, repostCount: 1, replyCount: 0, quoteCount: 0 };
  };

  function broadcast(json: string, collection: string | null, timeUs: number) {
    events.push({ timeUs, json, collection });
    for (const ws of sockets) {
      const wanted = (ws as WebSocket & { wanted?: string[] }).wanted ?? [];
      if (collection && wanted.length && !wanted.includes(collection)) continue;
      ws.send(json);
    }
  }

  function addPost(did: string, text: string, extra: { langs?: string[]; reply?: FakePost['record']['reply']; firehose?: boolean; rkey?: string } = {}): FakePost {
    const rkey = extra.rkey ?? `3l${(++n).toString(36).padStart(11, '0')}`;
    const uri = `at://${did}/app.bsky.feed.post/${rkey}`;
    const record: FakePost['record'] = { $type: 'app.bsky.feed.post', text, createdAt: new Date().toISOString(), ...(extra.langs ? { langs: extra.langs } : {}), ...(extra.reply ? { reply: extra.reply } : {}) };
    const timeUs = nextTime();
    const p: FakePost = { uri, cid: fakeCid(uri + text), did, rkey, record, indexedAt: new Date(Math.floor(timeUs / 1000)).toISOString(), timeUs };
    posts.push(p);
    if (extra.firehose !== false) broadcast(JSON.stringify({ did, time_us: timeUs, kind: 'commit', commit: { rev: `rev${n}`, operation: 'create', collection: 'app.bsky.feed.post', rkey, record, cid: p.cid } }), 'app.bsky.feed.post', timeUs);
    return p;
  }

  const bearer = (req: http.IncomingMessage) => (req.headers.authorization ?? '').replace(/^Bearer /, '');
  const issue = (did: string) => {
    const access = `acc-${crypto.randomBytes(8).toString('hex')}`;
    const refresh = `ref-${crypto.randomBytes(8).toString('hex')}`;
    sessions.set(access, { did, expiresAt: Date.now() + (opts.accessTokenLifetimeMs ?? 3_600_000), kind: 'access' });
    sessions.set(refresh, { did, expiresAt: Date.now() + 86_400_000, kind: 'refresh' });
    const a = actors.get(did)!;
    return { accessJwt: access, refreshJwt: refresh, handle: a.handle, did, active: true };
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'ratelimit-limit': '3000', 'ratelimit-remaining': '2999', 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 300), 'ratelimit-policy': '3000;w=300', ...headers });
        res.end(JSON.stringify(body));
      };
      const bad = (status: number, error: string, message: string) => json(status, { error, message });
      const method = url.pathname.replace(/^\/xrpc\//, '');
      const fault = faults.findIndex((f) => !f.path || f.path === method);
      if (fault >= 0 && url.pathname.startsWith('/xrpc/')) {
        const f = faults.splice(fault, 1)[0]!;
        if (f.kind === '429') return json(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, { 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + (f.resetInSeconds ?? 1)) });
        if (f.kind === '500') return bad(500, 'InternalServerError', 'Internal Server Error');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"posts": [{"uri": "at://');
        return;
      }
      let body: Record<string, unknown> = {};
      if (req.method === 'POST') {
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        } catch {
          return bad(400, 'InvalidRequest', 'Request body is not JSON');
        }
      }
      switch (method) {
        case 'com.atproto.server.createSession': {
          const ident = String(body.identifier ?? '').replace(/^@/, '');
          if ((ident !== account.handle && ident !== brand.did) || body.password !== account.appPassword) return bad(401, 'AuthenticationRequired', 'Invalid identifier or password');
          return json(200, issue(brand.did));
        }
        case 'com.atproto.server.refreshSession': {
          const s = sessions.get(bearer(req));
          if (!s || s.kind !== 'refresh') return bad(400, 'ExpiredToken', 'Token has expired');
          sessions.delete(bearer(req));
          return json(200, issue(s.did));
        }
        case 'com.atproto.repo.createRecord': {
          const s = sessions.get(bearer(req));
          if (!bearer(req) || !s || s.kind !== 'access') return bad(401, 'AuthenticationRequired', 'Authentication Required');
          if (s.expiresAt < Date.now()) return bad(400, 'ExpiredToken', 'Token has expired');
          if (body.repo !== s.did && body.repo !== actors.get(s.did)!.handle) return bad(403, 'InvalidRequest', 'Cannot write to another account\'s repo');
          if (body.collection !== 'app.bsky.feed.post') return bad(400, 'InvalidRequest', `Unsupported collection ${String(body.collection)}`);
          const record = body.record as FakePost['record'];
          if (typeof record?.text !== 'string' || typeof record.createdAt !== 'string') return bad(400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: text and createdAt are required');
          if ([...new Intl.Segmenter().segment(record.text)].length > 300) return bad(400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes');
          const bytes = Buffer.byteLength(record.text);
          for (const f of (record as { facets?: Array<{ index: { byteStart: number; byteEnd: number }; features: Array<{ $type: string; did?: string; uri?: string }> }> }).facets ?? []) {
            if (!(f.index.byteStart >= 0 && f.index.byteEnd <= bytes && f.index.byteStart < f.index.byteEnd)) return bad(400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: facet index out of range');
            if (f.features.some((x) => x.$type === 'app.bsky.richtext.facet#mention' && !/^did:[a-z]+:/.test(x.did ?? ''))) return bad(400, 'InvalidRequest', 'Invalid app.bsky.feed.post record: mention facet must have a DID');
          }
          if (record.reply) {
            const parent = posts.find((p) => p.uri === record.reply!.parent?.uri);
            if (!parent || parent.cid !== record.reply.parent.cid) return bad(400, 'InvalidRequest', 'Invalid reply: the parent reference does not match a post');
            const root = parent.record.reply?.root ?? { uri: parent.uri, cid: parent.cid };
            if (record.reply.root?.uri !== root.uri || record.reply.root?.cid !== root.cid) return bad(400, 'InvalidRequest', 'Invalid reply: the root must be the root of the parent\'s thread');
          }
          created.push({ repo: String(body.repo), record });
          const p = addPost(s.did, record.text, { ...(record.reply ? { reply: record.reply } : {}), ...(record.langs ? { langs: record.langs } : {}) });
          return json(200, { uri: p.uri, cid: p.cid, validationStatus: 'valid' });
        }
        case 'com.atproto.identity.resolveHandle': {
          const a = [...actors.values()].find((x) => x.handle === url.searchParams.get('handle'));
          return a ? json(200, { did: a.did }) : bad(400, 'InvalidRequest', 'Unable to resolve handle');
        }
        case 'app.bsky.feed.searchPosts': {
          const q = (url.searchParams.get('q') ?? '').toLowerCase();
          if (!q.trim()) return bad(400, 'InvalidRequest', 'Error: Params must have the property "q"');
          const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 25));
          const offset = Number(url.searchParams.get('cursor') ?? 0);
          const words = q.match(/[a-z0-9]+/g)?.filter((w) => !['or', 'and', 'not', 'from', 'lang', 'mentions'].includes(w)) ?? [];
          // Loose like a search engine: any word. Hark must re-check.
          const hits = posts.filter((p) => words.some((w) => p.record.text.toLowerCase().includes(w))).sort((a, b) => b.timeUs - a.timeUs);
          const page = hits.slice(offset, offset + limit);
          return json(200, { posts: page.map(postView), hitsTotal: hits.length, ...(offset + limit < hits.length ? { cursor: String(offset + limit) } : {}) });
        }
        case 'app.bsky.actor.getProfiles': {
          const want = url.searchParams.getAll('actors');
          if (want.length === 0) return bad(400, 'InvalidRequest', 'Error: Params must have the property "actors"');
          if (want.length > 25) return bad(400, 'InvalidRequest', 'Error: actors must not have more than 25 elements');
          const found = want.map((a) => actors.get(a) ?? [...actors.values()].find((x) => x.handle === a)).filter((a): a is FakeActor => a !== undefined);
          return json(200, { profiles: found.map(profileView) });
        }
        case 'app.bsky.feed.getPosts': {
          const uris = url.searchParams.getAll('uris');
          if (uris.length > 25) return bad(400, 'InvalidRequest', 'Error: uris must not have more than 25 elements');
          return json(200, { posts: uris.map((u) => posts.find((p) => p.uri === u)).filter((p): p is FakePost => p !== undefined).map(postView) });
        }
        default:
          return bad(501, 'MethodNotImplemented', `Method Not Implemented: ${method}`);
      }
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/subscribe') return socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    if (handshakeFaults.shift() === '429') return socket.end('HTTP/1.1 429 Too Many Requests\r\nretry-after: 1\r\ncontent-length: 0\r\n\r\n');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const wanted = url.searchParams.getAll('wantedCollections');
      const cursor = url.searchParams.get('cursor');
      subscriptions.push({ cursor, wanted });
      Object.assign(ws, { wanted });
      // Replay from the cursor (inclusive, as Jetstream does), then live events.
      if (cursor !== null) for (const e of events) if (e.timeUs >= Number(cursor) && (!e.collection || !wanted.length || wanted.includes(e.collection))) ws.send(e.json);
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    jetstreamUrl: `${url.replace('http', 'ws')}/subscribe`,
    account,
    brand,
    posts,
    created,
    faults,
    handshakeFaults,
    requests,
    subscriptions,
    connections: () => sockets.size,
    addActor(handle: string, followersCount = 10, displayName?: string): FakeActor {
      const a: FakeActor = { did: `did:plc:${crypto.createHash('sha256').update(handle).digest('hex').slice(0, 24)}`, handle, followersCount, ...(displayName ? { displayName } : {}) };
      actors.set(a.did, a);
      return a;
    },
    addPost,
    /** Posts that were made while Hark was not listening: only search and the cursor replay can find them. */
    addOfflinePost: (did: string, text: string) => addPost(did, text, { firehose: true }),
    /** A like (another collection, which a posts-only subscription must not receive) and other kinds. */
    addLike(did: string) {
      const t = nextTime();
      broadcast(JSON.stringify({ did, time_us: t, kind: 'commit', commit: { rev: 'r', operation: 'create', collection: 'app.bsky.feed.like', rkey: `l${t}`, record: { $type: 'app.bsky.feed.like', subject: {}, createdAt: new Date().toISOString() }, cid: fakeCid(`l${t}`) } }), 'app.bsky.feed.like', t);
    },
    identity(did: string, handle: string) {
      const a = actors.get(did);
      if (a) a.handle = handle;
      const t = nextTime();
      broadcast(JSON.stringify({ did, time_us: t, kind: 'identity', identity: { did, handle, seq: t, time: new Date().toISOString() } }), null, t);
    },
    accountStatus(did: string, active: boolean) {
      const t = nextTime();
      broadcast(JSON.stringify({ did, time_us: t, kind: 'account', account: { active, did, seq: t, time: new Date().toISOString() } }), null, t);
    },
    /** A message that is not JSON, on every open connection. */
    sendGarbage() {
      for (const ws of sockets) ws.send('{"did": "did:plc:x", "time_us": 17');
    },
    /** Drops every open Jetstream connection (no close frame), as a network failure would. */
    dropConnections() {
      for (const ws of sockets) ws.terminate();
    },
    /** Expires every access token (the client must refresh). */
    expireSessions() {
      for (const s of sessions.values()) if (s.kind === 'access') s.expiresAt = 0;
    },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
export type FakeBluesky = Awaited<ReturnType<typeof startFakeBluesky>>;
