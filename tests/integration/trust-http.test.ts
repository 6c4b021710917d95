import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords.js';
import { createLogger } from '../../server/logger.js';
import { ApiClient, startHarness, type Harness } from '../support/harness.js';
import { routeTable } from '../support/route-table.js';

/** A POST from a chosen loopback address (127.0.0.x), as a second machine would send it. */
function postFrom(localAddress: string, url: string, body: unknown, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: any; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const lines: string[] = [];
const log = createLogger('debug', {}, (line) => void lines.push(line));
const errorLines = () => lines.filter((l) => (JSON.parse(l) as { level: string }).level === 'error');

describe('trust: where requests come from (issue 11, item 1)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ALLOWED_ORIGINS: 'https://hark.example.com' }, { log });
  });
  afterAll(() => h.close());

  const evil = { origin: 'http://evil.example' };

  it('refuses state-changing requests from another origin with 403 cross_origin, and nothing changes', async () => {
    const agent = await h.signIn('agent');
    const manager = await h.signIn('manager');
    for (const [who, path, body] of [
      [agent, '/api/queue/next', {}],
      [agent, '/api/auth/logout', undefined],
      [manager, '/api/import', '{"id":"evil-1","text":"injected"}\n'],
    ] as const) {
      const res = await who.request('POST', path, body, evil);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code, path).toBe('cross_origin');
      expect(res.body.error.message).toMatch(/origin/i);
    }
    // The session survived the refused logout, and the import stored nothing.
    expect((await agent.get('/api/auth/me')).status).toBe(200);
    expect((await manager.get('/api/mentions?q=injected')).body.items).toHaveLength(0);
    // A sign-in from another origin (login CSRF) is refused too.
    expect((await new ApiClient(h.hark.url).post('/api/auth/login', { email: 'a@b.co', password: 'x' }, evil)).status).toBe(403);
  });

  it('refuses cross-site requests without Origin by Sec-Fetch-Site, and a sibling subdomain', async () => {
    const agent = await h.signIn('agent');
    expect((await agent.post('/api/queue/next', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await agent.post('/api/queue/next', {}, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await agent.post('/api/queue/next', {}, { origin: 'http://sub.127.0.0.1' })).status).toBe(403);
    expect((await agent.post('/api/queue/next', {}, { origin: 'null' })).status).toBe(403);
  });

  it('accepts the app’s own origin, configured origins, and safe methods from anywhere', async () => {
    const agent = await h.signIn('agent');
    for (const origin of [h.hark.url, 'https://hark.example.com']) {
      const res = await agent.post('/api/queue/next', {}, { origin });
      expect(res.status, origin).not.toBe(403);
    }
    expect((await agent.post('/api/queue/next', {}, { 'sec-fetch-site': 'same-origin' })).status).not.toBe(403);
    expect((await agent.request('GET', '/api/mentions', undefined, evil)).status).toBe(200);
    // A forged Host cannot make a foreign origin "our own": the browser sends the real Host.
    expect((await agent.post('/api/queue/next', {}, { origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' })).status).toBe(403);
  });
});

describe('trust: no lock-out by others, forwarded headers only when configured (item 3)', () => {
  let h: Harness;
  const password = 'the-right-password';
  beforeAll(async () => {
    h = await startHarness({}, { log });
    await h.hark.store.users.create({ email: 'boss@test.hark', name: 'Boss', role: 'admin', passwordHash: await hashPassword(password) });
  });
  afterAll(() => h.close());

  it('ten wrong passwords from one address slow that address, never the owner signing in from another', async () => {
    const login = `${h.hark.url}/api/auth/login`;
    let refused = 0;
    for (let i = 0; i < 10; i++) {
      const r = await postFrom('127.0.0.2', login, { email: 'boss@test.hark', password: `guess-${i}` });
      expect([401, 429]).toContain(r.status);
      if (r.status === 429) refused++;
    }
    expect(refused).toBeGreaterThan(0);
    const again = await postFrom('127.0.0.2', login, { email: 'boss@test.hark', password: 'guess-x' });
    expect(again.status).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, elsewhere, is not locked out.
    const owner = await postFrom('127.0.0.3', login, { email: 'boss@test.hark', password });
    expect(owner.status).toBe(200);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: spraying accounts from one address is slowed', async () => {
    const login = `${h.hark.url}/api/auth/login`;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await postFrom('127.0.0.4', login, { email: `victim${i}@test.hark`, password: 'guess' }, { 'x-forwarded-for': `198.51.100.${i}` });
      statuses.push(r.status);
    }
    expect(statuses).toContain(429);
  }, 60_000);

  it('audits and logs failed attempts with the address and never the password', async () => {
    await postFrom('127.0.0.5', `${h.hark.url}/api/auth/login`, { email: 'boss@test.hark', password: 'hunter2-secret-guess' }, { 'x-forwarded-for': '203.0.113.7' });
    const { items } = await h.hark.store.audit.list({ limit: 50 });
    const failed = items.find((e) => e.action === 'auth.login_failed' && JSON.stringify(e.after).includes('127.0.0.5'));
    expect(failed, JSON.stringify(items.map((e) => e.action))).toBeDefined();
    expect(JSON.stringify(failed)).not.toContain('203.0.113.7');
    expect(JSON.stringify(items)).not.toContain('hunter2-secret-guess');
    expect(lines.some((l) => l.includes('sign-in failed') && l.includes('127.0.0.5'))).toBe(true);
    expect(lines.join('\n')).not.toContain('hunter2-secret-guess');
  });
});

describe('trust: TRUST_PROXY makes forwarded addresses count', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ TRUST_PROXY: 'loopback' }, { log });
  });
  afterAll(() => h.close());

  it('takes the client address from X-Forwarded-For when the proxy is trusted', async () => {
    await postFrom('127.0.0.6', `${h.hark.url}/api/auth/login`, { email: 'nobody@test.hark', password: 'nope' }, { 'x-forwarded-for': '203.0.113.8' });
    const { items } = await h.hark.store.audit.list({ limit: 10 });
    expect(JSON.stringify(items.filter((e) => e.action === 'auth.login_failed'))).toContain('203.0.113.8');
  });
});

