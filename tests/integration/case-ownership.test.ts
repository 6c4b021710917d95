import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawMention, startHarness, type ApiClient, type Harness } from '../support/harness.js';

/** Issue 11 item 5: a case someone holds is changed only by its holder or a manager. */
describe('case ownership', () => {
  let h: Harness;
  let ana: ApiClient;
  let bob: ApiClient;
  let boss: ApiClient;
  let bossId: string;
  let anaId: string;
  beforeAll(async () => {
    h = await startHarness();
    [ana, bob, boss] = await Promise.all([h.signIn('agent'), h.signIn('agent'), h.signIn('manager')]);
    bossId = (await boss.get('/api/auth/me')).body.user.id;
    anaId = (await ana.get('/api/auth/me')).body.user.id;
  });
  afterAll(() => h.close());

  const caseHeldBy = async (client: ApiClient) => {
    const m = (await h.hark.ingest([rawMention(1)])).stored[0]!;
    const res = await client.post('/api/cases', { mentionIds: [m.id], priority: 'high' });
    expect(res.status).toBe(201);
    return res.body.case as { id: string; version: number; assignee: string; priority: string; status: string };
  };
  const patch = (client: ApiClient, id: string, body: unknown) => client.request('PATCH', `/api/cases/${id}`, body);

  it("refuses an agent taking, closing or lowering a manager's case, and leaves it unchanged", async () => {
    const kase = await caseHeldBy(boss);
    expect(kase.assignee).toBe(bossId);
    for (const change of [{ assignee: anaId }, { status: 'closed' }, { priority: 'low' }, { assignee: null }]) {
      const res = await patch(ana, kase.id, { version: kase.version, ...change });
      expect(res.status, JSON.stringify(change)).toBe(403);
      expect(res.body.error.message).toMatch(/holder|manager/i);
    }
    const after = (await ana.get(`/api/cases/${kase.id}`)).body.case;
    expect(after).toMatchObject({ assignee: bossId, priority: 'high', status: 'open', version: kase.version });
    // Notes stay open to everyone: they change nothing of the case's state.
    expect((await ana.post(`/api/cases/${kase.id}/notes`, { text: 'customer called again' })).status).toBe(201);
  });

  it("refuses an agent changing another agent's case", async () => {
    const kase = await caseHeldBy(bob);
    expect((await patch(ana, kase.id, { version: kase.version, status: 'resolved' })).status).toBe(403);
    expect((await patch(ana, kase.id, { version: kase.version, assignee: anaId })).status).toBe(403);
  });

  it('lets the holder close and reprioritize it, and a manager reassign anyone', async () => {
    const kase = await caseHeldBy(ana);
    const lowered = await patch(ana, kase.id, { version: kase.version, priority: 'low' });
    expect(lowered.status).toBe(200);
    const moved = await patch(boss, kase.id, { version: lowered.body.case.version, assignee: bossId });
    expect(moved.status).toBe(200);
    const closed = await patch(boss, kase.id, { version: moved.body.case.version, status: 'closed' });
    expect(closed.body.case.status).toBe('closed');
  });

  it('lets an agent take an unassigned case, but not hand it to someone else', async () => {
    const kase = await caseHeldBy(boss);
    const freed = await patch(boss, kase.id, { version: kase.version, assignee: null });
    expect(freed.body.case.assignee).toBeNull();
    expect((await patch(ana, kase.id, { version: freed.body.case.version, assignee: bossId })).status).toBe(403);
    const taken = await patch(ana, kase.id, { version: freed.body.case.version, assignee: anaId });
    expect(taken.status).toBe(200);
    expect(taken.body.case.assignee).toBe(anaId);
  });
});
