import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyRequest } from '../../shared/connector-ports.js';
import type { Connector } from '../../connectors/connector.js';
import type { Notice } from '../../shared/notice.js';
import { rawMention, startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';

function recordingConnector() {
  const posted: ReplyRequest[] = [];
  const connector: Connector = {
    id: 'recorder',
    platform: 'x',
    async run({ signal }) {
      await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
    },
    async reply(req) {
      await new Promise((r) => setTimeout(r, 30));
      posted.push(req);
      return { externalId: `r${posted.length}`, url: `https://x.example/r${posted.length}` };
    },
  };
  return { connector, posted };
}

describe('the support workspace over the API', () => {
  let h: Harness;
  let rec: ReturnType<typeof recordingConnector>;
  let ana: ApiClient;
  let bob: ApiClient;
  let boss: ApiClient;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    rec = recordingConnector();
    h = await startHarness({}, { connectors: [rec.connector] });
    [ana, bob, boss] = await Promise.all([h.signIn('agent'), h.signIn('agent'), h.signIn('manager')]);
    for (const [name, c] of Object.entries({ ana, bob, boss })) {
      ids[name] = (await c.get('/api/auth/me')).body.user.id;
      await h.hark.store.users.update({ id: ids[name]!, patch: { teams: ['support'] } });
    }
  });
  afterAll(() => h.close());

  const mention = async (i: number) => (await h.hark.ingest([rawMention(i)])).stored[0]!;
  const key = () => `k-${Math.random().toString(36).slice(2, 12)}`;
  const escalate = async (c: ApiClient, body: Record<string, unknown>) => {
    const r = await c.post('/api/cases', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.case;
  };

  it('offers the escalation defaults: title from the mention, the priority its score gives, the lists', async () => {
    const m = await mention(1);
    const d = await ana.get(`/api/cases/escalation-defaults?mentionId=${m.id}`);
    expect(d.status).toBe(200);
    expect(d.body.title).toContain(`@${m.author.handle}:`);
    expect(['urgent', 'high', 'normal', 'low']).toContain(d.body.priority);
    expect(d.body.categories).toContain('billing');
    expect((await ana.get('/api/cases/escalation-defaults')).body.error.details?.[0]?.field ?? '').toContain('mentionId');
  });

  it('offers an open case of the same customer first, and attaches to it', async () => {
    const author = { handle: 'repeat_rita', followers: 40 };
    const [m1, m2] = (await h.hark.ingest([rawMention(31, { author }), rawMention(33, { author })])).stored;
    const cust = await ana.post('/api/customers', { name: 'Rita', identities: [{ platform: 'x', handle: 'repeat_rita' }], notes: 'flies weekly' });
    expect(cust.status).toBe(201);
    const first = await escalate(ana, { mentionIds: [m1!.id], team: 'support' });
    expect(first.customerId).toBe(cust.body.customer.id);
    const d = await ana.get(`/api/cases/escalation-defaults?mentionId=${m2!.id}`);
    expect(d.body.openCases.map((c: { id: string }) => c.id)).toEqual([first.id]);
    const attached = await ana.post('/api/cases', { mentionIds: [m2!.id], attachTo: first.id });
    expect(attached.body.case.mentionIds).toEqual([m1!.id, m2!.id]);
    const w = (await ana.get(`/api/cases/${first.id}/workspace`)).body;
    expect(w.customer.customer.name).toBe('Rita');
    expect(w.customer.customer.notes).toBe('flies weekly');
    expect(w.customer.history.length).toBeGreaterThanOrEqual(2);
  });

  it('filters and counts the case queue in the store, by team, SLA state and category', async () => {
    const a = await escalate(ana, { mentionIds: [(await mention(3)).id], team: 'support', category: 'billing', priority: 'urgent' });
    await escalate(ana, { mentionIds: [(await mention(5)).id], team: 'tier2', category: 'outage' });
    const q = await ana.get('/api/cases/queue?team=support&status=open,pending');
    expect(q.status).toBe(200);
    expect(q.body.items.map((c: { id: string }) => c.id)).toContain(a.id);
    expect(q.body.items.every((c: { team: string }) => c.team === 'support')).toBe(true);
    expect(q.body.counts.on_track).toBeGreaterThanOrEqual(1);
    expect(q.body.counts.breached).toBe(0);
    const cat = await ana.get('/api/cases/queue?category=outage');
    expect(cat.body.items.map((c: { category: string }) => c.category)).toEqual(['outage']);
    const bad = await ana.get('/api/cases/queue?sla=late');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('sla');
    const unknownCategory = await ana.post('/api/cases', { mentionIds: [(await mention(7)).id], category: 'astrology' });
    expect(unknownCategory.status).toBe(400);
  });

  it('pauses the clocks while pending and moves the due times on by the pause', async () => {
    const k = await escalate(ana, { mentionIds: [(await mention(9)).id], team: 'support' });
    const pending = await ana.request('PATCH', `/api/cases/${k.id}`, { version: k.version, status: 'pending' });
    expect(pending.status).toBe(200);
    expect(pending.body.case.sla.pausedAt).toBeTruthy();
    expect(pending.body.case.sla.nextDueAt).toBeNull();
    await new Promise((r) => setTimeout(r, 1200));
    const back = await ana.request('PATCH', `/api/cases/${k.id}`, { version: pending.body.case.version, status: 'open' });
    expect(back.body.case.sla.pausedAt).toBeNull();
    expect(back.body.case.sla.pausedMinutes).toBeGreaterThan(0);
    expect(Date.parse(back.body.case.sla.firstResponseDueAt) - Date.parse(k.sla.firstResponseDueAt)).toBeGreaterThanOrEqual(1000);
    const kinds = (await ana.get(`/api/cases/${k.id}`)).body.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['sla_paused', 'sla_resumed']));
  });

  it('tells an @mentioned colleague at once on their socket, once, and keeps it in their inbox', async () => {
    const k = await escalate(ana, { mentionIds: [(await mention(11)).id], team: 'support' });
    const bobSocket = bob.socket();
    const bossSocket = boss.socket();
    const got: Notice[] = [];
    const bossGot: Notice[] = [];
    bobSocket.on('notice.created', (m) => got.push(m.notice));
    bossSocket.on('notice.created', (m) => bossGot.push(m.notice));
    await Promise.all([new Promise((r) => bobSocket.on('connect', () => r(null))), new Promise((r) => bossSocket.on('connect', () => r(null)))]);
    const note = await ana.post(`/api/cases/${k.id}/notes`, { text: '@bob can you check the refund?', mentions: [ids.bob] });
    expect(note.status).toBe(201);
    await waitFor(() => got.length === 1, 3000, 'bob notice');
    expect(got[0]).toMatchObject({ kind: 'mentioned', link: `#/cases/${k.id}`, caseId: k.id });
    await new Promise((r) => setTimeout(r, 200));
    expect(bossGot).toEqual([]);
    const inbox = await bob.get('/api/notices');
    expect(inbox.body.unread).toBe(1);
    expect(inbox.body.items[0].message).toContain(k.number);
    // Marking another user's notice read does nothing.
    expect((await boss.post('/api/notices/read', { ids: [inbox.body.items[0].id] })).body.changed).toBe(0);
    expect((await bob.post('/api/notices/read', { ids: [inbox.body.items[0].id] })).body).toEqual({ changed: 1, unread: 0 });
    expect((await ana.post(`/api/cases/${k.id}/notes`, { text: 'x', mentions: ['999999'] })).status).toBe(400);
    bobSocket.close();
    bossSocket.close();
  });

  it('notifies a user a manager assigns the case to', async () => {
    const k = await escalate(ana, { mentionIds: [(await mention(13)).id], team: 'support' });
    const r = await boss.request('PATCH', `/api/cases/${k.id}`, { version: k.version, assignee: ids.bob });
    expect(r.status).toBe(200);
    const inbox = await bob.get('/api/notices?unread=true');
    expect(inbox.body.items.some((n: Notice) => n.kind === 'assigned' && n.caseId === k.id)).toBe(true);
  });

  it('replies to the customer from the case through the same idempotent send: posted once', async () => {
    const m = await mention(15);
    const k = await escalate(ana, { mentionIds: [m.id], team: 'support' });
    const before = rec.posted.length;
    const body = { mentionId: m.id, text: 'Sorry! We are on it, check your DMs', idempotencyKey: key() };
    const results = await Promise.all([ana.post(`/api/cases/${k.id}/replies`, body), ana.post(`/api/cases/${k.id}/replies`, body), ana.post(`/api/cases/${k.id}/replies`, body)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    await waitFor(async () => (await ana.get(`/api/mentions/${m.id}/replies`)).body.items[0]?.state === 'sent', 3000, 'sent');
    expect(rec.posted.length - before).toBe(1);
    const after = (await ana.get(`/api/cases/${k.id}`)).body.case;
    expect(after.firstResponseAt).toBeTruthy();
    // Someone else's case, and a mention that is not in the case.
    expect((await bob.post(`/api/cases/${k.id}/replies`, { ...body, idempotencyKey: key() })).status).toBe(403);
    const other = await mention(17);
    const wrong = await ana.post(`/api/cases/${k.id}/replies`, { mentionId: other.id, text: 'hi', idempotencyKey: key() });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('mentionId');
  });

  it('resolves with a listed resolution code and a note, and reopening clears them', async () => {
    const k = await escalate(ana, { mentionIds: [(await mention(19)).id], team: 'support' });
    expect((await ana.request('PATCH', `/api/cases/${k.id}`, { version: k.version, status: 'resolved', resolutionCode: 'vibes' })).status).toBe(400);
    const done = await ana.request('PATCH', `/api/cases/${k.id}`, { version: k.version, status: 'resolved', resolutionCode: 'refunded', resolutionNote: 'Refund sent' });
    expect(done.body.case).toMatchObject({ status: 'resolved', resolutionCode: 'refunded', resolutionNote: 'Refund sent' });
    const re = await ana.request('PATCH', `/api/cases/${k.id}`, { version: done.body.case.version, status: 'open' });
    expect(re.body.case).toMatchObject({ status: 'open', resolutionCode: null, resolvedAt: null });
  });

  it('merges a case into another: mentions and timeline move, the merged one points to the survivor', async () => {
    const m1 = await mention(21);
    const m2 = await mention(23);
    const keep = await escalate(ana, { mentionIds: [m1.id], team: 'support' });
    const gone = await escalate(ana, { mentionIds: [m2.id], team: 'support', note: 'second complaint' });
    expect((await bob.post(`/api/cases/${gone.id}/merge`, { into: keep.id })).status).toBe(403);
    const r = await ana.post(`/api/cases/${gone.id}/merge`, { into: keep.id });
    expect(r.status).toBe(200);
    expect(r.body.survivor.mentionIds).toEqual([m1.id, m2.id]);
    expect(r.body.merged).toMatchObject({ status: 'closed', mergedInto: keep.id });
    expect((await ana.get(`/api/mentions/${m2.id}`)).body.mention.caseId).toBe(keep.id);
    const tl = (await ana.get(`/api/cases/${keep.id}`)).body.timeline;
    expect(tl.some((e: { kind: string; data: { text?: string } }) => e.kind === 'note' && e.data.text === 'second complaint')).toBe(true);
    const stale = (await ana.get(`/api/cases/${gone.id}`)).body.case;
    expect((await ana.request('PATCH', `/api/cases/${gone.id}`, { version: stale.version, status: 'open' })).status).toBe(409);
    const audit = await boss.get(`/api/audit?entityType=case&entityId=${gone.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('case.merged');
  });

  it('lets managers edit the lists as a form; the workspace shows them with the customer and the breach action', async () => {
    const t = (await boss.get('/api/cases/taxonomy')).body;
    const saved = await boss.request('PUT', '/api/cases/taxonomy', { version: t.version, taxonomy: { categories: ['billing', 'travel'], resolutionCodes: ['answered'] } });
    expect(saved.status).toBe(200);
    expect((await boss.request('PUT', '/api/cases/taxonomy', { version: saved.body.version, taxonomy: { categories: ['a', 'a'], resolutionCodes: [] } })).status).toBe(400);
    const k = await escalate(ana, { mentionIds: [(await mention(25)).id], category: 'travel' });
    const w = await ana.get(`/api/cases/${k.id}/workspace`);
    expect(w.status).toBe(200);
    expect(w.body.taxonomy.categories).toEqual(['billing', 'travel']);
    expect(w.body.sla.onBreach).toMatchObject({ raisePriority: true });
    expect(w.body.sla.atRiskPercent).toBe(80);
    expect(w.body.threads).toHaveLength(1);
  });
});
