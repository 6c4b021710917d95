import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MentionBatch } from '../../shared/events.js';
import { ApiClient, waitFor } from '../support/harness.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';
import { startFakeX } from '../support/fake-x/fake-x-server.js';
import { Redis } from 'ioredis';

/**
 * Distributed mode as docker compose runs it, minus the containers: one Redis,
 * and api, worker and connectors as separate processes sharing the data
 * directory. The simulator's mentions go connectors → BullMQ → worker → store
 * and bus → api → a browser's socket.
 */
describe.skipIf(!redisAvailable())('distributed mode: api, worker and connectors as separate processes', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dataDir: string;
  let api: SpawnedHark;
  let worker: SpawnedHark;
  let connectors: SpawnedHark;
  let x: Awaited<ReturnType<typeof startFakeX>>;
  const ENV: Record<string, string> = { SIMULATOR_RATE: '5', HARK_ADMIN_EMAIL: 'boss@test.hark', HARK_ADMIN_PASSWORD: 'distributed-pw', HARK_SECRET_KEY: 'distributed-test-secret-key-32-chars!' };
  beforeAll(async () => {
    redis = await startRedis();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-dist-'));
    x = await startFakeX();
    ENV.X_API_BASE_URL = x.url;
    const env = { ...ENV, REDIS_URL: redis.url };
    api = await spawnHark(env, { role: 'api', dataDir });
    [worker, connectors] = await Promise.all([spawnHark(env, { role: 'worker', dataDir }), spawnHark(env, { role: 'connectors', dataDir })]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([connectors?.stop(), worker?.stop()]);
    await api?.stop();
    await redis?.stop();
    await x?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a split role without REDIS_URL, naming the variable', async () => {
    await expect(spawnHark({}, { role: 'worker' })).rejects.toThrow(/--role worker needs REDIS_URL/);
  });

  it('mentions made by the connectors process are scored by the worker and streamed live by the api', async () => {
    expect(api.url).toMatch(/^http:/);
    expect(worker.output()).toMatch(/role: worker \(distributed/);
    const admin = new ApiClient(api.url);
    expect((await admin.post('/api/auth/login', { email: 'boss@test.hark', password: 'distributed-pw' })).status).toBe(200);
    const socket = admin.socket();
    const batches: MentionBatch[] = [];
    socket.on('mention.created', (b) => void batches.push(b));
    await new Promise<void>((r) => socket.on('connect', () => r()));
    await new Promise((r) => socket.emit('room.join', { room: 'queue' }, r));
    const m = await waitFor(async () => (await admin.get('/api/mentions?limit=5')).body.items[0], 20_000, 'a stored mention');
    expect(m.demo).toBe(true);
    expect(m.scores.priority.reasons.length).toBeGreaterThan(0);
    await waitFor(() => batches.length > 0, 20_000, 'a live batch over the socket');
    socket.close();
    // The api reads the connectors' health from the store.
    const health = await waitFor(async () => (await admin.get('/api/connectors')).body.items.find((c: { connectorId: string }) => c.connectorId === 'simulator'), 10_000, 'simulator health');
    expect(health.state).toBe('ok');
  }, 60_000);

  it('while no worker runs, batches wait in Redis; a new worker stores them', async () => {
    const admin = new ApiClient(api.url);
    await admin.post('/api/auth/login', { email: 'boss@test.hark', password: 'distributed-pw' });
    expect(await worker.stop()).toBe(0);
    const r = new Redis(redis.url);
    const waiting = () => r.llen('hark:hark.ingest.v1:wait');
    await waitFor(async () => (await waiting()) > 0, 10_000, 'batches waiting in Redis');
    const countAt = async () => (await admin.get('/api/mentions?limit=200&sort=recent')).body.items.length as number;
    const before = await countAt();
    worker = await spawnHark({ ...ENV, REDIS_URL: redis.url }, { role: 'worker', dataDir });
    await waitFor(async () => (await countAt()) > before, 20_000, 'batches worked after the restart');
    await waitFor(async () => (await waiting()) === 0, 20_000, 'the queue drained');
    r.disconnect();
  }, 60_000);

  it('two api processes: an agent on one sees who views the same mention on the other', async () => {
    const api2 = await spawnHark({ ...ENV, REDIS_URL: redis.url }, { role: 'api', dataDir });
    try {
      const admin = new ApiClient(api.url);
      await admin.post('/api/auth/login', { email: 'boss@test.hark', password: 'distributed-pw' });
      const created = await admin.post('/api/users', { email: 'agent2@test.hark', name: 'Second Agent', role: 'agent', password: 'second-agent-pw' });
      expect(created.status).toBe(201);
      const agent = new ApiClient(api2.url);
      expect((await agent.post('/api/auth/login', { email: 'agent2@test.hark', password: 'second-agent-pw' })).status).toBe(200);
      const m = (await admin.get('/api/mentions?limit=1')).body.items[0];
      const room = `mention:${m.id}` as const;
      const a = admin.socket();
      const b = agent.socket();
      await Promise.all([a, b].map((s) => new Promise<void>((r) => s.on('connect', () => r()))));
      const seenByB: string[][] = [];
      b.on('presence.update', (u) => u.room === room && void seenByB.push(u.viewers.map((v) => v.name)));
      b.emit('presence.set', { room, typing: false });
      await waitFor(() => seenByB.some((names) => names.includes('Second Agent')), 5000, 'own presence');
      a.emit('presence.set', { room, typing: true });
      await waitFor(() => seenByB.some((names) => names.includes('Second Agent') && names.length === 2), 5000, 'the admin on the other api process');
      a.close();
      await waitFor(() => seenByB.at(-1)?.length === 1, 5000, 'the admin gone');
      b.close();
    } finally {
      await api2.stop();
    }
  }, 60_000);

  it('an admin turning on X in the api starts the X connector in the connectors process', async () => {
    x.addUser({ id: 'u1', username: 'vera', name: 'Vera', public_metrics: { followers_count: 900 } });
    x.addTweet({ text: 'acme refund never arrived', author_id: 'u1', lang: 'en' });
    const admin = new ApiClient(api.url);
    await admin.post('/api/auth/login', { email: 'boss@test.hark', password: 'distributed-pw' });
    expect((await admin.request('PUT', '/api/listening-queries', { version: 0, queries: [{ id: 'acme', brand: 'Acme', query: 'acme refund' }] })).status).toBe(200);
    const put = await admin.request('PUT', '/api/networks/x', { version: 0, settings: { enabled: true, mode: 'poll', pollSeconds: 5, brandUserId: null, brand: null, monthlyReadCap: null }, credentials: { bearerToken: 'test-bearer' } });
    expect(put.status).toBe(200);
    expect(put.body.restarted).toEqual(['x']);
    const m = await waitFor(async () => (await admin.get('/api/mentions?platform=x')).body.items[0], 20_000, 'an X mention');
    expect(m).toMatchObject({ brand: 'Acme', author: { handle: 'vera' } });
    const health = await waitFor(async () => (await admin.get('/api/networks/x')).body.health, 10_000, 'X health from the connectors process');
    expect(health.state).toBe('ok');
  }, 60_000);

  it('a brand a manager adds in the api becomes a brand word for the worker that scores (over the bus)', async () => {
    const admin = new ApiClient(api.url);
    await admin.post('/api/auth/login', { email: 'boss@test.hark', password: 'distributed-pw' });
    const cur = (await admin.get('/api/listening-queries')).body;
    const put = await admin.request('PUT', '/api/listening-queries', { version: cur.version, queries: [...cur.queries, { id: 'fresh', brand: 'Super Fresh', query: '"super fresh"' }] });
    expect(put.status).toBe(200);
    const text = 'acme refund done, Super Fresh would have taken weeks';
    const { createScorer } = await import('../../workers/nlp/index.js');
    const input = { text, lang: 'en', author: { id: null, handle: 'vera', name: null, followers: 900, verified: false, url: null }, engagement: { likes: 0, reposts: 0, replies: 0 }, brand: 'Acme' };
    const right = createScorer({ brands: ['Acme', 'Super Fresh'] }).score(input).scores.sentiment;
    const wrong = createScorer({ brands: ['Acme'] }).score(input).scores.sentiment;
    expect(right.score).not.toBe(wrong.score); // the competitor's name would otherwise count ("super", "fresh")
    x.addTweet({ text, author_id: 'u1', lang: 'en' });
    const m = await waitFor(async () => (await admin.get('/api/mentions?platform=x&q=weeks')).body.items[0], 20_000, 'the scored X mention');
    expect(m.scores.sentiment.score).toBe(right.score);
  }, 60_000);
});
