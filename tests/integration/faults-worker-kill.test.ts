import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../shared/store.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { waitFor } from '../support/harness.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { ROOT, spawnHark, type SpawnedHark } from '../support/spawn-hark.js';

const COUNT = Number(process.env.HARK_FAULT_IMPORT_COUNT ?? 50_000);

/**
 * An import of 50,000 mentions queued for the workers (distributed mode); the
 * worker is killed with -9 in the middle and started again. Every mention is
 * stored exactly once, and the per-minute rollups add up to the same count
 * (a batch cut short by the kill is rolled back whole and worked again).
 */
describe.skipIf(!redisAvailable())('fault: kill -9 of a worker in the middle of a large import', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dataDir: string;
  let file: string;
  let worker: SpawnedHark | null = null;
  let store: Store;
  const t0 = Date.UTC(2026, 10, 20, 0, 0, 0);
  beforeAll(async () => {
    redis = await startRedis();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-killimport-'));
    file = path.join(dataDir, 'posts.jsonl');
    const out = fs.createWriteStream(file);
    const words = ['refund', 'delayed', 'great crew', 'lost bag', 'app down', 'thanks', 'seat', 'upgrade'];
    for (let i = 0; i < COUNT; i++) {
      const line = JSON.stringify({ id: `imp-${i}`, text: `Acme Air ${words[i % words.length]} number ${i}`, author: `user${i % 5000}`, created_at: new Date(t0 + i * 1000).toISOString(), lang: 'en' });
      if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
    store = openSqliteStore({ file: path.join(dataDir, 'hark.sqlite') });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await store?.close();
    await redis?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores every mention exactly once, with rollups equal to the count', async () => {
    const env = { REDIS_URL: redis.url, SIMULATOR: 'off', QUEUE_LOCK_SECONDS: '2' };
    worker = await spawnHark(env, { role: 'worker', dataDir });
    const importer = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'import', file], { cwd: ROOT, env: { ...process.env, ...env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    importer.stdout.on('data', (d: Buffer) => (printed += d.toString()));
    importer.stderr.on('data', (d: Buffer) => (printed += d.toString()));
    const imported = new Promise<number | null>((r) => importer.once('exit', (code) => r(code)));

    await waitFor(async () => (await store.mentions.count()) >= COUNT / 5, 60_000, 'a fifth of the import stored');
    await worker.kill();
    const atKill = await store.mentions.count();
    expect(atKill).toBeLessThan(COUNT);
    worker = await spawnHark(env, { role: 'worker', dataDir });
    expect(await imported, printed).toBe(0);
    expect(printed).toMatch(new RegExp(`Queued ${COUNT} mentions`));
    await waitFor(async () => (await store.mentions.count()) >= COUNT, 120_000, `all ${COUNT} stored`);
    await new Promise((r) => setTimeout(r, 2500)); // longer than the lock: a re-run batch would show now
    expect(await store.mentions.count()).toBe(COUNT);
    const buckets = await store.rollups.series({ from: new Date(t0).toISOString(), to: new Date(t0 + COUNT * 1000 + 60_000).toISOString() });
    expect(buckets.reduce((n, b) => n + b.negative + b.neutral + b.positive, 0)).toBe(COUNT);
  }, 200_000);
});
