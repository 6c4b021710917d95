import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/connector.js';
import { withSimulatedReplies } from '../../connectors/simulated-replies.js';
import { createXConnector } from '../../connectors/x/x-connector.js';
import { silentLogger } from '../../shared/log.js';
import type { Mention } from '../../shared/mention.js';
import type { Reply } from '../../shared/reply.js';
import type { Store } from '../../shared/store.js';
import { deliverReply, resumeDueReplies, type DeliveryDeps } from '../../server/operations/reply-delivery.js';
import { createReplyNetwork } from '../../server/replies/reply-sender.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { FAKE_X_USER_AUTH, FAKE_X_USER_ENV, startFakeX } from '../support/fake-x/fake-x-server.js';
import { makeNewMention } from '../support/fixtures.js';
import { ApiClient, startHarness, waitFor } from '../support/harness.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A queued reply as a sender left it: claimed by `owner` until `leaseUntil`, after `attempts` attempts. */
function stuckReply(m: Mention, over: Partial<Reply> = {}): Omit<Reply, 'id' | 'version'> {
  return {
    mentionId: m.id,
    caseId: null,
    authorId: 'u1',
    text: `Sorry about that, ${m.author.handle}`,
    idempotencyKey: `key-${m.id}-${Math.random().toString(36).slice(2, 8)}`,
    state: 'queued',
    externalId: null,
    url: null,
    error: null,
    attempts: 0,
    approvedBy: null,
    createdAt: iso(T0 - 60_000),
    sentAt: null,
    claimedBy: 'dead-process',
    leaseUntil: iso(T0 - 1000),
    attemptStartedAt: null,
    onUnverifiable: 'fail',
    ...over,
  };
}

