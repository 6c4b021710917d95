import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../shared/store.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { makeNewMention } from '../support/fixtures.js';
import { ApiClient, waitFor } from '../support/harness.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';

const SOAK_MS = Number(process.env.HARK_FAULT_SOAK_SECONDS ?? 60) * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The whole deployment at once: two API processes, three workers and two
 * connectors processes on one Redis and one store, a fast simulator, cases
 * escalated through both API processes at the same time, SLA breaches and
 * spikes due during the run, and a webhook receiving every case event. At
 * the end: no alert, delivery or case number twice, no breach escalated twice.
 * HARK_FAULT_SOAK_SECONDS sets the duration (default 60).
 */
describe.skipIf(!redisAvailable())('fault: 2 api + 3 workers + 2 connectors processes for a while', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dataDir: string;
  const procs: SpawnedHark[] = [];
  let store: Store;
  const got: string[] = [];
  let crm: http.Server;
  let crmUrl = '';
  beforeAll(async () => {
    redis = await startRedis();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-soak-'));
    crm = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        got.push(String(req.headers['x-hark-delivery']));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => crm.listen(0, '127.0.0.1', () => r()));
    crmUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}/hook`;
    const env = { REDIS_URL: redis.url, SIMULATOR: 'on', SIMULATOR_RATE: '40', SWEEP_SECONDS: '0.5', LEASE_SECONDS: '2', HARK_ADMIN_EMAIL: 'boss@test.hark', HARK_ADMIN_PASSWORD: 'soak-test-pw-123' };
    // One after the other: seven processes compiling at once on a busy two-core machine would not start in time.
    for (const role of ['api', 'api', 'worker', 'worker', 'worker', 'connectors', 'connectors'] as const) procs.push(await spawnHark(env, { role, dataDir, startMs: 60_000 }));
    store = openSqliteStore({ file: path.join(dataDir, 'hark.sqlite') });
  }, 240_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await store?.close();
    await redis?.stop();
    await new Promise<void>((r) => crm?.close(() => r()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('zero duplicated alerts, deliveries, breaches or case numbers', async () => {
    const [apiA, apiB] = procs as [SpawnedHark, SpawnedHark];
    const a = new ApiClient(apiA.url);
    const b = new ApiClient(apiB.url);
    for (const c of [a, b]) expect((await c.post('/api/auth/login', { email: 'boss@test.hark', password: 'soak-test-pw-123' })).status).toBe(200);
    const hooks = await a.request('PUT', '/api/settings/webhooks', { version: 0, webhooks: [{ id: 'crm', url: crmUrl, secret: 'a-very-long-shared-secret', events: ['case.created', 'case.updated', 'case.resolved'] }] });
    expect(hooks.status).toBe(200);

    const started = Date.now();
    const spikeBrands = ['Hooli', 'Initech', 'Umbrella'];
    const breachCases: string[] = [];
    let escalated = 0;
    let spikesSeeded = 0;
    while (Date.now() - started < SOAK_MS) {
      const tick = Date.now();
      // Cases escalated through both API processes at the same moment, each from its own mention.
      const page = (await a.get('/api/mentions?status=new&sort=recent&limit=20')).body.items as Array<{ id: string }>;
      const half = Math.floor(page.length / 2);
      const made = await Promise.all([...page.slice(0, half).map((m) => a.post('/api/cases', { mentionIds: [m.id] })), ...page.slice(half).map((m) => b.post('/api/cases', { mentionIds: [m.id] }))]);
      escalated += made.filter((r) => r.status === 201).length;
      // Cases whose first response falls due in a second: the sweeps flag and escalate each once.
      for (let i = 0; i < 3; i++) {
        const c = await store.cases.create({ draft: { title: `due ${i}`, status: 'open', priority: 'normal', team: null, assignee: null, customerId: null, mentionIds: [], externalRef: null, createdAt: iso(tick), updatedAt: iso(tick), firstResponseAt: null, resolvedAt: null, sla: { firstResponseDueAt: iso(tick + 1000), resolutionDueAt: null, breached: [] } } });
        breachCases.push(c.id);
      }
      // Now and then a brand's negatives jump.
      if (spikesSeeded < spikeBrands.length && Date.now() - started > (spikesSeeded + 1) * (SOAK_MS / (spikeBrands.length + 1))) {
        const brand = spikeBrands[spikesSeeded++]!;
        const ms = [];
        for (let m = 12 * 60; m > 15; m -= 10) ms.push(makeNewMention({ brand, label: 'negative', createdAt: iso(tick - m * 60_000), text: `meh, my seat was small ${m}` }));
        for (let i = 0; i < 25; i++) ms.push(makeNewMention({ brand, label: 'negative', createdAt: iso(tick - 3 * 60_000 + i * 5000), text: `${brand} app down again, cannot check in #${i}` }));
        await store.mentions.insertMany({ mentions: ms });
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 2000 - (Date.now() - tick))));
    }
    expect(escalated).toBeGreaterThan(10);

    // Let the sweeps and the dispatchers finish what is due.
    const breachesOf = async (id: string) => (await store.timeline.list({ entityType: 'case', entityId: id })).filter((e) => e.kind === 'sla_breach').length;
    await waitFor(async () => (await Promise.all(breachCases.map(breachesOf))).every((n) => n > 0), 30_000, 'every due case breached');
    await waitFor(async () => (await store.alerts.list({ limit: 100 })).filter((x) => spikeBrands.includes(x.brand)).length >= spikeBrands.length, 30_000, 'the spike alerts');
    const deliveries = async () => {
      const all = [];
      for (let cursor: string | undefined; ; ) {
        const p = await store.webhookDeliveries.list({ limit: 200, ...(cursor ? { cursor } : {}) });
        all.push(...p.items);
        if (!p.nextCursor) return all;
        cursor = p.nextCursor;
      }
    };
    await waitFor(async () => (await deliveries()).every((d) => d.state === 'delivered'), 30_000, 'every webhook delivered');
    await new Promise((r) => setTimeout(r, 2000));

    // Breaches: once each.
    expect((await Promise.all(breachCases.map(breachesOf))).filter((n) => n !== 1)).toEqual([]);
    // Alerts: at most one per brand in this run (the quiet period is 30 min), exactly one for each spiking brand.
    const alerts = await store.alerts.list({ limit: 500 });
    const perBrand = new Map<string, number>();
    for (const x of alerts) perBrand.set(x.brand, (perBrand.get(x.brand) ?? 0) + 1);
    expect([...perBrand.entries()].filter(([, n]) => n > 1)).toEqual([]);
    for (const brand of spikeBrands) expect(perBrand.get(brand)).toBe(1);
    // Deliveries: each sent once, and every recorded one sent.
    const ds = await deliveries();
    expect(ds.length).toBeGreaterThan(escalated);
    const counts = new Map<string, number>();
    for (const id of got) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(got)).toEqual(new Set(ds.map((d) => d.eventId)));
    // Case numbers: distinct and consecutive.
    const numbers: number[] = [];
    for (let cursor: string | undefined; ; ) {
      const p = await store.cases.list({ limit: 200, ...(cursor ? { cursor } : {}) });
      numbers.push(...p.items.map((c) => Number(c.number.slice(3))));
      if (!p.nextCursor) break;
      cursor = p.nextCursor;
    }
    numbers.sort((x, y) => x - y);
    expect(numbers).toEqual(numbers.map((_, i) => 1001 + i));
    expect(numbers.length).toBe(escalated + breachCases.length);
  }, SOAK_MS + 200_000);
});
