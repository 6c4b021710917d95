import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTriage } from '../../shared/mention.js';
import type { Store } from '../../shared/store.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { makeNewMention } from '../support/fixtures.js';
import { waitFor } from '../support/harness.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';

/**
 * Three worker processes, one Redis, one store, sweeping every 200 ms: every
 * spike alert, SLA breach escalation and snooze wake-up happens exactly once,
 * also after the lease holder is killed with -9 and another worker takes over.
 */
describe.skipIf(!redisAvailable())('timed duties with three worker processes', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dataDir: string;
  let workers: SpawnedHark[] = [];
  let store: Store;
  const BRANDS = ['Acme Air', 'Globex', 'Initech', 'Umbrella'];
  beforeAll(async () => {
    redis = await startRedis();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-duties-'));
    store = openSqliteStore({ file: path.join(dataDir, 'hark.sqlite') });
    const env = { REDIS_URL: redis.url, SIMULATOR: 'off', SWEEP_SECONDS: '0.2', LEASE_SECONDS: '1.5' };
    workers = await Promise.all([0, 1, 2].map(() => spawnHark(env, { role: 'worker', dataDir })));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await store?.close();
    await redis?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const iso = (ms: number) => new Date(ms).toISOString();
  async function seedSnoozes(n: number, dueFrom: number) {
    const ms = Array.from({ length: n }, (_, i) => makeNewMention({ triage: { ...newTriage('watch', 'snoozed'), snoozedUntil: iso(dueFrom + i * 50) } }));
    return (await store.mentions.insertMany({ mentions: ms })).inserted.map((m) => m.id);
  }
  async function seedCases(n: number, dueFrom: number) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = await store.cases.create({
        draft: { title: `late ${i}`, status: 'open', priority: 'normal', team: null, assignee: null, customerId: null, mentionIds: [], externalRef: null, createdAt: iso(Date.now()), updatedAt: iso(Date.now()), firstResponseAt: null, resolvedAt: null, sla: { firstResponseDueAt: iso(dueFrom + i * 50), resolutionDueAt: null, breached: [] } },
      });
      ids.push(c.id);
    }
    return ids;
  }
  async function seedSpikes(brands: string[]) {
    const now = Date.now();
    const ms = [];
    for (const brand of brands) {
      for (let m = 12 * 60; m > 15; m -= 10) ms.push(makeNewMention({ brand, label: 'negative', createdAt: iso(now - m * 60_000), text: `meh, my seat was small ${m}` }));
      for (let i = 0; i < 25; i++) ms.push(makeNewMention({ brand, label: 'negative', createdAt: iso(now - 3 * 60_000 + i * 5000), text: `${brand} app down again, cannot check in #${i}` }));
    }
    await store.mentions.insertMany({ mentions: ms });
  }
  const wakes = async () => (await store.audit.list({ entityType: 'mention', limit: 500 })).items.filter((e) => e.action === 'mention.woke').map((e) => e.entityId);
  const breaches = async (ids: string[]) => (await Promise.all(ids.map(async (id) => (await store.timeline.list({ entityType: 'case', entityId: id })).filter((e) => e.kind === 'sla_breach').length)));
  const once = (ids: string[], seen: string[]) => ids.map((id) => seen.filter((s) => s === id).length);

  it('each alert, breach escalation and wake-up happens once across the three workers, before and after the holder is killed', async () => {
    const snoozed = await seedSnoozes(20, Date.now() + 300);
    const cases = await seedCases(10, Date.now() + 300);
    await seedSpikes(BRANDS);
    await waitFor(async () => (await wakes()).length >= 20, 20_000, 'all snoozes woken');
    await waitFor(async () => (await breaches(cases)).every((n) => n > 0), 20_000, 'all cases breached');
    await waitFor(async () => (await store.alerts.list({ limit: 50 })).length >= BRANDS.length, 20_000, 'alerts raised');
    await new Promise((r) => setTimeout(r, 1500)); // several more ticks of every worker
    expect(once(snoozed, await wakes())).toEqual(snoozed.map(() => 1));
    expect(await breaches(cases)).toEqual(cases.map(() => 1));
    expect((await store.alerts.list({ limit: 50 })).map((a) => a.brand).sort()).toEqual([...BRANDS].sort());
    // Every case was escalated once: normal → high, not further.
    for (const id of cases) expect((await store.cases.get({ id }))!.priority).toBe('high');

    // kill -9 the worker holding the sweeps; another worker takes them over within the lease time.
    const leases = await store.leases.list({ prefix: 'duty:' });
    const holder = leases.find((l) => l.name === 'duty:snoozes')!.holder;
    const victim = workers.find((w) => holder.includes(`:${w.pid}:`))!;
    expect(victim).toBeDefined();
    await victim.kill();
    workers = workers.filter((w) => w !== victim);
    const killedAt = Date.now();
    const later = await seedSnoozes(10, Date.now() + 100);
    const laterCases = await seedCases(5, Date.now() + 100);
    await seedSpikes(['Hooli']);
    await waitFor(async () => (await wakes()).length >= 30, 20_000, 'the later snoozes woken by another worker');
    expect(Date.now() - killedAt).toBeLessThan(1500 + 2000);
    await waitFor(async () => (await breaches(laterCases)).every((n) => n > 0), 20_000, 'the later cases breached');
    await waitFor(async () => (await store.alerts.list({ brand: 'Hooli', limit: 5 })).length > 0, 20_000, 'the later alert');
    await new Promise((r) => setTimeout(r, 1000));
    expect(once([...snoozed, ...later], await wakes())).toEqual([...snoozed, ...later].map(() => 1));
    expect(await breaches([...cases, ...laterCases])).toEqual([...cases, ...laterCases].map(() => 1));
    expect((await store.alerts.list({ limit: 50 })).map((a) => a.brand).sort()).toEqual([...BRANDS, 'Hooli'].sort());
    const after = await store.leases.list({ prefix: 'duty:' });
    expect(after.find((l) => l.name === 'duty:snoozes')!.holder).not.toBe(holder);
  }, 90_000);
});
