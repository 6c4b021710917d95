import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { MentionQuerySchema } from '../../shared/mention-query.js';
import type { Store } from '../../shared/store.js';
import { migrateSqliteToMongo } from '../../server/store/mongo/migrate-from-sqlite.js';
import { openMongoStore } from '../../server/store/mongo/mongo-store.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { makeNewMention } from '../support/fixtures.js';
import { dropMongoDatabase, freshMongoUri, MONGODB_URI, skipMongoReason } from '../support/mongo.js';
import { ROOT } from '../support/spawn-hark.js';

const run = promisify(execFile);

describe.runIf(MONGODB_URI)('npm run hark on MongoDB: import, and migrate --from sqlite --to mongo', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-mcli-'));
  const uris: string[] = [];
  const fresh = () => {
    const u = freshMongoUri('hark_cli');
    uris.push(u);
    return u;
  };
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    for (const u of uris) await dropMongoDatabase(u);
  });
  const hark = (args: string[], env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn', ...env } });

  it('imports a JSONL file into MongoDB, and a second run stores nothing new', async () => {
    const uri = fresh();
    const file = path.join(dir, 'posts.jsonl');
    fs.writeFileSync(file, [{ id: 'a1', text: 'My order never arrived', author: 'kim', created_at: '2026-11-01T10:00:00Z' }, { id: 'a2', text: 'Love the app' }].map((o) => JSON.stringify(o)).join('\n') + '\n');
    const first = await hark(['import', file], { STORE: 'mongo', MONGODB_URI: uri });
    expect(first.stdout).toMatch(/Stored 2 mentions from posts\.jsonl .* into MongoDB at mongodb:\/\//);
    expect((await hark(['import', file], { STORE: 'mongo', MONGODB_URI: uri })).stdout).toMatch(/Stored 0 mentions .*2 duplicates/);
    const store = await openMongoStore({ uri });
    try {
      const page = await store.mentions.list(MentionQuerySchema.parse({ platform: 'import', q: 'order arrived' }));
      expect(page.items.map((m) => m.externalId)).toEqual(['a1']);
      expect(page.items[0]!.author.handle).toBe('kim');
    } finally {
      await store.close();
    }
  }, 60_000);

  /** An embedded install with a bit of everything. */
  async function seedSqlite(file: string) {
    const s = openSqliteStore({ file });
    const at = (m: number) => new Date(Date.UTC(2026, 10, 24, 9, m)).toISOString();
    const user = await s.users.create({ email: 'ana@t.hark', name: 'Ana', role: 'manager', passwordHash: 'scrypt$x', settings: { teams: ['care'] } });
    await s.sessions.create({ tokenHash: 'tok', userId: user.id, expiresAt: '2030-01-01T00:00:00.000Z', id: 'pub-1', createdAt: at(0), ip: '10.0.0.9', userAgent: 'Firefox' });
    await s.sessions.touch({ tokenHash: 'tok', at: at(3) });
    const gone = await s.users.create({ email: 'gone@t.hark', name: 'Gone', role: 'agent', passwordHash: 'scrypt$y' });
    await s.users.setDisabled({ id: gone.id, disabled: true });
    const { inserted } = await s.mentions.insertMany({
      mentions: Array.from({ length: 7 }, (_, i) => makeNewMention({ brand: i % 2 ? 'Acme' : 'Globex', createdAt: at(i % 3), label: i % 3 ? 'negative' : 'positive', text: `flight ${i} delayed à Paris`, priority: 10 * i })),
    });
    const m = inserted[0]!;
    await s.mentions.replace({ mention: { ...m, triage: { ...m.triage, status: 'claimed', assignee: user.id } }, expectedVersion: 1 });
    const kase = await s.cases.create({ draft: { title: 'Refund', status: 'open', priority: 'high', team: null, assignee: user.id, customerId: null, mentionIds: [m.id], externalRef: null, createdAt: at(1), updatedAt: at(1), firstResponseAt: null, resolvedAt: null, sla: { firstResponseDueAt: null, resolutionDueAt: null, breached: [] } } });
    await s.timeline.append({ event: { entityType: 'case', entityId: kase.id, kind: 'note', actorId: user.id, at: at(2), data: { text: 'hi' } } });
    await s.replies.create({ reply: { mentionId: m.id, caseId: kase.id, authorId: user.id, text: 'Sorry', idempotencyKey: 'key-migrate-1', state: 'sent', externalId: 'x1', url: null, error: null, attempts: 1, approvedBy: null, createdAt: at(2), sentAt: at(2), claimedBy: null, leaseUntil: null, attemptStartedAt: null, onUnverifiable: 'fail' } });
    await s.cannedResponses.create({ draft: { title: 'Sorry', body: 'Sorry {{author}}', shortcut: 'sorry', createdAt: at(0), updatedAt: at(0) } });
    await s.audit.append({ event: { at: at(3), actorId: user.id, actorEmail: 'ana@t.hark', action: 'mention.claimed', entityType: 'mention', entityId: m.id, before: null, after: { v: 2 } } });
    await s.settings.set({ key: 'cursor.x.acme', value: { 'since.id': '123', $odd: true }, expectedVersion: 0 });
    const cust = await s.customers.create({ draft: { name: 'Kim Lee', identities: [{ platform: 'x', handle: 'KimL' }], notes: '', mergedInto: null, mergedFrom: [], createdAt: at(0), updatedAt: at(0) } });
    await s.corrections.add({ correction: { mentionId: m.id, brand: 'Acme', kind: 'sentiment', label: 'negative', text: 't', lang: 'en', actorId: user.id, at: at(4) } });
    await s.alerts.create({ alert: { brand: 'Acme', topic: 'app down', windowStart: at(0), windowEnd: at(5), negatives: 9, baselineMean: 1, exampleMentionIds: [m.id], raisedAt: at(5) } });
    await s.alerts.createOnce({ key: 'Acme:once', alert: { brand: 'Acme', topic: 'late', windowStart: at(0), windowEnd: at(5), negatives: 5, baselineMean: 1, exampleMentionIds: [], raisedAt: at(6) } });
    await s.mentions.redact({ ids: [inserted[1]!.id], at: at(7), reason: 'erasure' });
    await s.counters.next({ name: 'digest', start: 40 });
    // A first-response histogram (one rollup row with its buckets) beside the volume rows the mentions made.
    const frt = (bucket: number, sum: number) => ({ at: at(2), dim: 'resp.team' as const, value: 'care', brand: 'Acme', network: 'x', metric: 'frt_wall', bucket, n: 1, sum });
    await s.reports.add({ increments: [frt(20, 60), frt(20, 70), frt(31, 1200)] });
    await s.webhookDeliveries.enqueue({ delivery: { webhookId: 'crm', eventId: 'e1', event: 'case.created', payload: { a: 1 }, state: 'pending', attempts: 0, nextAttemptAt: at(6), lastStatus: null, lastError: null, createdAt: at(6), deliveredAt: null } });
    return { s, userId: user.id, caseId: kase.id, customerId: cust.id };
  }

  /** Everything a person could see, read through the port. */
  async function snapshot(s: Store, ids: { userId: string; caseId: string; customerId: string }) {
    const all = MentionQuerySchema.parse({ limit: 200, sort: 'recent' });
    const mentions = (await s.mentions.list(all)).items;
    const from = '2026-11-24T09:00:00.000Z';
    const to = '2026-11-24T10:00:00.000Z';
    return {
      mentions,
      search: (await s.mentions.list(MentionQuerySchema.parse({ q: 'DELAYED paris', limit: 200 }))).items.map((m) => m.id),
      series: await s.rollups.series({ from, to }),
      reports: (
        await Promise.all(
          (['resp.team', 'sentiment', 'neg.topic'] as const).map((dim) => s.reports.sum({ grain: 'day', dim, from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z', brands: ['*', 'Acme'], byPeriod: true })),
        )
      )
        .flat()
        .map((r) => JSON.stringify(r))
        .sort(),
      brands: await s.rollups.brandSeries({ from, to }),
      user: await s.users.findByEmail({ email: 'ANA@t.hark' }),
      users: await s.users.list(),
      session: await s.sessions.find({ tokenHash: 'tok', now: from }),
      sessions: await s.sessions.listByUser({ userId: ids.userId, now: from }),
      unredacted: await s.mentions.unredactedBefore({ before: to, limit: 100 }),
      erasedSearch: (await s.mentions.list(MentionQuerySchema.parse({ q: 'flight 1', limit: 200 }))).items.map((m) => m.id),
      kase: await s.cases.get({ id: ids.caseId }),
      timeline: await s.timeline.list({ entityType: 'case', entityId: ids.caseId }),
      replies: await s.replies.listForMention({ mentionId: mentions.at(-1)!.id }),
      canned: await s.cannedResponses.list(),
      audit: (await s.audit.list({ limit: 10 })).items,
      setting: await s.settings.get({ key: 'cursor.x.acme' }),
      customer: await s.customers.get({ id: ids.customerId }),
      owners: [...(await s.customers.findByIdentities({ identities: [{ platform: 'x', handle: 'kiml' }] })).entries()].map(([k, c]) => [k, c.id]),
      corrections: await s.corrections.list({ limit: 10 }),
      alerts: await s.alerts.list({ limit: 10 }),
      deliveries: (await s.webhookDeliveries.list({ limit: 10 })).items,
    };
  }

  it('copies an embedded install into MongoDB with every id, shows progress, and a re-run copies nothing twice', async () => {
    const uri = fresh();
    const { s, ...ids } = await seedSqlite(path.join(dir, 'hark.sqlite'));
    const want = await snapshot(s, ids);
    await s.close();
    const out = (await hark(['migrate', '--from', 'sqlite', '--to', 'mongo'], { MONGODB_URI: uri })).stdout;
    expect(out).toMatch(/done mentions: 7\/7/);
    expect(out).toMatch(/Copied \d+ records from .*hark\.sqlite into MongoDB at mongodb:\/\//);
    expect((await hark(['migrate', '--from', 'sqlite', '--to', 'mongo'], { MONGODB_URI: uri })).stdout).toMatch(/done mentions: 7\/7/);
    const m = await openMongoStore({ uri });
    try {
      expect(await snapshot(m, ids)).toEqual(want);
      expect(await m.mentions.count()).toBe(7);
      // New records continue after the copied ids and case numbers.
      const { inserted } = await m.mentions.insertMany({ mentions: [makeNewMention()] });
      expect(Number(inserted[0]!.id)).toBeGreaterThan(Math.max(...want.mentions.map((x) => Number(x.id))));
      const next = await m.cases.create({ draft: { ...want.kase!, id: undefined, number: undefined, version: undefined } as never });
      expect(Number(next.number.slice(3))).toBe(Number(want.kase!.number.slice(3)) + 1);
      // Named counters, alert keys and public session ids came along; leases did not need to.
      expect(await m.counters.next({ name: 'digest', start: 0 })).toBe(42);
      expect(await m.alerts.createOnce({ key: 'Acme:once', alert: want.alerts[0]! })).toBeNull();
      expect((await m.sessions.deleteById({ userId: ids.userId, id: 'pub-1' }))?.ip).toBe('10.0.0.9');
    } finally {
      await m.close();
    }
  }, 90_000);

  it('resumes a copy that stopped half way and ends with the same data', async () => {
    const uri = fresh();
    const file = path.join(dir, 'resume.sqlite');
    const { s, ...ids } = await seedSqlite(file);
    const want = await snapshot(s, ids);
    await s.close();
    const m = await openMongoStore({ uri });
    try {
      let chunks = 0;
      const stop = new Error('stopped');
      await expect(migrateSqliteToMongo({ file, store: m, chunk: 2, afterChunk: (t) => { if (t === 'mentions' && ++chunks === 2) throw stop; } })).rejects.toBe(stop);
      expect(await m.mentions.count()).toBe(4);
      const progress: string[] = [];
      const res = await migrateSqliteToMongo({ file, store: m, chunk: 2, onProgress: (p) => progress.push(`${p.table} ${p.copied}/${p.total}`) });
      // It went on from the third chunk of mentions, not from the start.
      expect(progress.filter((p) => p.startsWith('mentions '))).toEqual(['mentions 6/7', 'mentions 7/7', 'mentions 7/7']);
      expect(res.find((r) => r.table === 'mentions')).toMatchObject({ copied: 7, total: 7, done: true });
      expect(await snapshot(m, ids)).toEqual(want);
    } finally {
      await m.close();
    }
  }, 90_000);
});

if (!MONGODB_URI) {
  describe('npm run hark on MongoDB', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}
