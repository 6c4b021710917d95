import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Case } from '../../shared/case.js';
import { silentLogger } from '../../shared/log.js';
import type { Store } from '../../shared/store.js';
import { createMemoryBus } from '../../server/bus/memory-bus.js';
import { openSharedTestStores } from '../support/test-store.js';
import { startWebhookDispatcher, WEBHOOKS_KEY, type WebhookDispatcher } from '../../server/webhooks/dispatcher.js';
import { waitFor } from '../support/harness.js';

/** A CRM endpoint that records every POST it gets. */
async function receiver() {
  const got: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      got.push(String(req.headers['x-hark-delivery']));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const kase = (i: number): Case => ({
  id: String(i),
  number: `HK-${1000 + i}`,
  version: 1,
  title: `case ${i}`,
  status: 'open',
  priority: 'normal',
  team: null,
  assignee: null,
  customerId: null,
  mentionIds: [],
  externalRef: null,
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
  firstResponseAt: null,
  resolvedAt: null,
  sla: { firstResponseDueAt: null, resolutionDueAt: null, breached: [] },
});

describe('webhook deliveries with several dispatchers (one per API process) over one store', () => {
  let dir: string;
  let stores: Store[];
  let closeStores: () => Promise<void>;
  let crm: Awaited<ReturnType<typeof receiver>>;
  let dispatchers: WebhookDispatcher[];
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-hooks-'));
    ({ stores, close: closeStores } = await openSharedTestStores(path.join(dir, 'h.sqlite'), 4));
    crm = await receiver();
    await stores[0]!.settings.set({ key: WEBHOOKS_KEY, value: [{ id: 'crm', url: crm.url, secret: 'a-very-long-shared-secret', events: ['case.created'], active: true }], expectedVersion: 0 });
    dispatchers = [];
  });
  afterEach(async () => {
    await Promise.all(dispatchers.map((d) => d.close()));
    await closeStores();
    await crm.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends each event once although every dispatcher hears it and polls the due deliveries', async () => {
    // One bus like Redis pub/sub: every API process receives every case event.
    const bus = createMemoryBus(silentLogger);
    dispatchers = stores.map((store, i) => startWebhookDispatcher({ store, bus, log: silentLogger, now: () => new Date(), tickMs: 5, holder: `api-${i}` }));
    for (let i = 1; i <= 40; i++) bus.publish('case.created', { case: kase(i) });
    await waitFor(async () => (await stores[0]!.webhookDeliveries.list({ limit: 100 })).items.every((d) => d.state === 'delivered') && crm.got.length >= 40, 15_000, 'all delivered');
    await new Promise((r) => setTimeout(r, 300)); // a few more ticks of every dispatcher
    const counts = new Map<string, number>();
    for (const id of crm.got) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(40);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    const { items } = await stores[0]!.webhookDeliveries.list({ limit: 100 });
    expect(items.every((d) => d.attempts === 1 && d.claimedBy === null)).toBe(true);
  });

  it('a dispatcher that dies mid-send leaves its claim; when the claim expires another sends it again with the same delivery id', async () => {
    const bus = createMemoryBus(silentLogger);
    // The first dispatcher's send never returns: the process is stuck or gone after claiming.
    const stuck = startWebhookDispatcher({ store: stores[0]!, bus: createMemoryBus(silentLogger), log: silentLogger, now: () => new Date(), tickMs: 60_000, leaseMs: 400, holder: 'dead', fetchImpl: () => new Promise<Response>(() => undefined) });
    const now = new Date().toISOString();
    const d = await stores[0]!.webhookDeliveries.enqueue({ delivery: { webhookId: 'crm', eventId: 'case.created:7:v1', event: 'case.created', payload: { id: 'case.created:7:v1' }, state: 'pending', attempts: 0, nextAttemptAt: now, lastStatus: null, lastError: null, createdAt: now, deliveredAt: null } });
    void stuck.tick();
    await waitFor(async () => (await stores[0]!.webhookDeliveries.get({ id: d!.id }))?.claimedBy === 'dead', 5000, 'claimed by the stuck dispatcher');
    const alive = startWebhookDispatcher({ store: stores[1]!, bus, log: silentLogger, now: () => new Date(), tickMs: 20, holder: 'alive' });
    dispatchers = [alive];
    await new Promise((r) => setTimeout(r, 200));
    expect(crm.got).toEqual([]); // still claimed: nobody else sends it
    await waitFor(async () => (await stores[1]!.webhookDeliveries.get({ id: d!.id }))?.state === 'delivered', 5000, 'sent by the live dispatcher');
    expect(crm.got).toEqual(['case.created:7:v1']);
    expect(await stores[1]!.webhookDeliveries.get({ id: d!.id })).toMatchObject({ attempts: 2, claimedBy: null, lastError: null });
  });
});