describe('reply outbox: leases and reconciliation, one process at a time', () => {
  let fx: Awaited<ReturnType<typeof startFakeX>>;
  let dir: string;
  let store: Store;
  let x: Connector;
  let sim: Connector;
  let clock: number;
  const deps = (owner: string, connectors: () => Connector[]): DeliveryDeps => ({
    store,
    bus: { publish: () => {} },
    now: () => new Date(clock),
    log: silentLogger,
    network: createReplyNetwork(connectors, 5000),
    outbox: { owner, leaseMs: 30_000, waitMs: 1000 },
  });
  const mention = async (platform: string) => (await store.mentions.insertMany({ mentions: [makeNewMention({ platform })] })).inserted[0]!;

  beforeAll(async () => {
    fx = await startFakeX({ selfUserId: '4242' });
  });
  afterAll(() => fx.close());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-outbox-'));
    store = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
    x = createXConnector({ id: 'x', bearerToken: 'test-bearer', userAuth: FAKE_X_USER_AUTH, queries: [], baseUrl: fx.url, brandUserId: '4242' });
    sim = withSimulatedReplies({ id: 'simulator', platform: 'simulator', run: async () => {} }, { delayMs: 1, logFile: path.join(dir, 'simulated-replies.jsonl') });
    fx.posted.length = 0;
    fx.ownTweets.length = 0;
    clock = T0;
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes over a reply whose sender died (lease expired) and leaves a live lease alone until it expires', async () => {
    const m1 = await mention('x');
    const m2 = await mention('x');
    const dead = await store.replies.create({ reply: stuckReply(m1) });
    const alive = await store.replies.create({ reply: stuckReply(m2, { claimedBy: 'live-process', leaseUntil: iso(T0 + 20_000) }) });
    const b = deps('process-b', () => [x]);

    expect(await resumeDueReplies(b)).toBe(1);
    const sent = (await store.replies.get({ id: dead.id }))!;
    expect(sent).toMatchObject({ state: 'sent', attempts: 1, claimedBy: null, leaseUntil: null });
    expect(fx.posted.map((p) => p.reply!.in_reply_to_tweet_id)).toEqual([m1.externalId]);
    expect(sent.externalId).toBe(fx.ownTweets[0]!.id);
    // The live one is not due, and a direct delivery by another process leaves it alone too.
    expect((await deliverReply(b, alive.id))!.state).toBe('queued');
    expect(fx.posted).toHaveLength(1);

    clock = T0 + 20_000;
    expect(await resumeDueReplies(b)).toBe(1);
    expect((await store.replies.get({ id: alive.id }))!.state).toBe('sent');
    expect(fx.posted.map((p) => p.reply!.in_reply_to_tweet_id)).toEqual([m1.externalId, m2.externalId]);
    // The mention moved on, as after any sent reply.
    expect((await store.mentions.get({ id: m1.id }))!.triage.status).toBe('responded');
  });

  it('finds on X a reply the dead sender had posted, and does not post it again', async () => {
    const m = await mention('x');
    const draft = stuckReply(m, { attempts: 1, attemptStartedAt: iso(Date.now() - 2000), createdAt: iso(Date.now() - 3000) });
    // The dead process got as far as X: the post exists, its outcome was never recorded.
    const posted = await x.reply!({ inReplyToExternalId: m.externalId, authorHandle: m.author.handle, text: draft.text, idempotencyKey: draft.idempotencyKey });
    // And the brand account answered another post meanwhile, and this one with other text: neither is this reply.
    await x.reply!({ inReplyToExternalId: 'someone-else', authorHandle: 'z', text: draft.text, idempotencyKey: 'other-1' });
    await x.reply!({ inReplyToExternalId: m.externalId, authorHandle: 'z', text: 'A different answer', idempotencyKey: 'other-2' });
    const r = await store.replies.create({ reply: draft });
    const before = fx.posted.length;

    await resumeDueReplies(deps('process-b', () => [x]));
    expect(await store.replies.get({ id: r.id })).toMatchObject({ state: 'sent', externalId: posted.externalId, attempts: 2 });
    expect(fx.posted).toHaveLength(before);
    expect(fx.requests.some((q) => q.startsWith('GET /2/users/4242/tweets?'))).toBe(true);
    const log = await store.audit.list({ entityType: 'reply', entityId: r.id, limit: 10 });
    expect(log.items[0]).toMatchObject({ action: 'reply.sent', after: { reconciled: true } });
  });

  it("finds in the simulator's log a reply posted before the crash; posts one that is not there", async () => {
    const m1 = await mention('simulator');
    const m2 = await mention('simulator');
    const d1 = stuckReply(m1, { attempts: 1, attemptStartedAt: iso(Date.now() - 1000) });
    const posted = await sim.reply!({ inReplyToExternalId: m1.externalId, authorHandle: 'a', text: d1.text, idempotencyKey: d1.idempotencyKey });
    const r1 = await store.replies.create({ reply: d1 });
    // The second one's sender died after claiming it but before posting.
    const r2 = await store.replies.create({ reply: stuckReply(m2, { attempts: 1, attemptStartedAt: iso(Date.now() - 1000) }) });

    // A sender in another process: a fresh simulator over the same log file.
    const other = withSimulatedReplies({ id: 'simulator', platform: 'simulator', run: async () => {} }, { delayMs: 1, logFile: path.join(dir, 'simulated-replies.jsonl') });
    await resumeDueReplies(deps('process-b', () => [other]));
    expect(await store.replies.get({ id: r1.id })).toMatchObject({ state: 'sent', externalId: posted.externalId });
    expect((await store.replies.get({ id: r2.id }))!.state).toBe('sent');
    const lines = fs.readFileSync(path.join(dir, 'simulated-replies.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { inReplyTo: string }).inReplyTo)).toEqual([m1.externalId, m2.externalId]);
  });

  it('a sender that outlived its lease records nothing; the one that took over finds its post and does not post again', async () => {
    const m = await mention('x');
    const r = await store.replies.create({ reply: stuckReply(m, { claimedBy: null, leaseUntil: null }) });
    let release!: () => void;
    const posted = new Promise<void>((ok) => (release = ok));
    let resume!: () => void;
    const hold = new Promise<void>((ok) => (resume = ok));
    const slowNetwork = createReplyNetwork(() => [x], 5000);
    // A posts, then stalls before it can record the outcome (a long GC pause, a frozen VM) past its lease.
    const a: DeliveryDeps = {
      ...deps('process-a', () => [x]),
      network: {
        find: slowNetwork.find,
        post: async (platform, req) => {
          const res = await slowNetwork.post(platform, req);
          release();
          await hold;
          return res;
        },
      },
    };
    const first = deliverReply(a, r.id);
    await posted;
    clock += 31_000; // A's 30 s lease ran out
    await resumeDueReplies(deps('process-b', () => [x]));
    resume();
    await first;
    const after = (await store.replies.get({ id: r.id }))!;
    expect(after).toMatchObject({ state: 'sent', externalId: fx.ownTweets[0]!.id, attempts: 2 });
    expect(fx.posted).toHaveLength(1);
    const log = await store.audit.list({ entityType: 'reply', entityId: r.id, limit: 10 });
    expect(log.items.map((e) => e.action)).toEqual(['reply.sent']);
  });

  it('never posts a reply twice with two senders racing for the same due replies', async () => {
    const second = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
    try {
      const ms = (await store.mentions.insertMany({ mentions: Array.from({ length: 40 }, () => makeNewMention({ platform: 'x' })) })).inserted;
      for (const m of ms) await store.replies.create({ reply: stuckReply(m) });
      // Two senders with their own store connection and their own X client, as two processes have.
      const x2 = createXConnector({ id: 'x', bearerToken: 'test-bearer', userAuth: FAKE_X_USER_AUTH, queries: [], baseUrl: fx.url, brandUserId: '4242' });
      const a = deps('process-a', () => [x]);
      const b: DeliveryDeps = { ...deps('process-b', () => [x2]), store: second };
      await Promise.all([resumeDueReplies(a), resumeDueReplies(b), resumeDueReplies(a), resumeDueReplies(b)]);
      const counts = new Map<string, number>();
      for (const p of fx.posted) counts.set(p.reply!.in_reply_to_tweet_id, (counts.get(p.reply!.in_reply_to_tweet_id) ?? 0) + 1);
      expect(counts.size).toBe(40);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      for (const m of ms) expect((await store.replies.listForMention({ mentionId: m.id }))[0]!.state).toBe('sent');
    } finally {
      await second.close();
    }
  });
});

