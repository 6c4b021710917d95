import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../server/webhooks/signature.js';
import { startHarness, type ApiClient, type Harness } from '../support/harness.js';

describe('settings forms: routing preview and webhook test', () => {
  let h: Harness;
  let mgr: ApiClient;
  let admin: ApiClient;
  let receiver: http.Server;
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  beforeAll(async () => {
    h = await startHarness();
    mgr = await h.signIn('manager');
    admin = await h.signIn('admin');
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(202, { 'content-type': 'text/plain' }).end('got it');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    receiver.close();
    await h.close();
  });

  const mention = (i: number, text: string, brand: string) => ({ platform: 'simulator', externalId: `prev-${i}`, text, brand, lang: 'en', author: { handle: `p${i}`, followers: 10 }, createdAt: new Date(Date.now() - i * 1000).toISOString() });

  it('previews which recent mentions each drafted rule takes, first match wins, without saving', async () => {
    await h.hark.ingest([mention(1, 'Acme Air lost my bag, worst service ever', 'Acme Air'), mention(2, 'Brightbank my card is blocked, terrible', 'Brightbank'), mention(3, 'Acme Air refund for my bag please', 'Acme Air')]);
    const rules = [
      { id: 'bags', name: 'Bags', enabled: true, when: { keywords: ['bag'] }, then: { team: 'air', assignLeastLoaded: false } },
      { id: 'acme', name: 'Acme', enabled: true, when: { brands: ['Acme Air'] }, then: { team: 'air', assignLeastLoaded: false } },
      { id: 'bank', name: 'Bank', enabled: true, when: { brands: ['Brightbank'] }, then: { team: 'bank', assignLeastLoaded: false } },
    ];
    const res = await mgr.post('/api/settings/routing-rules/preview', { rules });
    expect(res.status).toBe(200);
    expect(res.body.sample).toBe(3);
    expect(res.body.rules.map((r: { ruleId: string; count: number }) => [r.ruleId, r.count])).toEqual([['bags', 2], ['acme', 0], ['bank', 1]]);
    expect(res.body.rules[2].examples[0].text).toMatch(/card is blocked/);
    // Nothing was saved.
    expect((await mgr.get('/api/settings/routing-rules')).body.rules).toEqual([]);
  });

  it('refuses a drafted rule that does not fit, naming the field', async () => {
    const res = await mgr.post('/api/settings/routing-rules/preview', { rules: [{ id: 'Bad Id', name: 'x', when: {}, then: { team: null } }] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/rules\.0\.id/);
  });

  it('sends one signed test event to a saved webhook and shows the answer; the secret never comes back', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const secret = 'a-very-secret-key-123';
    const put = await admin.request('PUT', '/api/settings/webhooks', { version: 0, webhooks: [{ id: 'crm', url, secret, events: ['case.created'] }] });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain(secret);
    const res = await admin.post('/api/settings/webhooks/crm/test');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, status: 202, body: 'got it', error: null });
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(JSON.parse(got.body).event).toBe('webhook.test');
    expect(verifySignature(secret, String(got.headers['x-hark-timestamp']), got.body, String(got.headers['x-hark-signature']))).toBe(true);
    // No delivery is recorded for a test.
    expect((await admin.get('/api/settings/webhooks/deliveries')).body.items).toEqual([]);
    expect((await admin.post('/api/settings/webhooks/nope/test')).status).toBe(404);
  });

  it('says when the receiver cannot be reached', async () => {
    const list = await admin.get('/api/settings/webhooks');
    const put = await admin.request('PUT', '/api/settings/webhooks', { version: list.body.version, webhooks: [...list.body.webhooks, { id: 'dead', url: 'http://127.0.0.1:9/nothing', secret: 'another-secret-key-1', events: ['case.created'] }] });
    expect(put.status).toBe(200);
    const res = await admin.post('/api/settings/webhooks/dead/test');
    expect(res.body.ok).toBe(false);
    expect(res.body.status).toBeNull();
    expect(res.body.error).toBeTruthy();
  });
});
