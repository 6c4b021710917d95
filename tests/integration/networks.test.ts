import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startHark } from '../../server/hark.js';
import { startFakeX } from '../support/fake-x/fake-x-server.js';
import { rawMongoText } from '../support/mongo.js';
import { startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';

const KEY = 'k'.repeat(16) + 'an-example-secret-of-32+chars';
const TOKEN = 'test-bearer';

/**
 * Admins enter network credentials in the UI (kept encrypted with
 * HARK_SECRET_KEY, never shown again, never logged); managers edit listening
 * queries (a bad one is refused with its position); the connectors follow.
 */
describe('networks and listening queries managed in the UI', () => {
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let h: Harness;
  let admin: ApiClient;
  let manager: ApiClient;
  let agent: ApiClient;
  const lines: string[] = [];
  beforeAll(async () => {
    x = await startFakeX({ keepAliveMs: 50 });
    x.addUser({ id: 'u1', username: 'vera', name: 'Vera', public_metrics: { followers_count: 5_000 } });
    const log = createLogger('debug', {}, (line) => void lines.push(line));
    h = await startHarness({ HARK_SECRET_KEY: KEY, X_API_BASE_URL: x.url, X_POLL_SECONDS: '0.1' }, { log });
    [admin, manager, agent] = await Promise.all([h.signIn('admin'), h.signIn('manager'), h.signIn('agent')]);
  });
  afterAll(async () => {
    await h?.close();
    await x?.close();
  });

  it('shows networks without credentials to managers, and only admins may change them', async () => {
    const r = await manager.get('/api/networks');
    expect(r.status).toBe(200);
    expect(r.body.canStoreCredentials).toBe(true);
    expect(r.body.networks.find((n: any) => n.network === 'x')).toMatchObject({ credentials: { set: false, source: null }, settings: { mode: 'poll', enabled: true } });
    expect((await agent.get('/api/networks')).status).toBe(403);
    const denied = await manager.request('PUT', '/api/networks/x', { version: 0, credentials: { bearerToken: TOKEN } });
    expect(denied.status).toBe(403);
    const bad = await admin.request('PUT', '/api/networks/x', { version: 0, settings: { enabled: true, mode: 'firehose', pollSeconds: 60, brandUserId: null, brand: null, monthlyReadCap: null } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/settings\.mode/);
    expect((await admin.request('PUT', '/api/networks/myspace', { version: 0 })).status).toBe(404);
  });

  it('refuses a listening query that does not parse, pointing at the position', async () => {
    const r = await manager.request('PUT', '/api/listening-queries', { version: 0, queries: [{ id: 'acme', brand: 'Acme', query: 'acme AND (refund OR' }] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^queries\.0\.query: .*character \d+/);
    expect(r.body.error.details[0]).toMatchObject({ field: 'queries.0.query', position: expect.any(Number) });
    const check = await manager.post('/api/listening-queries/check', { query: '"lost luggage" NEAR/3 acme -promo' });
    expect(check.body).toMatchObject({ ok: true, networks: ['x', 'reddit', 'bluesky', 'mastodon'], compiled: { x: { q: expect.stringContaining('"lost luggage"'), exact: false } } });
    expect((await agent.post('/api/listening-queries/check', { query: 'acme' })).status).toBe(403);
    expect((await agent.get('/api/listening-queries')).body).toMatchObject({ source: 'env', queries: [] });
  });

  it('stores credentials encrypted, never returns or logs them, and the stream starts with the managers\' queries', async () => {
    const saved = await manager.request('PUT', '/api/listening-queries', { version: 0, queries: [{ id: 'acme', brand: 'Acme', query: 'acme (refund OR delayed)' }] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ source: 'ui', version: 1 });
    const put = await admin.request('PUT', '/api/networks/x', { version: 0, settings: { enabled: true, mode: 'stream', pollSeconds: 60, brandUserId: null, brand: null, monthlyReadCap: null }, credentials: { bearerToken: TOKEN } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ credentials: { set: true, source: 'ui', fields: ['bearerToken'] }, restarted: ['x'] });
    expect(JSON.stringify(put.body)).not.toContain(TOKEN);
    await waitFor(() => x.openStreams === 1, 5000, 'stream connected');
    expect(x.rules).toEqual([expect.objectContaining({ tag: 'hark:acme' })]);
    x.addTweet({ text: 'acme delayed my bag again', author_id: 'u1', lang: 'en' });
    const m = await waitFor(async () => (await agent.get('/api/mentions?platform=x')).body.items[0], 5000, 'streamed mention');
    expect(m).toMatchObject({ brand: 'Acme', query: 'acme (refund OR delayed)', author: { handle: 'vera' } });
    const health = (await manager.get('/api/networks/x')).body.health;
    expect(health).toMatchObject({ state: 'ok', stream: { connected: true } });

    // At rest: the store holds a sealed value, not the token (the SQLite files, or every MongoDB document).
    if (h.storeEnv.MONGODB_URI) {
      const raw = await rawMongoText(h.storeEnv.MONGODB_URI);
      expect(raw).toContain('network.x');
      expect(raw).not.toContain(TOKEN);
    } else {
      const files = fs.readdirSync(h.dataDir);
      expect(files).toContain('hark.sqlite');
      for (const f of files) expect(fs.readFileSync(path.join(h.dataDir, f)).includes(Buffer.from(TOKEN))).toBe(false);
    }
    const audit = await admin.get('/api/audit?limit=50');
    expect(JSON.stringify(audit.body)).not.toContain(TOKEN);
    expect(JSON.stringify(audit.body)).toContain('settings.network_changed');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('syncs the stream rules when a manager changes a query, by difference', async () => {
    const cur = (await agent.get('/api/listening-queries')).body;
    const changes = x.ruleChanges.length;
    const r = await manager.request('PUT', '/api/listening-queries', { version: cur.version, queries: [...cur.queries, { id: 'nimbus', brand: 'Nimbus', query: '"nimbus app" crash' }] });
    expect(r.body.restarted).toEqual(['x']);
    await waitFor(() => x.rules.length === 2, 5000, 'rule added');
    expect(x.ruleChanges.slice(changes)).toEqual([{ add: [{ value: '"nimbus app" crash', tag: 'hark:nimbus' }] }]);
    // A stale version is a conflict, not a silent overwrite.
    expect((await manager.request('PUT', '/api/listening-queries', { version: cur.version, queries: [] })).status).toBe(409);
  });

  it('keeps credentials across restarts, and says so plainly when the key no longer opens them', async () => {
    await h.hark.close();
    const reopen = async (key: string) => startHark(loadConfig({ PORT: '0', DATA_DIR: h.dataDir, SIMULATOR: 'off', LOG_LEVEL: 'silent', HARK_SECRET_KEY: key, X_API_BASE_URL: x.url, ...h.storeEnv }));
    const connects = x.streamConnects;
    const same = await reopen(KEY);
    try {
      await waitFor(() => x.streamConnects > connects, 5000, 'stream reconnected after restart');
    } finally {
      await same.close();
    }
    const other = await reopen('another-key-that-is-32-chars-long!!');
    h.hark = other; // the harness closes whatever runs last
    const mgr = await (async () => {
      const { hashPassword } = await import('../../server/auth/passwords.js');
      await other.store.users.create({ email: 'm2@test.hark', name: 'M', role: 'manager', passwordHash: await hashPassword('pw-123456789') });
      const { ApiClient } = await import('../support/harness.js');
      const c = new ApiClient(other.url);
      await c.post('/api/auth/login', { email: 'm2@test.hark', password: 'pw-123456789' });
      return c;
    })();
    const view = (await mgr.get('/api/networks/x')).body;
    expect(view.credentials).toMatchObject({ set: false, source: 'ui', problem: expect.stringMatching(/HARK_SECRET_KEY/) });
    expect(view.health).toBeNull();
  });
});

describe('credentials without HARK_SECRET_KEY', () => {
  it('are refused with a message naming the variable', async () => {
    const h = await startHarness({});
    try {
      const admin = await h.signIn('admin');
      expect((await admin.get('/api/networks')).body.canStoreCredentials).toBe(false);
      const r = await admin.request('PUT', '/api/networks/reddit', { version: 0, credentials: { clientId: 'abc', clientSecret: 'def' } });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/^credentials: .*HARK_SECRET_KEY/);
    } finally {
      await h.close();
    }
  });
});
