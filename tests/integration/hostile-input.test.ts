import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyRequest } from '../../shared/connector-ports.js';
import type { Connector } from '../../connectors/connector.js';
import { rawMention, startHarness, waitFor, type ApiClient, type Harness } from '../support/harness.js';

/** Issue 11 items 6-8 through HTTP: control characters, unbounded fields, dates out of range. */
const HOSTILE = 'Hi\u0000 there\u001b[0m\u0007 \u202Eevil\u202C \u2066iso\u2069\u009b';
const CLEAN = 'Hi there[0m evil iso';

describe('hostile input at the edge', () => {
  let h: Harness;
  let agent: ApiClient;
  let manager: ApiClient;
  const posted: ReplyRequest[] = [];
  beforeAll(async () => {
    const connector: Connector = {
      id: 'recorder',
      platform: 'x',
      async run({ signal }) {
        await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
      },
      async reply(req) {
        posted.push(req);
        return { externalId: `r${posted.length}`, url: null };
      },
    };
    h = await startHarness({}, { connectors: [connector] });
    [agent, manager] = await Promise.all([h.signIn('agent'), h.signIn('manager')]);
  });
  afterAll(() => h.close());
  const fresh = async () => (await h.hark.ingest([rawMention(1)])).stored[0]!;

  it('strips control characters and bidi overrides from notes, keeping emoji, RTL and newlines', async () => {
    const m = await fresh();
    const res = await agent.post(`/api/mentions/${m.id}/notes`, { text: `${HOSTILE}\nسطر ثان 😡\r\nthird` });
    expect(res.status).toBe(201);
    const timeline = (await agent.get(`/api/mentions/${m.id}/timeline`)).body.items;
    expect(timeline.at(-1).data.text).toBe(`${CLEAN}\nسطر ثان 😡\nthird`);
    const audit = await manager.get(`/api/audit?entityType=mention&entityId=${m.id}`);
    expect(JSON.stringify(audit.body)).not.toMatch(/\\u0000|\\u001b|\u202E/);
  });

  it('a note of nothing but control characters is refused as empty, naming text', async () => {
    const m = await fresh();
    const res = await agent.post(`/api/mentions/${m.id}/notes`, { text: '\u0000\u0007\u202E' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^text: text is required/);
  });

  it('never posts control characters to the network in a reply', async () => {
    const m = await fresh();
    const res = await agent.post(`/api/mentions/${m.id}/replies`, { text: HOSTILE, idempotencyKey: `k-${Date.now()}-ctrl` });
    expect(res.status).toBe(201);
    await waitFor(() => posted.length > 0, 3000, 'reply posted');
    expect(posted.at(-1)!.text).toBe(CLEAN);
    expect(res.body.reply.text).toBe(CLEAN);
  });

  it('cleans saved replies, customer names, case titles and notes; single-line fields lose their newlines', async () => {
    const saved = await manager.post('/api/canned-responses', { title: `Sorry\n${HOSTILE}`, body: `Line 1\u0000\nLine 2 👍🏽` });
    expect(saved.status).toBe(201);
    expect(saved.body.item ?? saved.body.cannedResponse ?? saved.body).toMatchObject({ title: `Sorry ${CLEAN}`, body: 'Line 1\nLine 2 👍🏽' });
    const c = await agent.post('/api/customers', { name: `Dana\u202E\u0000 Levi\nדנה`, identities: [{ platform: 'x', handle: 'dana\u0007' }], notes: 'VIP\u001b\nsecond line' });
    expect(c.status).toBe(201);
    expect(c.body.customer).toMatchObject({ name: 'Dana Levi דנה', identities: [{ platform: 'x', handle: 'dana' }], notes: 'VIP\nsecond line' });
    const m = await fresh();
    const kase = await agent.post('/api/cases', { mentionIds: [m.id], title: `Refund\u0007 ${HOSTILE}` });
    expect(kase.body.case.title).toBe(`Refund ${CLEAN}`);
    const note = await agent.post(`/api/cases/${kase.body.case.id}/notes`, { text: `a\u0000b` });
    expect(note.status).toBe(201);
    const tl = (await agent.get(`/api/cases/${kase.body.case.id}`)).body.timeline;
    expect(tl.at(-1).data.text).toBe('ab');
  });

  it('cleans imported text and cuts a 900 KB author name, refuses a 5 MB line: the queue page stays small', async () => {
    // Under IMPORT_MAX_LINE_BYTES (1 MiB), so normalization sees it and cuts it.
    const big = 'N'.repeat(900 * 1024);
    const lines = [
      JSON.stringify({ id: 'big-name', text: `Refund please ${HOSTILE}`, author: 'mallory', author_name: big, created_at: new Date().toISOString() }),
      JSON.stringify({ id: 'big-id', text: 'hi', author: 'm2', author_id: big }),
      JSON.stringify({ id: 'big-reply', text: 'hi', author: 'm3', in_reply_to: big }),
      JSON.stringify({ id: 'big-conv', text: 'hi', author: 'm4', conversation_id: big }),
      JSON.stringify({ id: 'huge-line', text: 'hi', author: 'm5', author_name: 'N'.repeat(5 * 1024 * 1024) }),
    ].join('\n');
    const res = await manager.post('/api/import?platform=hostile', lines);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 5, stored: 1, rejected: 4 });
    expect(res.body.errors.map((e: any) => e.message.split(':')[0]).sort()).toEqual(['author.id', 'conversationId', 'inReplyTo', 'line longer than the 1,048,576-byte limit (IMPORT_MAX_LINE_BYTES); skipped']);
    expect(res.body.errors.find((e: any) => e.message.startsWith('line longer')).line).toBe(5);
    expect(JSON.stringify(res.body).length).toBeLessThan(5_000);
    const page = await agent.request('GET', '/api/mentions?platform=hostile&limit=50');
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.body).length).toBeLessThan(20_000);
    const m = page.body.items[0];
    expect(m.author.name).toHaveLength(256);
    expect(m.text).toBe(`Refund please ${CLEAN}`);
  });

  it('refuses dates before 2006 or far ahead, naming the field', async () => {
    for (const bad of ['9999-12-31', '-271821-04-20T00:00:00Z', '1970-01-01T00:00:00Z']) {
      for (const field of ['since', 'until']) {
        const res = await agent.get(`/api/mentions?${field}=${encodeURIComponent(bad)}`);
        expect(res.status, `${field}=${bad}`).toBe(400);
        expect(res.body.error.message).toMatch(new RegExp(`^${field}: must`));
      }
      const audit = await manager.get(`/api/audit?since=${encodeURIComponent(bad)}`);
      expect(audit.status).toBe(400);
      expect(audit.body.error.message).toMatch(/^since: must/);
    }
    const m = await fresh();
    const snooze = await agent.post(`/api/mentions/${m.id}/snooze`, { version: m.version, until: '9999-12-31T00:00:00Z' });
    expect(snooze.status).toBe(400);
    expect(snooze.body.error.message).toMatch(/^until: must not be more than/);
    const week = await agent.post(`/api/mentions/${m.id}/snooze`, { version: m.version, until: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    expect(week.status).toBe(200);
    const rows = ['9999-12-31', '-271821-04-20T00:00:00Z', '1999-12-31T00:00:00Z'].map((d, i) => JSON.stringify({ id: `date-${i}`, text: 'when?', author: 'clock', created_at: d }));
    const imp = await manager.post('/api/import?platform=dates', rows.join('\n'));
    expect(imp.body).toMatchObject({ received: 3, stored: 0, rejected: 3 });
    for (const e of imp.body.errors) expect(e.message).toMatch(/^createdAt: must not be/);
    expect((await agent.get('/api/mentions?platform=dates')).body.items).toEqual([]);
  });
});
