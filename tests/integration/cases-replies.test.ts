import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyRequest } from '../../shared/connector-ports.js';
import type { Connector } from '../../connectors/connector.js';
import { rawMention, startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';

/** A connector whose replies are counted, and which can be told to fail or to be slow. */
function recordingConnector() {
  const posted: ReplyRequest[] = [];
  const control = { fail: false, delayMs: 0 };
  const connector: Connector = {
    id: 'recorder',
    platform: 'x',
    async run({ signal }) {
      await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
    },
    async reply(req) {
      await new Promise((r) => setTimeout(r, control.delayMs));
      if (control.fail) throw new Error('x answered 503');
      posted.push(req);
      return { externalId: `r${posted.length}`, url: `https://x.example/r${posted.length}` };
    },
  };
  return { connector, posted, control };
}

describe('replies and cases', () => {
  let h: Harness;
  let rec: ReturnType<typeof recordingConnector>;
  let ana: ApiClient;
  let boss: ApiClient;
  beforeAll(async () => {
    rec = recordingConnector();
    h = await startHarness({}, { connectors: [rec.connector] });
    [ana, boss] = await Promise.all([h.signIn('agent'), h.signIn('manager')]);
  });
  afterAll(() => h.close());

  const fresh = async () => (await h.hark.ingest([rawMention(1)])).stored[0]!;
  const key = () => `k-${Math.random().toString(36).slice(2, 12)}`;

  it('posts once for one idempotency key, however many times it is sent at once', async () => {
    const m = await fresh();
    rec.control.delayMs = 50;
    const k = key();
    const before = rec.posted.length;
    const results = await Promise.all(Array.from({ length: 6 }, () => ana.post(`/api/mentions/${m.id}/replies`, { text: 'Sorry about that, DM us', idempotencyKey: k })));
    rec.control.delayMs = 0;
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.reply.id)).size).toBe(1);
    await waitFor(async () => (await ana.get(`/api/mentions/${m.id}/replies`)).body.items[0].state === 'sent', 3000, 'sent');
    expect(rec.posted.length - before).toBe(1);
    const again = await ana.post(`/api/mentions/${m.id}/replies`, { text: 'Sorry about that, DM us', idempotencyKey: k });
    expect(again.body.reply.state).toBe('sent');
    expect(rec.posted.length - before).toBe(1);
    const after = await ana.get(`/api/mentions/${m.id}`);
    expect(after.body.mention.triage.status).toBe('responded');
    expect(after.body.mention.triage.firstResponseAt).toBeTruthy();
  });

  it('shows a failed send with the network error and retries it with the same key', async () => {
    const m = await fresh();
    rec.control.fail = true;
    const first = await ana.post(`/api/mentions/${m.id}/replies`, { text: 'We are on it', idempotencyKey: key() });
    rec.control.fail = false;
    expect(first.body.reply).toMatchObject({ state: 'failed', error: 'x answered 503' });
    const retry = await ana.post(`/api/replies/${first.body.reply.id}/retry`);
    expect(retry.body.reply.state).toBe('sent');
    expect(rec.posted.at(-1)!.idempotencyKey).toBe(first.body.reply.idempotencyKey);
    expect((await ana.post(`/api/replies/${first.body.reply.id}/retry`)).status).toBe(409);
  });

  it('answers 409 naming the key when a key is reused with other text, and stays idempotent for the same text (issue 11, item 9)', async () => {
    const m = await fresh();
    const k = key();
    const first = await ana.post(`/api/mentions/${m.id}/replies`, { text: 'We are looking into it', idempotencyKey: k });
    expect(first.status).toBe(201);
    const before = rec.posted.length;
    const other = await ana.post(`/api/mentions/${m.id}/replies`, { text: 'Something else entirely', idempotencyKey: k });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain(k);
    expect(other.body.error.details).toMatchObject({ idempotencyKey: k, replyId: first.body.reply.id });
    const same = await ana.post(`/api/mentions/${m.id}/replies`, { text: 'We are looking into it', idempotencyKey: k });
    expect(same.status).toBe(200);
    expect(same.body.reply.id).toBe(first.body.reply.id);
    // Another mention with the key is refused too, naming it.
    const elsewhere = await ana.post(`/api/mentions/${(await fresh()).id}/replies`, { text: 'We are looking into it', idempotencyKey: k });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.message).toContain(k);
    expect(rec.posted.length).toBe(before);
    expect((await ana.get(`/api/mentions/${m.id}/replies`)).body.items.map((r: { text: string }) => r.text)).toEqual(['We are looking into it']);
  });

  it('enforces the network length limit with a clear error', async () => {
    const m = await fresh();
    const res = await ana.post(`/api/mentions/${m.id}/replies`, { text: 'a'.repeat(281), idempotencyKey: key() });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^text: x allows 280/);
  });

  it('holds replies of agents who need approval until a manager approves', async () => {
    const m = await fresh();
    const trainee = await h.signIn('agent');
    const me = (await trainee.get('/api/auth/me')).body.user;
    const admin = await h.signIn('admin');
    expect((await admin.request('PATCH', `/api/users/${me.id}`, { needsApproval: true })).status).toBe(200);
    const before = rec.posted.length;
    const res = await trainee.post(`/api/mentions/${m.id}/replies`, { text: 'Hello!', idempotencyKey: key() });
    expect(res.body.reply.state).toBe('pending_approval');
    expect(rec.posted.length).toBe(before);
    expect((await ana.post(`/api/replies/${res.body.reply.id}/approve`)).status).toBe(403);
    const pending = await boss.get('/api/replies/pending');
    expect(pending.body.items.map((r: any) => r.id)).toContain(res.body.reply.id);
    // Two managers approve at once: it enters the outbox once and is posted once.
    const boss2 = await h.signIn('manager');
    const [ok, other] = await Promise.all([boss.post(`/api/replies/${res.body.reply.id}/approve`), boss2.post(`/api/replies/${res.body.reply.id}/approve`)]);
    const won = ok.status === 200 ? ok : other;
    expect([ok.status, other.status].sort()).toEqual([200, 409]);
    expect(won.body.reply).toMatchObject({ state: 'sent', approvedBy: (await (won === ok ? boss : boss2).get('/api/auth/me')).body.user.id, attempts: 1 });
    expect(rec.posted.length).toBe(before + 1);
  });

  it('escalates mentions into a numbered case with SLA due times, attaches more, and walks its statuses', async () => {
    const [m1, m2, m3] = (await h.hark.ingest([rawMention(11), rawMention(13), rawMention(15)])).stored;
    const created = await ana.post('/api/cases', { mentionIds: [m1!.id, m2!.id], note: 'Customer is furious' });
    expect(created.status).toBe(201);
    const kase = created.body.case;
    expect(kase.number).toMatch(/^HK-\d+$/);
    expect(kase.status).toBe('open');
    expect(Date.parse(kase.sla.firstResponseDueAt)).toBeGreaterThan(Date.now());
    const linked = await ana.get(`/api/mentions/${m1!.id}`);
    expect(linked.body.mention).toMatchObject({ caseId: kase.id, triage: { status: 'escalated' } });
    const again = await ana.post('/api/cases', { mentionIds: [m1!.id] });
    expect(again.status).toBe(409);

    const attached = await ana.post('/api/cases', { mentionIds: [m3!.id], attachTo: kase.id });
    expect(attached.body.case.mentionIds).toEqual([m1!.id, m2!.id, m3!.id]);

    let v = attached.body.case.version;
    const bad = await ana.request('PATCH', `/api/cases/${kase.id}`, { version: v, status: 'archived' });
    expect(bad.status).toBe(400);
    for (const status of ['pending', 'resolved', 'closed', 'open']) {
      const res = await boss.request('PATCH', `/api/cases/${kase.id}`, { version: v, status });
      expect(res.status, status).toBe(200);
      v = res.body.case.version;
    }
    const stale = await boss.request('PATCH', `/api/cases/${kase.id}`, { version: 1, status: 'resolved' });
    expect(stale.status).toBe(409);
    const full = await ana.get(`/api/cases/${kase.id}`);
    expect(full.body.mentions).toHaveLength(3);
    // Pending pauses the SLA clocks and leaving it (resolved) resumes them: each is on the timeline.
    expect(full.body.timeline.map((e: any) => e.kind)).toEqual(['created', 'note', 'mention_linked', 'status', 'sla_paused', 'status', 'sla_resumed', 'status', 'status']);
  });

  it('records the first response on the case when a linked mention is answered', async () => {
    const m = await fresh();
    const kase = (await ana.post('/api/cases', { mentionIds: [m.id] })).body.case;
    await ana.post(`/api/mentions/${m.id}/replies`, { text: 'Fixed!', idempotencyKey: key() });
    const after = await ana.get(`/api/cases/${kase.id}`);
    expect(after.body.case.firstResponseAt).toBeTruthy();
    expect(after.body.timeline.map((e: any) => e.kind)).toContain('reply');
  });

  it('lets managers edit saved replies and agents only read them', async () => {
    expect((await ana.post('/api/canned-responses', { title: 'x', body: 'y' })).status).toBe(403);
    const made = await boss.post('/api/canned-responses', { title: 'Apology', body: 'Sorry {{author}}, we are on it. — {{brand}}', shortcut: 'sorry' });
    expect(made.status).toBe(201);
    const list = await ana.get('/api/canned-responses');
    expect(list.body.items.map((i: any) => i.shortcut)).toContain('sorry');
    const bad = await boss.post('/api/canned-responses', { title: 'x', body: 'y', shortcut: 'Not OK!' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^shortcut/);
  });

  it('exports the audit log as CSV for managers only', async () => {
    expect((await ana.get('/api/audit')).status).toBe(403);
    const res = await boss.get('/api/audit?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = String(res.body).trim().split('\n');
    expect(lines[0]).toBe('id,at,actor_id,actor_email,action,entity_type,entity_id,before,after');
    expect(lines.length).toBeGreaterThan(5);
  });
});
