import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, waitFor } from '../support/harness.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';
import { FAKE_X_USER_ENV, startFakeX } from '../support/fake-x/fake-x-server.js';

/**
 * issue 9: `kill -9` of the API during 200 reply sends used to leave replies
 * `queued` forever. Here real server processes send 100 replies to the
 * simulator and 100 to a local X; the first process is killed mid-way, a
 * second one starts on the same data, the client re-sends what it never got
 * an answer for (same idempotency keys), and then every reply must end sent
 * or failed, none queued, none posted twice, counted on the networks' side.
 */
describe('replies survive kill -9 of the API', () => {
  let fx: Awaited<ReturnType<typeof startFakeX>>;
  let dataDir: string;
  let proc: SpawnedHark | null = null;
  const N = 100;

  beforeAll(async () => {
    fx = await startFakeX({ selfUserId: '4242', postDelayMs: 40 });
    fx.addUser({ id: '4242', username: 'acmehelp', name: 'Acme Help', public_metrics: { followers_count: 100 } });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-fault-replies-'));
  });
  afterAll(async () => {
    if (proc) await proc.stop();
    await fx.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({
    SIMULATOR: 'on',
    SIMULATOR_RATE: '0',
    X_BEARER_TOKEN: 'test-bearer',
      ...FAKE_X_USER_ENV,
    X_API_BASE_URL: fx.url,
    X_BRAND_USER_ID: '4242',
    X_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme' }]),
    X_POLL_SECONDS: '3600',
    REPLY_LEASE_SECONDS: '5',
  });

  async function signIn(p: SpawnedHark) {
    const manager = p.demo.find((d) => d.role === 'manager')!;
    const c = new ApiClient(p.url);
    expect((await c.post('/api/auth/login', { email: manager.email, password: manager.password })).status).toBe(200);
    return c;
  }

  it('ends every reply sent or failed, none queued, none posted twice', { timeout: 120_000 }, async () => {
    proc = await spawnHark(env(), { dataDir });
    let c = await signIn(proc);
    for (const platform of ['simulator', 'x']) {
      const lines = Array.from({ length: N }, (_, i) => JSON.stringify({ id: `${platform}-m${i}`, text: `acme my order ${i} never arrived`, author: `cust${i}` })).join('\n');
      const imp = await c.post(`/api/import?platform=${platform}`, lines);
      expect(imp.body).toMatchObject({ stored: N });
    }
    const mentions = [...(await c.get('/api/mentions?platform=simulator&limit=200')).body.items, ...(await c.get('/api/mentions?platform=x&limit=200')).body.items] as Array<{
      id: string;
      platform: string;
      externalId: string;
    }>;
    expect(mentions).toHaveLength(2 * N);
    const sends = mentions.map((m, i) => ({ m, body: { text: `Sorry about order ${i}, we are on it`, idempotencyKey: `fault-key-${i}-${m.id}` } }));

    // 20 agents' clicks at a time; the process dies while they are in flight.
    const answered = new Set<string>();
    let next = 0;
    const client = c;
    const lanes = Array.from({ length: 20 }, async () => {
      while (next < sends.length) {
        const s = sends[next++]!;
        try {
          const r = await client.post(`/api/mentions/${s.m.id}/replies`, s.body);
          if (r.status === 201 || r.status === 200) answered.add(s.m.id);
        } catch {
          return; // the server is gone
        }
      }
    });
    await waitFor(() => fx.posted.length >= 30, 60_000, 'some posts on X');
    process.kill(proc.pid, 'SIGKILL');
    await Promise.all(lanes);
    await proc.stop();
    const postedBeforeRestart = fx.posted.length;
    expect(postedBeforeRestart).toBeGreaterThan(0);
    expect(answered.size).toBeLessThan(2 * N); // the kill really cut sends short

    proc = await spawnHark(env(), { dataDir });
    c = await signIn(proc);
    // The client re-sends what it never got an answer for, with the same keys, as the composer does after a reconnect.
    for (const s of sends) if (!answered.has(s.m.id)) expect([200, 201]).toContain((await c.post(`/api/mentions/${s.m.id}/replies`, s.body)).status);

    const replies = await waitFor(
      async () => {
        const all = await Promise.all(mentions.map(async (m) => ((await c.get(`/api/mentions/${m.id}/replies`)).body.items as Array<{ state: string; externalId: string | null; mentionId: string }>)));
        return all.every((r) => r.length === 1 && (r[0]!.state === 'sent' || r[0]!.state === 'failed')) ? all.map((r) => r[0]!) : false;
      },
      60_000,
      'every reply to end sent or failed',
    );
    expect(replies.filter((r) => r.state === 'queued')).toHaveLength(0);

    const byId = new Map(mentions.map((m) => [m.id, m]));
    // X: one post per mention answered, and a sent reply carries the id of that post.
    const xPosts = new Map<string, number>();
    for (const p of fx.posted) xPosts.set(p.reply!.in_reply_to_tweet_id, (xPosts.get(p.reply!.in_reply_to_tweet_id) ?? 0) + 1);
    expect([...xPosts.values()].filter((n) => n > 1)).toEqual([]);
    // The simulator's own log, which it keeps in the data directory like a network keeps its posts.
    const simLog = fs
      .readFileSync(path.join(dataDir, 'simulated-replies.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; inReplyTo: string });
    const simPosts = new Map<string, number>();
    for (const p of simLog) simPosts.set(p.inReplyTo, (simPosts.get(p.inReplyTo) ?? 0) + 1);
    expect([...simPosts.values()].filter((n) => n > 1)).toEqual([]);

    for (const r of replies) {
      const m = byId.get(r.mentionId)!;
      const posts = m.platform === 'x' ? xPosts : simPosts;
      if (r.state === 'sent') {
        expect(posts.get(m.externalId)).toBe(1);
        const ids = m.platform === 'x' ? fx.ownTweets.filter((t) => t.referenced_tweets?.[0]?.id === m.externalId).map((t) => t.id) : simLog.filter((p) => p.inReplyTo === m.externalId).map((p) => p.id);
        expect(ids).toEqual([r.externalId]);
      }
    }
    // Both networks can tell, so nothing had to be given up.
    expect(replies.filter((r) => r.state !== 'sent').map((r) => `${byId.get(r.mentionId)!.platform}: ${(r as { error?: string }).error}`)).toEqual([]);
    // The kill landed between posts and their outcomes: some replies were found on the network instead of posted again.
    const reconciled: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page = (await c.get(`/api/audit?entityType=reply&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).body as { items: Array<{ action: string; after: { reconciled?: boolean } }>; nextCursor: string | null };
      reconciled.push(...page.items.filter((e) => e.action === 'reply.sent' && e.after.reconciled));
      cursor = page.nextCursor;
    } while (cursor);
    expect(reconciled.length).toBeGreaterThan(0);
    // And the mentions answered moved on from `new`.
    const stillNew = (await c.get('/api/mentions?status=new&limit=200')).body.items as unknown[];
    expect(stillNew).toHaveLength(0);
  });
});
