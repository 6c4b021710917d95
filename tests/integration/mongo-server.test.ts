import { afterAll, describe, expect, it } from 'vitest';
import type { MentionBatch } from '../../shared/events.js';
import type { Mention } from '../../shared/mention.js';
import { ApiClient, waitFor } from '../support/harness.js';
import { dropMongoDatabase, freshMongoUri, MONGODB_URI, skipMongoReason } from '../support/mongo.js';
import { spawnHark, type SpawnedHark } from '../support/spawn-hark.js';

/** `STORE=mongo npm start` is the full product: the real server on MongoDB, through a restart. */
describe.runIf(MONGODB_URI)('the server on MongoDB (STORE=mongo), across a restart', () => {
  const uri = MONGODB_URI ? freshMongoUri('hark_server') : '';
  const env = { STORE: 'mongo', MONGODB_URI: uri, SIMULATOR_RATE: '10', REALTIME_BATCH_MS: '100' };
  let proc: SpawnedHark | null = null;
  afterAll(async () => {
    await proc?.stop();
    if (uri) await dropMongoDatabase(uri);
  });

  it('streams simulated mentions to the queue; a claim, a reply and a case survive the restart', async () => {
    proc = await spawnHark(env);
    expect(proc.output()).toMatch(/store: MongoDB at mongodb:\/\/127\.0\.0\.1/);
    const agentLogin = proc.demo.find((d) => d.role === 'agent')!;
    const agent = new ApiClient(proc.url);
    expect((await agent.post('/api/auth/login', { email: agentLogin.email, password: agentLogin.password })).status).toBe(200);

    // Live: simulated mentions arrive on the queue room over the socket.
    const s = agent.socket();
    const live: Mention[] = [];
    s.on('mention.created', (b: MentionBatch) => live.push(...b.mentions));
    const ack = await new Promise<{ ok: boolean }>((resolve) => s.emit('room.join', { room: 'queue' }, resolve));
    expect(ack.ok).toBe(true);
    await waitFor(() => live.length >= 3, 20_000, 'simulated mentions on the socket');
    const m = live[0]!;
    expect(m.demo).toBe(true);

    // Claim (compare-and-set on the version), reply, escalate into a case.
    const claim = await agent.post(`/api/mentions/${m.id}/claim`, { version: m.version });
    expect(claim.status).toBe(200);
    const reply = await agent.post(`/api/mentions/${m.id}/replies`, { text: 'Sorry about that, we are on it', idempotencyKey: `restart-${Date.now()}` });
    expect(reply.status).toBeLessThan(300);
    const sent = await waitFor(async () => {
      const r = await agent.get(`/api/mentions/${m.id}/replies`);
      return r.body.items.find((x: { state: string }) => x.state === 'sent');
    }, 10_000, 'reply sent through the simulator');
    const created = await agent.post('/api/cases', { mentionIds: [m.id], note: 'Needs a refund' });
    expect(created.status).toBe(201);
    const kase = created.body.case;
    expect(kase.number).toMatch(/^HK-\d+$/);
    const before = (await agent.get(`/api/mentions/${m.id}`)).body.mention as Mention;
    const countBefore = (await agent.get('/api/mentions?limit=200')).body.items.length as number;
    s.close();

    // Restart on the same database: everything is still there, and the old session still signs in.
    expect(await proc.stop()).toBe(0);
    proc = await spawnHark({ ...env, SIMULATOR: 'off' });
    const again = new ApiClient(proc.url);
    again.cookie = agent.cookie;
    expect((await again.get('/api/auth/me')).status).toBe(200);
    const after = (await again.get(`/api/mentions/${m.id}`)).body.mention as Mention;
    expect(after).toEqual(before);
    expect(after.triage.status).toBe('escalated');
    expect(after.caseId).toBe(kase.id);
    const replies = (await again.get(`/api/mentions/${m.id}/replies`)).body.items as Array<{ id: string; state: string; text: string }>;
    expect(replies.map((r) => [r.id, r.state])).toEqual([[sent.id, 'sent']]);
    const storedCase = (await again.get(`/api/cases/${kase.id}`)).body;
    expect(storedCase.case).toMatchObject({ id: kase.id, number: kase.number, mentionIds: [m.id] });
    expect(storedCase.timeline.length).toBeGreaterThan(0);
    expect(((await again.get('/api/mentions?limit=200')).body.items as unknown[]).length).toBeGreaterThanOrEqual(countBefore);
    // And new work continues from there: the next case gets the next number.
    const m2 = live[1]!;
    const next = await again.post('/api/cases', { mentionIds: [m2.id] });
    expect(Number(next.body.case.number.slice(3))).toBe(Number(kase.number.slice(3)) + 1);
  }, 90_000);
});

if (!MONGODB_URI) {
  describe('the server on MongoDB', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}
