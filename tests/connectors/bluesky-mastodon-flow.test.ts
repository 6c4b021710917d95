import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { startFakeBluesky, type FakeBluesky } from '../support/fake-bluesky/fake-bluesky-server.js';
import { startFakeMastodon, type FakeMastodon } from '../support/fake-mastodon/fake-mastodon-server.js';
import { startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';

const KEY = 'k'.repeat(16) + 'an-example-secret-of-32+chars';

/**
 * The real server with Bluesky and Mastodon configured from env: mentions
 * from both fakes reach the queue through the pipeline, replies go out once
 * per key, and admins manage both networks (credentials sealed) on the
 * Settings API.
 */
describe('Bluesky and Mastodon through the real server', () => {
  let b: FakeBluesky;
  let m: FakeMastodon;
  let h: Harness;
  let agent: ApiClient;
  let admin: ApiClient;
  const lines: string[] = [];
  beforeAll(async () => {
    b = await startFakeBluesky();
    m = await startFakeMastodon();
    const log = createLogger('debug', {}, (line) => void lines.push(line));
    h = await startHarness(
      {
        HARK_SECRET_KEY: KEY,
        BLUESKY_JETSTREAM_URL: b.jetstreamUrl,
        BLUESKY_APPVIEW_URL: b.url,
        BLUESKY_SERVICE: b.url,
        BLUESKY_HANDLE: b.account.handle,
        BLUESKY_APP_PASSWORD: b.account.appPassword,
        BLUESKY_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme (refund OR delayed)' }]),
        MASTODON_INSTANCES: m.origin,
        MASTODON_ACCESS_TOKENS: `${m.host}=brand-token-0001`,
        MASTODON_HASHTAGS: '#AcmeAir',
        MASTODON_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme (refund OR delayed)' }]),
      },
      { log },
    );
    [agent, admin] = await Promise.all([h.signIn('agent'), h.signIn('admin')]);
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([b?.close(), m?.close()]);
  });

  it('takes Bluesky mentions into the queue and replies once, in the thread', async () => {
    await waitFor(() => b.connections() === 1, 8000, 'jetstream connected');
    const dora = b.addActor('dora.bsky.social', 8800, 'Dora');
    const post = b.addPost(dora.did, 'Acme delayed my bags and no refund yet', { langs: ['en'] });
    const mention = await waitFor(async () => (await agent.get('/api/mentions?platform=bluesky')).body.items[0], 8000, 'bluesky mention');
    expect(mention).toMatchObject({ platform: 'bluesky', externalId: post.uri, brand: 'Acme', author: { handle: 'dora.bsky.social', followers: 8800 } });
    const key = 'reply-bsky-000001';
    const sent = await agent.post(`/api/mentions/${mention.id}/replies`, { text: 'Sorry Dora, a refund is on its way.', idempotencyKey: key });
    expect(sent.status).toBeLessThan(300);
    expect(sent.body.reply ?? sent.body).toMatchObject({ state: 'sent' });
    await agent.post(`/api/mentions/${mention.id}/replies`, { text: 'Sorry Dora, a refund is on its way.', idempotencyKey: key });
    expect(b.created).toHaveLength(1);
    expect(b.created[0]!.record.reply).toEqual({ root: { uri: post.uri, cid: post.cid }, parent: { uri: post.uri, cid: post.cid } });
  });

  it('takes Mastodon mentions into the queue and replies once with in_reply_to_id', async () => {
    await waitFor(() => m.connections() === 1 && m.subscriptions()[0]?.length === 2, 8000, 'mastodon stream connected');
    const ann = m.account('ann', 120, 'Ann');
    const st = m.addStatus(ann, 'acme refund still missing #AcmeAir');
    const mention = await waitFor(async () => (await agent.get('/api/mentions?platform=mastodon')).body.items[0], 8000, 'mastodon mention');
    expect(mention).toMatchObject({ platform: 'mastodon', externalId: st.uri, author: { handle: `ann@${m.host}`, followers: 120 } });
    const key = 'reply-masto-00001';
    const sent = await agent.post(`/api/mentions/${mention.id}/replies`, { text: 'We are on it, Ann.', idempotencyKey: key });
    expect(sent.body.reply ?? sent.body).toMatchObject({ state: 'sent' });
    await agent.post(`/api/mentions/${mention.id}/replies`, { text: 'We are on it, Ann.', idempotencyKey: key });
    expect(m.posted).toEqual([{ status: `@ann@${m.host} We are on it, Ann.`, in_reply_to_id: st.id, token: 'brand-token-0001', idempotencyKey: key }]);
  });

  it('shows both networks with health, and seals credentials entered by admins', async () => {
    const nets = (await admin.get('/api/networks')).body.networks as Array<{ network: string; health: { state: string; stream: { connected: boolean } } | null; credentials: { source: string; fields: string[] } }>;
    expect(nets.map((n) => n.network)).toEqual(['x', 'reddit', 'bluesky', 'mastodon']);
    expect(nets.find((n) => n.network === 'bluesky')).toMatchObject({ credentials: { source: 'env', fields: ['appPassword', 'handle'] }, health: { state: 'ok', stream: { connected: true } } });
    expect(nets.find((n) => n.network === 'mastodon')).toMatchObject({ credentials: { source: 'env', fields: [`tokens.${m.host}`] }, health: { state: 'ok' } });
    const connections = b.subscriptions.length;
    const put = await admin.request('PUT', '/api/networks/bluesky', { version: 0, settings: { enabled: true, backfillPages: 1 }, credentials: { handle: b.account.handle, appPassword: 'sealed-app-pass-9' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ credentials: { source: 'ui', fields: ['appPassword', 'handle'] }, restarted: ['bluesky'] });
    expect(JSON.stringify(put.body)).not.toContain('sealed-app-pass-9');
    await waitFor(() => b.subscriptions.length > connections, 5000, 'bluesky restarted');
    const bad = await admin.request('PUT', '/api/networks/mastodon', { version: 0, settings: { enabled: true, instances: ['not a url'], hashtags: [], timeline: 'public', replyInstance: null } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/instances/);
    const tok = await admin.request('PUT', '/api/networks/mastodon', { version: 0, credentials: { tokens: { [m.host]: 'brand-token-0001', 'other.example': 'another-token-123' } } });
    expect(tok.body.credentials.fields).toEqual(['tokens.127.0.0.1:' + m.host.split(':')[1], 'tokens.other.example'].sort());
    const bytes = fs.readdirSync(h.dataDir).filter((f) => f.startsWith('hark.sqlite')).map((f) => fs.readFileSync(path.join(h.dataDir, f)).toString('latin1')).join('');
    expect(bytes).not.toContain('sealed-app-pass-9');
    expect(bytes).not.toContain('another-token-123');
    expect(lines.join('\n')).not.toContain('sealed-app-pass-9');
    expect(lines.join('\n')).not.toContain(b.account.appPassword);
  });
});

describe('Bluesky and Mastodon environment', () => {
  const bad = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    return null;
  };
  it('is validated with messages naming the variable', () => {
    expect(bad({ BLUESKY_HANDLE: 'acme.bsky.social' })).toMatch(/BLUESKY_APP_PASSWORD: set BLUESKY_HANDLE and BLUESKY_APP_PASSWORD together/);
    expect(bad({ BLUESKY_JETSTREAM_URL: 'https://jetstream.example/subscribe' })).toMatch(/BLUESKY_JETSTREAM_URL: .*wss:/);
    expect(bad({ MASTODON_INSTANCES: 'mastodon.social,not an instance' })).toMatch(/MASTODON_INSTANCES: "not an instance"/);
    expect(bad({ MASTODON_INSTANCES: 'mastodon.social', MASTODON_ACCESS_TOKENS: 'fosstodon.org=abcdefghijkl' })).toMatch(/MASTODON_ACCESS_TOKENS names fosstodon.org/);
    expect(bad({ MASTODON_ACCESS_TOKENS: 'justatoken' })).toMatch(/MASTODON_ACCESS_TOKENS is a comma-separated list of instance=token/);
    expect(bad({ MASTODON_TIMELINE: 'home' })).toMatch(/MASTODON_TIMELINE is public, local or none/);
    expect(bad({ MASTODON_HASHTAGS: 'ok,not-ok' })).toMatch(/MASTODON_HASHTAGS/);
    expect(bad({ BLUESKY_QUERIES: '[{' })).toMatch(/BLUESKY_QUERIES must be JSON/);
    const c = loadConfig({ MASTODON_INSTANCES: 'mastodon.social, https://fosstodon.org/', MASTODON_ACCESS_TOKENS: 'mastodon.social=abcdefghijkl', MASTODON_HASHTAGS: '#Acme,acmeair' });
    expect(c.mastodon).toMatchObject({ enabled: true, instances: ['https://mastodon.social', 'https://fosstodon.org'], tokens: { 'mastodon.social': 'abcdefghijkl' }, hashtags: ['Acme', 'acmeair'], timeline: 'public' });
    expect(loadConfig({}).bluesky).toMatchObject({ enabled: false, credentials: null, jetstreamUrl: 'wss://jetstream2.us-east.bsky.network/subscribe', appviewUrl: 'https://public.api.bsky.app', service: 'https://bsky.social' });
  });
});
