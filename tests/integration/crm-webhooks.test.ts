import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../server/webhooks/signature.js';
import { rawMention, startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A CRM endpoint on loopback that can be told to fail its next N requests. */
async function fakeCrm() {
  const received: Received[] = [];
  const state = { failNext: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (state.failNext > 0) {
        state.failNext--;
        res.writeHead(503).end('busy');
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('webhooks, customers and routing', () => {
  let h: Harness;
  let crm: Awaited<ReturnType<typeof fakeCrm>>;
  let admin: ApiClient;
  let boss: ApiClient;
  let ana: ApiClient;
  const secret = 'a-very-long-shared-secret';
  beforeAll(async () => {
    crm = await fakeCrm();
    h = await startHarness({}, { webhooks: { tickMs: 50, backoffMs: 50 } });
    [admin, boss, ana] = await Promise.all([h.signIn('admin'), h.signIn('manager'), h.signIn('agent')]);
  });
  afterAll(async () => {
    await h.close();
    await crm.close();
  });

  it('lets only admins manage webhooks and never shows their secrets', async () => {
    const body = { version: 0, webhooks: [{ id: 'crm', url: crm.url, secret, events: ['case.created', 'case.updated', 'case.resolved'] }] };
    expect((await boss.request('PUT', '/api/settings/webhooks', body)).status).toBe(403);
    const bad = await admin.request('PUT', '/api/settings/webhooks', { version: 0, webhooks: [{ ...body.webhooks[0], url: 'ftp://x' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^webhooks\.0\.url/);
    const ok = await admin.request('PUT', '/api/settings/webhooks', body);
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.body)).not.toContain(secret);
    const read = await admin.get('/api/settings/webhooks');
    expect(read.body.webhooks[0].secret).toBe('••••');
    // Sending the redacted form back keeps the stored secret.
    const same = await admin.request('PUT', '/api/settings/webhooks', { version: read.body.version, webhooks: read.body.webhooks });
    expect(same.status).toBe(200);
  });

  it('delivers signed case events once each, retrying failures with backoff', async () => {
    crm.state.failNext = 2;
    const before = crm.received.length;
    const [m] = (await h.hark.ingest([rawMention(1)])).stored;
    const kase = (await ana.post('/api/cases', { mentionIds: [m!.id] })).body.case;
    const created = await waitFor(() => crm.received.slice(before).find((r) => r.headers['x-hark-event'] === 'case.created' && r.headers['x-hark-delivery'] !== undefined && crm.received.filter((x) => x.headers['x-hark-delivery'] === r.headers['x-hark-delivery']).length === 3 && r), 5000, 'third attempt');
    const deliveryId = String(created.headers['x-hark-delivery']);
    const attempts = crm.received.filter((r) => r.headers['x-hark-delivery'] === deliveryId);
    expect(attempts).toHaveLength(3);
    const last = attempts[2]!;
    expect(verifySignature(secret, String(last.headers['x-hark-timestamp']), last.body, String(last.headers['x-hark-signature']))).toBe(true);
    expect(verifySignature('wrong-secret-wrong-secret', String(last.headers['x-hark-timestamp']), last.body, String(last.headers['x-hark-signature']))).toBe(false);
    expect(JSON.parse(last.body).case.id).toBe(kase.id);

    // The same bus message again (a redelivery) must not send again.
    h.hark.bus.publish('case.created', { case: kase });
    await new Promise((r) => setTimeout(r, 300));
    expect(crm.received.filter((r) => r.headers['x-hark-delivery'] === deliveryId)).toHaveLength(3);

    const log = await admin.get('/api/settings/webhooks/deliveries?webhookId=crm');
    const entry = log.body.items.find((d: any) => d.eventId === deliveryId);
    expect(entry).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 204 });
    expect((await boss.get('/api/settings/webhooks/deliveries')).status).toBe(403);

    const resolved = await boss.request('PATCH', `/api/cases/${kase.id}`, { version: kase.version + 0, status: 'resolved' }).then(async (r) => (r.status === 409 ? boss.request('PATCH', `/api/cases/${kase.id}`, { version: r.body.error.details.case.version, status: 'resolved' }) : r));
    expect(resolved.status).toBe(200);
    await waitFor(() => crm.received.some((r) => r.headers['x-hark-event'] === 'case.resolved'), 3000, 'case.resolved');
  });

  it('links identities to a customer, suggests matches, merges and unmerges', async () => {
    const [onX] = (await h.hark.ingest([rawMention(3, { author: { handle: 'dora_k', name: 'Dora K', followers: 50 } })])).stored;
    const [onReddit] = (await h.hark.ingest([rawMention(5, { platform: 'reddit', author: { handle: 'Dora_K', followers: 5 } })])).stored;
    const dora = (await ana.post('/api/customers', { name: 'Dora Kim', identities: [{ platform: 'x', handle: 'dora_k' }] })).body.customer;
    expect((await ana.get(`/api/mentions/${onX!.id}`)).body.mention.customerId).toBe(dora.id);
    const sugg = await ana.get('/api/customers/suggestions?platform=reddit&handle=Dora_K');
    expect(sugg.body.items.map((c: any) => c.id)).toEqual([dora.id]);

    const other = (await ana.post('/api/customers', { name: 'D. Kim', identities: [{ platform: 'reddit', handle: 'dora_k' }] })).body.customer;
    const taken = await ana.post('/api/customers', { name: 'Copy', identities: [{ platform: 'x', handle: 'DORA_K' }] });
    expect(taken.status).toBe(409);

    const merged = await ana.post(`/api/customers/${dora.id}/merge`, { otherId: other.id });
    expect(merged.body.customer.identities).toHaveLength(2);
    const view = await ana.get(`/api/customers/${dora.id}`);
    expect(view.body.mentions.map((m: any) => m.id).sort()).toEqual([onX!.id, onReddit!.id].sort());
    expect(view.body.sentiment.length).toBeGreaterThan(0);
    expect(view.body.olderBefore).toBeNull();
    // A loud customer's history comes a page at a time, across identities, newest first.
    const first = await ana.get(`/api/customers/${dora.id}?limit=1`);
    expect(first.body.mentions).toHaveLength(1);
    const second = await ana.get(`/api/customers/${dora.id}?limit=1&before=${encodeURIComponent(first.body.olderBefore)}`);
    expect(second.body.olderBefore).toBeNull();
    expect([...first.body.mentions, ...second.body.mentions].map((m: any) => m.id).sort()).toEqual([onX!.id, onReddit!.id].sort());
    expect((await ana.get(`/api/customers/${dora.id}?before=yesterday`)).body.error.message).toMatch(/^before:/);
    expect((await ana.get(`/api/mentions/${onReddit!.id}`)).body.mention.customerId).toBe(dora.id);

    const un = await ana.post(`/api/customers/${dora.id}/unmerge`, { otherId: other.id });
    expect(un.body.customer.identities).toEqual([{ platform: 'x', handle: 'dora_k' }]);
    expect(un.body.restored.mergedInto).toBeNull();
    expect((await ana.get(`/api/mentions/${onReddit!.id}`)).body.mention.customerId).toBe(other.id);

    // New mentions of a known identity arrive linked.
    const [later] = (await h.hark.ingest([rawMention(7, { author: { handle: 'DORA_K' } })])).stored;
    expect(later!.customerId).toBe(dora.id);
  });

  it('routes mentions by rules to a team and its least-loaded agent', async () => {
    const me = (await ana.get('/api/auth/me')).body.user;
    expect((await admin.request('PATCH', `/api/users/${me.id}`, { teams: ['billing'], capacity: 5 })).status).toBe(200);
    expect((await ana.request('PUT', '/api/settings/teams', { version: 0, teams: [{ id: 'billing', name: 'Billing' }] })).status).toBe(403);
    expect((await boss.request('PUT', '/api/settings/teams', { version: 0, teams: [{ id: 'billing', name: 'Billing' }] })).status).toBe(200);
    const rules = await boss.request('PUT', '/api/settings/routing-rules', {
      version: 0,
      rules: [{ id: 'refunds', name: 'Refunds to billing', when: { keywords: ['refund'] }, then: { team: 'billing', assignLeastLoaded: true } }],
    });
    expect(rules.status).toBe(200);
    const [refund, other] = (await h.hark.ingest([rawMention(9), rawMention(10)])).stored;
    expect(refund!.triage).toMatchObject({ team: 'billing', assignee: me.id, status: 'claimed' });
    expect(refund!.scores.priority.reasons).toContain('routed: Refunds to billing');
    expect(other!.triage.team).toBeNull();
  });
});
