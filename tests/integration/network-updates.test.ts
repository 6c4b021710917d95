import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiClient, type Harness } from '../support/harness.js';

const KEY = 'k'.repeat(16) + 'an-example-secret-of-32+chars';

/** Issue 11 item 10: an update that changes nothing is refused, and every update checks the version it was based on. */
describe('PUT /api/networks/:network', () => {
  let h: Harness;
  let admin: ApiClient;
  beforeAll(async () => {
    h = await startHarness({ HARK_SECRET_KEY: KEY });
    admin = await h.signIn('admin');
  });
  afterAll(async () => {
    await h?.close();
  });

  const auditCount = async () => ((await admin.get('/api/audit?limit=200')).body.items as Array<{ action: string }>).filter((a) => a.action === 'settings.network_changed').length;

  it('refuses an update with nothing to change, naming the fields, without an audit entry', async () => {
    const before = await auditCount();
    const r = await admin.request('PUT', '/api/networks/x', { version: 0 });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/settings.*credentials/);
    expect(await auditCount()).toBe(before);
  });

  it('checks the version on credential-only updates too: a stale one is a 409', async () => {
    const v0 = (await admin.get('/api/networks/x')).body.version;
    const first = await admin.request('PUT', '/api/networks/x', { version: v0, credentials: { bearerToken: 'test-bearer-aaaa' } });
    expect(first.status).toBe(200);
    expect(first.body.version).toBeGreaterThan(v0);
    // Another admin, still on the old version, must not silently overwrite the first one's credentials.
    const stale = await admin.request('PUT', '/api/networks/x', { version: v0, credentials: { bearerToken: 'test-bearer-bbbb' } });
    expect(stale.status).toBe(409);
    const fresh = await admin.request('PUT', '/api/networks/x', { version: first.body.version, credentials: null });
    expect(fresh.status).toBe(200);
    expect(fresh.body.credentials).toMatchObject({ set: false });
  });

  it("takes X's credentials by group: fields left out keep their stored value, a group given in part is refused naming the field", async () => {
    let v = (await admin.get('/api/networks/x')).body.version;
    const put = (credentials: unknown) => admin.request('PUT', '/api/networks/x', { version: v, credentials });
    const a = await put({ bearerToken: 'test-bearer-cccc' });
    expect(a.status).toBe(200);
    v = a.body.version;
    const partial = await put({ apiKey: 'consumer-key-0001' });
    expect(partial.status).toBe(400);
    expect(partial.body.error.message).toMatch(/^credentials\.accessSecret: give the OAuth 1\.0a fields together/);
    const b = await put({ apiKey: 'consumer-key-0001', apiSecret: 'consumer-secret-01', accessToken: '1-access-token-01', accessSecret: 'access-secret-0001' });
    expect(b.status).toBe(200);
    expect(b.body.credentials.fields).toEqual(['accessSecret', 'accessToken', 'apiKey', 'apiSecret', 'bearerToken']);
    expect(JSON.stringify(b.body)).not.toMatch(/consumer-secret-01|access-secret-0001|test-bearer-cccc/);
  });
});
