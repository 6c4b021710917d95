import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mention } from '../../shared/mention.js';
import { MentionQuerySchema } from '../../shared/mention-query.js';
import type { Store } from '../../shared/store.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { startFakeX } from '../support/fake-x/fake-x-server.js';
import { waitFor } from '../support/harness.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';

/**
 * Two connectors processes polling one X account: the connector runs in the
 * process holding its lease, the other stands by. kill -9 the active one while
 * posts keep arriving: the standby takes over from the saved cursors within
 * the lease time, and every post is stored, once.
 */
describe.skipIf(!redisAvailable())('connector failover between two connectors processes', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let x: Awaited<ReturnType<typeof startFakeX>>;
  let dataDir: string;
  let procs: SpawnedHark[] = [];
  let store: Store;
  beforeAll(async () => {
    redis = await startRedis();
    x = await startFakeX();
    x.addUser({ id: 'u1', username: 'vera', name: 'Vera', public_metrics: { followers_count: 900 } });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-failover-'));
    store = openSqliteStore({ file: path.join(dataDir, 'hark.sqlite') });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await store?.close();
    await redis?.stop();
    await x?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function allX(): Promise<Mention[]> {
    const out: Mention[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await store.mentions.list(MentionQuerySchema.parse({ platform: 'x', sort: 'recent', limit: 200, ...(cursor ? { cursor } : {}) }));
      out.push(...page.items);
      if (!page.nextCursor) return out;
      cursor = page.nextCursor;
    }
  }

  it('kill -9 of the active connectors process: the standby takes over, no post stored twice or lost', async () => {
    const env = {
      REDIS_URL: redis.url,
      SIMULATOR: 'off',
      LEASE_SECONDS: '1.5',
      X_BEARER_TOKEN: 'test-bearer',
      X_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme' }]),
      X_POLL_SECONDS: '0.2',
      X_API_BASE_URL: x.url,
    };
    procs.push(await spawnHark(env, { role: 'worker', dataDir }));
    const [a, b] = await Promise.all([spawnHark(env, { role: 'connectors', dataDir }), spawnHark(env, { role: 'connectors', dataDir })]);
    procs.push(a!, b!);
    const posted: string[] = [];
    let feeding = true;
    const feed = (async () => {
      for (let i = 0; feeding; i++) {
        posted.push(x.addTweet({ text: `acme my bag is lost, day ${i}`, author_id: 'u1', lang: 'en' }).id);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    await waitFor(async () => (await allX()).length >= 10, 20_000, 'the first posts stored');
    // One active poller: at one poll per 200 ms, two seconds are about ten searches (two pollers would make twenty).
    const searches = () => x.requests.filter((r) => r.includes('/2/tweets/search/recent')).length;
    const before = searches();
    await new Promise((r) => setTimeout(r, 2000));
    expect(searches() - before).toBeLessThanOrEqual(14);
    const lease = (await store.leases.list({ prefix: 'connector:' })).find((l) => l.name === 'connector:x')!;
    expect(lease).toBeDefined();
    const active = [a!, b!].find((p) => lease.holder.includes(`:${p.pid}:`))!;
    const standby = active === a ? b! : a!;
    await active.kill();
    procs = procs.filter((p) => p !== active);
    const killedAt = Date.now();
    const countAtKill = posted.length;
    await waitFor(async () => (await store.leases.list({ prefix: 'connector:x' }))[0]?.holder.includes(`:${standby.pid}:`), 10_000, 'the standby holds the lease');
    expect(Date.now() - killedAt).toBeLessThan(1500 + 1500);
    await waitFor(() => posted.length > countAtKill + 30, 10_000, 'more posts after the kill');
    feeding = false;
    await feed;
    await waitFor(async () => (await allX()).length >= posted.length, 20_000, `all ${posted.length} posts stored`);
    await new Promise((r) => setTimeout(r, 600));
    const stored = (await allX()).map((m) => m.externalId);
    expect(stored.length).toBe(posted.length);
    expect(new Set(stored)).toEqual(new Set(posted));
  }, 90_000);
});
