import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MentionBatch } from '../../shared/events.js';
import { rawMention, startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';

describe('triage workflow', () => {
  let h: Harness;
  let ana: ApiClient;
  let ben: ApiClient;
  let boss: ApiClient;
  beforeAll(async () => {
    h = await startHarness();
    [ana, ben, boss] = await Promise.all([h.signIn('agent'), h.signIn('agent'), h.signIn('manager')]);
  });
  afterAll(() => h.close());

  const fresh = async (n = 1) => (await h.hark.ingest(Array.from({ length: n }, (_, i) => rawMention(i * 2 + 1)))).stored;

  it('lets exactly one of two agents claiming at once win; the other gets 409 naming the holder', async () => {
    const [m] = await fresh();
    const [a, b] = await Promise.all([ana.post(`/api/mentions/${m!.id}/claim`, { version: 1 }), ben.post(`/api/mentions/${m!.id}/claim`, { version: 1 })]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winnerName = (a.status === 200 ? await ana.get('/api/auth/me') : await ben.get('/api/auth/me')).body.user.name;
    expect(loser.body.error.message).toContain(winnerName);
    expect(loser.body.error.details.heldBy.name).toBe(winnerName);
    const stored = await ana.get(`/api/mentions/${m!.id}`);
    expect(stored.body.mention.triage.status).toBe('claimed');
    expect(stored.body.mention.version).toBe(2);
  });

  it('runs twenty parallel claims on one mention with exactly one winner', async () => {
    const [m] = await fresh();
    const agents = await Promise.all(Array.from({ length: 5 }, () => h.signIn('agent')));
    const results = await Promise.all(agents.flatMap((c) => [1, 2, 3, 4].map(() => c.post(`/api/mentions/${m!.id}/claim`, { version: 1 }))));
    const winners = new Set(results.filter((r) => r.status === 200).map((r) => r.body.mention.triage.assignee));
    expect(winners.size).toBe(1);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
  });

  it('releases, dismisses with a reason, watches, snoozes and tags, each recorded in the audit log', async () => {
    const [m] = await fresh();
    let v = 1;
    const step = async (client: ApiClient, path: string, body: object, status = 200) => {
      const res = await client.post(`/api/mentions/${m!.id}/${path}`, { version: v, ...body });
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(status);
      if (status === 200) v = res.body.mention.version;
      return res.body;
    };
    await step(ana, 'claim', {});
    await step(ben, 'release', {}, 403);
    await step(ana, 'tags', { add: ['billing', 'VIP'] });
    await step(ana, 'release', {});
    await step(ana, 'watch', {});
    const snoozed = await step(ana, 'snooze', { until: new Date(Date.now() + 3_600_000).toISOString() });
    expect(snoozed.mention.triage.status).toBe('snoozed');
    await step(ana, 'snooze', { until: '2001-01-01T00:00:00Z' }, 400);
    const dismissed = await step(ana, 'dismiss', { reason: 'not about us' });
    expect(dismissed.mention.triage).toMatchObject({ status: 'dismissed', dismissReason: 'not about us', tags: ['billing', 'vip'] });
    const stale = await ana.post(`/api/mentions/${m!.id}/watch`, { version: 1 });
    expect(stale.status).toBe(409);
    const missing = await ana.post(`/api/mentions/${m!.id}/dismiss`, { version: v });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^reason/);

    const log = await boss.get(`/api/audit?entityType=mention&entityId=${m!.id}`);
    expect(log.body.items.map((e: any) => e.action).reverse()).toEqual(['mention.claimed', 'mention.tagged', 'mention.released', 'mention.watched', 'mention.snoozed', 'mention.dismissed']);
    expect(log.body.items[0].before.status).toBe('snoozed');
    expect(log.body.items[0].after.status).toBe('dismissed');
  });

  it('keeps internal notes on the mention', async () => {
    const [m] = await fresh();
    expect((await ana.post(`/api/mentions/${m!.id}/notes`, { text: 'Called them back' })).status).toBe(201);
    const ctx = await ben.get(`/api/mentions/${m!.id}/context`);
    expect(ctx.body.timeline.map((e: any) => e.data.text)).toEqual(['Called them back']);
  });

  it('hands "next" the highest-priority unclaimed mention, never the same one to two agents', async () => {
    await h.hark.ingest(Array.from({ length: 6 }, (_, i) => rawMention(100 + i)));
    const [a, b] = await Promise.all([ana.post('/api/queue/next'), ben.post('/api/queue/next')]);
    expect(a.body.mention.id).not.toBe(b.body.mention.id);
    const open = await ana.get('/api/mentions?status=new&assignee=none&limit=1');
    const top = Math.max(a.body.mention.scores.priority.score, b.body.mention.scores.priority.score);
    expect(open.body.items[0].scores.priority.score).toBeLessThanOrEqual(top);
  });

  it('applies bulk actions one by one and reports each failure', async () => {
    const ms = await fresh(3);
    await ben.post(`/api/mentions/${ms[0]!.id}/claim`, { version: 1 });
    const res = await ana.post('/api/queue/bulk', { ids: [...ms.map((m) => m.id), '999999'], action: 'dismiss', reason: 'spam wave' });
    expect(res.status).toBe(200);
    expect(res.body.ok.sort()).toEqual([ms[1]!.id, ms[2]!.id].sort());
    expect(res.body.failed.map((f: any) => f.code).sort()).toEqual(['forbidden', 'not_found']);
    const bad = await ana.post('/api/queue/bulk', { ids: [ms[0]!.id], action: 'snooze' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^until/);
  });

  it('streams every change to every open queue', async () => {
    const [m] = await fresh();
    const s = ben.socket();
    const updates: MentionBatch[] = [];
    s.on('mention.updated', (b) => updates.push(b));
    await new Promise((r) => s.emit('room.join', { room: 'queue' }, r));
    await ana.post(`/api/mentions/${m!.id}/claim`, { version: 1 });
    const seen = await waitFor(() => updates.flatMap((u) => u.mentions).find((x) => x.id === m!.id), 3000, 'mention.updated');
    expect(seen.triage.status).toBe('claimed');
    s.close();
  });
});
