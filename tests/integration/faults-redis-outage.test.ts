import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeX } from '../support/fake-x/fake-x-server.js';
import { ApiClient, waitFor } from '../support/harness.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';

const OUTAGE_MS = Number(process.env.HARK_FAULT_REDIS_OUTAGE_MS ?? 10_000);

/**
 * Redis stops for ten seconds while posts keep arriving on X (api, worker and
 * connectors as separate processes). The API keeps serving reads and says
 * `degraded`; once Redis is back the pipeline resumes by itself, health says
 * `ok`, and every post published during the outage is stored, once.
 */
describe.skipIf(!redisAvailable())('fault: Redis away for a while under steady load', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let dataDir: string;
  const procs: SpawnedHark[] = [];
  beforeAll(async () => {
    redis = await startRedis({ persist: true });
    x = await startFakeX();
    x.addUser({ id: 'u1', username: 'vera', name: 'Vera', public_metrics: { followers_count: 900 } });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-outage-'));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await redis?.stop();
    await x?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads keep working, health is degraded during the outage and ok after, nothing accepted is lost', async () => {
    const env = {
      REDIS_URL: redis.url,
      SIMULATOR: 'off',
      HARK_ADMIN_EMAIL: 'boss@test.hark',
      HARK_ADMIN_PASSWORD: 'outage-test-pw',
      X_BEARER_TOKEN: 'test-bearer',
      X_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme' }]),
      X_POLL_SECONDS: '0.3',
      X_API_BASE_URL: x.url,
    };
    procs.push(await spawnHark(env, { role: 'api', dataDir }));
    procs.push(...(await Promise.all([spawnHark(env, { role: 'worker', dataDir }), spawnHark(env, { role: 'connectors', dataDir })])));
    const api = procs[0]!;
    const boss = new ApiClient(api.url);
    expect((await boss.post('/api/auth/login', { email: 'boss@test.hark', password: 'outage-test-pw' })).status).toBe(200);
    const anon = new ApiClient(api.url);
    const stored = async () => (await boss.get('/api/mentions?platform=x&limit=1')).body.items.length as number;

    const posted: string[] = [];
    let feeding = true;
    const feed = (async () => {
      for (let i = 0; feeding; i++) {
        posted.push(x.addTweet({ text: `acme where is my refund, day ${i}`, author_id: 'u1', lang: 'en' }).id);
        // About 3 posts a second: a 10 s outage leaves fewer than the 100 the X connector reads in one poll here (10 pages of 10; see the report on maxPagesPerPoll).
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    await waitFor(async () => (await stored()) > 0, 20_000, 'the first posts stored');
    await waitFor(async () => (await boss.get('/api/health')).body.status === 'ok', 10_000, 'health ok before the outage');

    await redis.down();
    const downAt = Date.now();
    const during: Array<{ reads: number; anon: unknown; status: string; redisOk: boolean }> = [];
    while (Date.now() - downAt < OUTAGE_MS) {
      const [reads, h, a] = await Promise.all([boss.get('/api/mentions?limit=20'), boss.get('/api/health'), anon.get('/api/health')]);
      during.push({ reads: reads.status, anon: a.body, status: h.body.status, redisOk: h.body.detail?.redis?.ok });
      await new Promise((r) => setTimeout(r, 1000));
    }
    await redis.up();
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during.every((d) => d.reads === 200)).toBe(true);
    // The first probe may land before the connections notice; from then on it is degraded.
    expect(during.slice(1).every((d) => d.status === 'degraded' && d.redisOk === false)).toBe(true);
    expect(during.slice(1).every((d) => JSON.stringify(d.anon) === '{"status":"degraded"}')).toBe(true);

    await waitFor(async () => (await boss.get('/api/health')).body.status === 'ok', 30_000, 'health ok after the outage');
    feeding = false;
    await feed;
    const all = async () => {
      const ids: string[] = [];
      for (let cursor: string | null = null; ; ) {
        const page: { body: { items: Array<{ externalId: string }>; nextCursor: string | null } } = await boss.get(`/api/mentions?platform=x&sort=recent&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        ids.push(...page.body.items.map((m) => m.externalId));
        if (!page.body.nextCursor) return ids;
        cursor = page.body.nextCursor;
      }
    };
    await waitFor(async () => (await all()).length >= posted.length, 40_000, `all ${posted.length} posts stored after the outage`);
    const ids = await all();
    expect(ids.length).toBe(posted.length);
    expect(new Set(ids)).toEqual(new Set(posted));
  }, 150_000);
});