describe('reply outbox: a reply the network cannot reconcile', () => {
  let fx: Awaited<ReturnType<typeof startFakeX>>;
  beforeAll(async () => {
    fx = await startFakeX({ selfUserId: '4242' });
  });
  afterAll(() => fx.close());

  it('becomes failed with the reason, and POST /api/replies/:id/retry then posts it', async () => {
    // X without the brand account's id: Hark cannot read the account's timeline, so it cannot tell.
    const h = await startHarness({ X_BEARER_TOKEN: 'test-bearer',
      ...FAKE_X_USER_ENV, X_API_BASE_URL: fx.url, X_QUERIES: JSON.stringify([{ id: 'acme', brand: 'Acme', query: 'acme' }]), X_POLL_SECONDS: '3600', REPLY_LEASE_SECONDS: '3' });
    try {
      const agent = await h.signIn('agent');
      const me = (await agent.get('/api/auth/me')).body.user as { id: string };
      const m = (await h.hark.store.mentions.insertMany({ mentions: [makeNewMention({ platform: 'x' })] })).inserted[0]!;
      const r = await h.hark.store.replies.create({ reply: stuckReply(m, { authorId: me.id, attempts: 1, attemptStartedAt: iso(Date.now() - 5000), leaseUntil: iso(Date.now() - 1000) }) });

      const failed = await waitFor(async () => {
        const cur = (await agent.get(`/api/mentions/${m.id}/replies`)).body.items[0] as Reply;
        return cur.state === 'failed' && cur;
      }, 10_000, 'the sweep to give the reply up');
      expect(failed.error).toMatch(/may have posted this reply, and x offers no way to look for a posted reply\. Look for it on x; retry only if it is not there/);
      expect(fx.posted).toHaveLength(0);

      const retry = await agent.post(`/api/replies/${r.id}/retry`);
      expect(retry.status).toBe(200);
      expect(retry.body.reply).toMatchObject({ state: 'sent', attempts: 3, error: null });
      expect(fx.posted.map((p) => p.reply!.in_reply_to_tweet_id)).toEqual([m.externalId]);
      expect((await agent.post(`/api/replies/${r.id}/retry`)).status).toBe(409);
    } finally {
      await h.close();
    }
  });
});