describe('trust: malformed requests are 400s (item 4)', () => {
  let h: Harness;
  let admin: ApiClient;
  beforeAll(async () => {
    h = await startHarness({}, { log });
    admin = await h.signIn('admin');
  });
  afterAll(() => h.close());

  it('answers 400 to a bad percent-encoding in every :param route of the route table, with no error log', async () => {
    const routes = routeTable(h.hark.app!).filter((r) => r.path.includes('/:'));
    expect(routes.length).toBeGreaterThanOrEqual(24);
    const before = errorLines().length;
    for (const r of routes) {
      const path = r.path.replace(/:[A-Za-z]+/g, '%ZZ');
      const res = await admin.request(r.method, path, r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
      expect(res.status, `${r.method} ${path}`).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    expect(errorLines().slice(before)).toEqual([]);
  });

  it('answers 400 to a body that is not the Content-Encoding it claims, with no error log', async () => {
    const before = errorLines().length;
    for (const enc of ['gzip', 'deflate', 'br']) {
      for (const [who, path] of [
        [new ApiClient(h.hark.url), '/api/auth/login'],
        [admin, '/api/queue/next'],
      ] as const) {
        const res = await who.request('POST', path, '{"email":"a@b.co","password":"x"}', { 'content-type': 'application/json', 'content-encoding': enc });
        expect(res.status, `${enc} ${path}`).toBe(400);
        expect(res.body.error.code).toBe('bad_request');
        expect(res.body.error.message).toMatch(/encoding/i);
      }
    }
    // The streamed import too: a compressed upload is inflated, a false claim is a 400.
    const manager = await h.signIn('manager');
    for (const enc of ['gzip', 'deflate', 'br']) {
      const res = await manager.request('POST', '/api/import?format=jsonl', '{"id":"z1","text":"not compressed"}\n', { 'content-encoding': enc });
      expect(res.status, `import ${enc}`).toBe(400);
      expect(res.body.error.message).toMatch(/encoding/i);
    }
    const packed = await manager.request('POST', '/api/import?format=jsonl', zlib.gzipSync('{"id":"gz-1","text":"a gzipped upload about refunds"}\n'), { 'content-encoding': 'gzip' });
    expect(packed.status, JSON.stringify(packed.body)).toBe(200);
    expect((await manager.get('/api/mentions?q=gzipped')).body.items).toHaveLength(1);
    // A body that really is gzip still works.
    const good = await new ApiClient(h.hark.url).request('POST', '/api/auth/login', zlib.gzipSync('{"email":"a@b.co","password":"x"}'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(good.status).toBe(401);
    expect(errorLines().slice(before)).toEqual([]);
  });
});

describe('trust: caching and security headers (item 12)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('marks authenticated JSON no-store', async () => {
    const agent = await h.signIn('agent');
    for (const url of ['/api/mentions', '/api/auth/me', '/api/users']) {
      const res = await agent.get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control'), url).toBe('no-store');
    }
  });

  it('sends the security headers on /socket.io/ responses', async () => {
    const agent = await h.signIn('agent');
    const res = await fetch(`${h.hark.url}/socket.io/?EIO=4&transport=polling`, { headers: { cookie: agent.cookie } });
    await res.text();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('lets WebSockets connect to the app’s own origin only', async () => {
    const res = await fetch(`${h.hark.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const connect = /connect-src ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? [];
    expect(connect).not.toContain('ws:');
    expect(connect).not.toContain('wss:');
    const host = new URL(h.hark.url).host;
    expect(connect).toEqual(expect.arrayContaining(["'self'", `ws://${host}`]));
  });
});