describe.skipIf(!redisAvailable())('reply outbox: two API processes on one Redis and one store', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let fx: Awaited<ReturnType<typeof startFakeX>>;
  let dataDir: string;
  let apis: SpawnedHark[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    fx = await startFakeX({ selfUserId: '4242', postDelayMs: 5 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-outbox-dist-'));
  });
  afterAll(async () => {
    for (const a of apis) await a.stop();
    await redis?.stop();
    await fx?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('posts each resumed reply once however the two sweeps and the agents race', { timeout: 120_000 }, async () => {
    const env = {
      REDIS_URL: redis.url,
      SIMULATOR: 'off',
      HARK_ADMIN_EMAIL: 'boss@test.hark',
      HARK_ADMIN_PASSWORD: 'outbox-dist-pw',
      X_BEARER_TOKEN: 'test-bearer',
      ...FAKE_X_USER_ENV,
      X_API_BASE_URL: fx.url,
      X_BRAND_USER_ID: '4242',
      X_POLL_SECONDS: '3600',
      REPLY_LEASE_SECONDS: '3',
    };
    apis = [await spawnHark(env, { role: 'api', dataDir })];
    apis.push(await spawnHark(env, { role: 'api', dataDir }));
    // Replies left behind by a dead api process, written straight into the shared store.
    const store = openSqliteStore({ file: path.join(dataDir, 'hark.sqlite') });
    let ms: Mention[];
    try {
      ms = (await store.mentions.insertMany({ mentions: Array.from({ length: 60 }, () => makeNewMention({ platform: 'x' })) })).inserted;
      for (const [i, m] of ms.entries()) await store.replies.create({ reply: stuckReply(m, { attempts: i % 2, attemptStartedAt: i % 2 ? iso(Date.now() - 4000) : null, leaseUntil: iso(Date.now() - 1) }) });
    } finally {
      await store.close();
    }
    // Meanwhile agents on both processes send new replies.
    const clients = await Promise.all(
      apis.map(async (a) => {
        const c = new ApiClient(a.url);
        expect((await c.post('/api/auth/login', { email: 'boss@test.hark', password: 'outbox-dist-pw' })).status).toBe(200);
        return c;
      }),
    );
    const fresh = ms.slice(0, 20);
    const answers = await Promise.all(fresh.map((m, i) => clients[i % 2]!.post(`/api/mentions/${m.id}/replies`, { text: `Second answer to ${m.author.handle}`, idempotencyKey: `dist-key-${m.id}` })));
    expect(answers.map((a) => a.status === 201 || a.body)).toEqual(answers.map(() => true));

    await waitFor(
      async () => {
        const all = await Promise.all(ms.map(async (m) => (await clients[0]!.get(`/api/mentions/${m.id}/replies`)).body.items as Reply[]));
        return all.every((rs) => rs.every((r) => r.state === 'sent'));
      },
      30_000,
      'every reply sent',
    );
    const counts = new Map<string, number>();
    for (const p of fx.posted) counts.set(`${p.reply!.in_reply_to_tweet_id} ${p.text}`, (counts.get(`${p.reply!.in_reply_to_tweet_id} ${p.text}`) ?? 0) + 1);
    expect(counts.size).toBe(80);
    expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]);
  });
});
