import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHarkError } from '../../shared/errors.js';
import { newTriage, type Mention } from '../../shared/mention.js';
import { mentionKey } from '../../shared/mention.js';
import { compareMentions, matchesQuery, MentionQuerySchema, type MentionQueryInput } from '../../shared/mention-query.js';
import type { Store } from '../../shared/store.js';
import type { Reply } from '../../shared/reply.js';
import { makeNewMention } from '../support/fixtures.js';

export interface StoreHandle {
  store: Store;
  cleanup(): Promise<void>;
}

/** The storage contract (tests/contract/STORAGE.md); each adapter registers it with its own factory. */
export function registerStoreContract(name: string, create: () => Promise<StoreHandle>) {
  describe(`storage contract: ${name}`, () => {
    let h: StoreHandle;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    const list = (q: MentionQueryInput) => h.store.mentions.list(MentionQuerySchema.parse(q));

    async function listAll(q: MentionQueryInput): Promise<Mention[]> {
      const out: Mention[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 1000; i++) {
        const page = await list({ ...q, ...(cursor ? { cursor } : {}) });
        out.push(...page.items);
        if (!page.nextCursor) return out;
        cursor = page.nextCursor;
      }
      throw new Error('pagination did not end');
    }

    it('C-INS-1 stores new mentions with an id, version 1 and every field', async () => {
      const m = makeNewMention({ text: 'Ünïcode ✈️ <b>not html</b>', priority: 77, label: 'negative' });
      const { inserted, duplicates } = await h.store.mentions.insertMany({ mentions: [m] });
      expect(duplicates).toBe(0);
      expect(inserted).toHaveLength(1);
      const stored = inserted[0]!;
      expect(typeof stored.id).toBe('string');
      expect(stored.version).toBe(1);
      expect(stored).toMatchObject({ ...m, caseId: null });
      expect(await h.store.mentions.get({ id: stored.id })).toEqual(stored);
    });

    it('C-INS-2 keys mentions by platform and externalId, across calls and inside one batch', async () => {
      const a = makeNewMention();
      const first = await h.store.mentions.insertMany({ mentions: [a, { ...a, text: 'changed' }] });
      expect(first.inserted).toHaveLength(1);
      expect(first.duplicates).toBe(1);
      const again = await h.store.mentions.insertMany({ mentions: [{ ...a, text: 'changed again' }, makeNewMention()] });
      expect(again.inserted).toHaveLength(1);
      expect(again.duplicates).toBe(1);
      expect(await h.store.mentions.count()).toBe(2);
      expect((await h.store.mentions.get({ id: first.inserted[0]!.id }))!.text).toBe(a.text);
    });

    it('C-INS-3 treats the same externalId on two platforms as two mentions', async () => {
      const a = makeNewMention({ platform: 'x' });
      const { inserted } = await h.store.mentions.insertMany({ mentions: [a, { ...a, platform: 'reddit' }] });
      expect(inserted).toHaveLength(2);
      expect(new Set(inserted.map((m) => m.id)).size).toBe(2);
    });

    it('C-GET-1 returns null for unknown or malformed ids', async () => {
      await h.store.mentions.insertMany({ mentions: [makeNewMention()] });
      expect(await h.store.mentions.get({ id: '999999' })).toBeNull();
      expect(await h.store.mentions.get({ id: 'not-an-id' })).toBeNull();
      expect(await h.store.mentions.get({ id: "1' OR '1'='1" })).toBeNull();
    });

    async function seed(count: number) {
      const statuses = ['new', 'claimed', 'dismissed'] as const;
      const labels = ['negative', 'neutral', 'positive'] as const;
      const platforms = ['x', 'reddit', 'simulator'];
      const mentions = Array.from({ length: count }, (_, i) =>
        makeNewMention({
          platform: platforms[i % 3]!,
          label: labels[(i * 7) % 3]!,
          priority: (i * 37) % 101,
          // Ties in priority and time on purpose: the id must break them.
          createdAt: new Date(Date.UTC(2026, 10, 20) + Math.floor(i / 4) * 60_000).toISOString(),
          text: i % 5 === 0 ? `Flight delayed again número ${i}` : `Thanks for the café ${i}`,
          triage: newTriage('watch', statuses[i % 3]!),
        }),
      );
      const { inserted } = await h.store.mentions.insertMany({ mentions });
      return inserted;
    }

    it('C-LIST-1 orders by priority then time then id, or by time then id', async () => {
      const all = await seed(60);
      for (const sort of ['priority', 'recent'] as const) {
        const page = await list({ sort, limit: 200 });
        expect(page.items.map((m) => m.id)).toEqual([...all].sort(compareMentions(sort)).map((m) => m.id));
      }
    });

    it('C-LIST-2 cursor pagination visits every mention once, in order', async () => {
      const all = await seed(95);
      for (const sort of ['priority', 'recent'] as const) {
        const seen = await listAll({ sort, limit: 7 });
        expect(seen.map((m) => m.id)).toEqual([...all].sort(compareMentions(sort)).map((m) => m.id));
      }
      const last = await list({ limit: 200 });
      expect(last.nextCursor).toBeNull();
    });

    it('C-LIST-3 filters return exactly what matchesQuery accepts, alone and combined', async () => {
      const all = await seed(120);
      const queries: MentionQueryInput[] = [
        { status: 'new' },
        { status: 'new,claimed' },
        { platform: 'reddit' },
        { sentiment: 'negative' },
        { priorityMin: 40 },
        { priorityMax: 20 },
        { priorityMin: 10, priorityMax: 60 },
        { since: '2026-11-20T00:05:00.000Z' },
        { until: '2026-11-20T00:10:00.000Z' },
        { status: 'new', platform: 'x,simulator', sentiment: 'negative,positive', priorityMin: 5, since: '2026-11-20T00:02:00Z', until: '2026-11-20T00:25:00Z' },
      ];
      for (const input of queries) {
        for (const sort of ['priority', 'recent'] as const) {
          const q = MentionQuerySchema.parse({ ...input, sort, limit: 9 });
          const got = await listAll({ ...input, sort, limit: 9 });
          const want = all.filter((m) => matchesQuery(m, q)).sort(compareMentions(sort));
          expect(got.map((m) => m.id), JSON.stringify(input)).toEqual(want.map((m) => m.id));
        }
      }
    });

    it('C-LIST-9 filters by brand, language, intent, tag and team (fields of the document), as matchesQuery does', async () => {
      const brands = ['Acme Air', 'Brightbank', null];
      const langs = ['en', 'es', 'de'];
      const intents = ['complaint', 'question', 'praise', 'lead'] as const;
      const made = Array.from({ length: 36 }, (_, i) => {
        const m = makeNewMention({ brand: brands[i % 3]!, lang: langs[Math.floor(i / 3) % 3]!, createdAt: new Date(Date.UTC(2026, 10, 20, 0, i)).toISOString(), priority: (i * 7) % 100 });
        m.scores.intent.label = intents[i % 4]!;
        m.triage.tags = i % 5 === 0 ? ['refund', 'vip'] : i % 5 === 1 ? ['refund'] : [];
        m.triage.team = i % 4 === 0 ? 'air-care' : i % 4 === 1 ? 'sales' : null;
        return m;
      });
      const { inserted: all } = await h.store.mentions.insertMany({ mentions: made });
      const queries: MentionQueryInput[] = [
        { brand: 'Acme Air' },
        { brand: 'Acme Air,Brightbank' },
        { lang: 'es' },
        { intent: 'lead,praise' },
        { tag: 'vip' },
        { tag: 'refund' },
        { team: 'sales' },
        { team: 'none' },
        { brand: 'Brightbank', lang: 'en,de', intent: 'complaint,question,lead', tag: 'refund' },
      ];
      for (const input of queries) {
        for (const sort of ['priority', 'recent'] as const) {
          const q = MentionQuerySchema.parse({ ...input, sort, limit: 5 });
          const got = await listAll({ ...input, sort, limit: 5 });
          const want = all.filter((m) => matchesQuery(m, q)).sort(compareMentions(sort));
          expect(want.length, JSON.stringify(input)).toBeGreaterThan(0);
          expect(got.map((m) => m.id), JSON.stringify(input)).toEqual(want.map((m) => m.id));
        }
      }
    });

    it('C-LIST-4 full-text search matches all words, ignores case and accents, and treats operators as words', async () => {
      await seed(30);
      const delayed = await listAll({ q: 'DELAYED flight', limit: 50 });
      expect(delayed.length).toBe(6);
      expect(delayed.every((m) => /delayed/i.test(m.text))).toBe(true);
      const accent = await listAll({ q: 'numero', limit: 50 });
      expect(accent.length).toBe(6);
      const cafe = await listAll({ q: 'cafe', limit: 50 });
      expect(cafe.length).toBe(24);
      for (const nasty of ['"unbalanced', 'a OR b NOT c*', 'NEAR(x y)', '-flight', 'col:flight']) {
        await expect(list({ q: nasty })).resolves.toBeDefined();
      }
    });

    it('C-LIST-5 rejects a foreign cursor with a ValidationError', async () => {
      await seed(10);
      const page = await list({ sort: 'recent', limit: 2 });
      const err = await list({ sort: 'priority', cursor: page.nextCursor! }).catch((e: unknown) => e);
      expect(isHarkError(err) && err.status).toBe(400);
      const junk = await list({ cursor: 'definitely-not-a-cursor' }).catch((e: unknown) => e);
      expect(isHarkError(junk) && junk.code).toBe('validation_failed');
    });

    it('C-KEYS-1 existingKeys returns exactly the stored keys asked for', async () => {
      const [a, b] = [makeNewMention(), makeNewMention({ platform: 'reddit' })];
      await h.store.mentions.insertMany({ mentions: [a!, b!] });
      const ghost = { platform: 'x', externalId: 'never-stored' };
      const many = Array.from({ length: 900 }, (_, i) => ({ platform: 'x', externalId: `none-${i}` }));
      const found = await h.store.mentions.existingKeys({ keys: [a!, ghost, b!, ...many] });
      expect([...found].sort()).toEqual([mentionKey(a!), mentionKey(b!)].sort());
    });

    it('C-ROLLUP-1 counts stored mentions per minute and sentiment, not duplicates', async () => {
      const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 10, 0, s)).toISOString();
      const ms = [
        makeNewMention({ createdAt: at(1), label: 'negative' }),
        makeNewMention({ createdAt: at(59), label: 'negative' }),
        makeNewMention({ createdAt: at(61), label: 'positive' }),
        makeNewMention({ createdAt: at(62), label: 'neutral' }),
      ];
      await h.store.mentions.insertMany({ mentions: ms });
      await h.store.mentions.insertMany({ mentions: ms });
      const series = await h.store.rollups.series({ from: at(0), to: at(180) });
      expect(series).toEqual([
        { minute: '2026-11-24T10:00:00.000Z', negative: 2, neutral: 0, positive: 0, scoreSum: -1 },
        { minute: '2026-11-24T10:01:00.000Z', negative: 0, neutral: 1, positive: 1, scoreSum: 0.5 },
      ]);
      expect(await h.store.rollups.series({ from: at(120), to: at(180) })).toEqual([]);
    });

    it('C-USER-1 finds users by email case-insensitively, updates their settings, and refuses a duplicate email', async () => {
      const u = await h.store.users.create({ email: 'Ana@Example.com', name: 'Ana', role: 'agent', passwordHash: 'h' });
      expect(u.email).toBe('ana@example.com');
      expect((await h.store.users.findByEmail({ email: 'ANA@example.COM' }))?.id).toBe(u.id);
      expect(await h.store.users.findById({ id: u.id })).toEqual(u);
      expect(await h.store.users.findById({ id: 'nope' })).toBeNull();
      expect(await h.store.users.count()).toBe(1);
      expect(u).toMatchObject({ teams: [], needsApproval: false });
      const changed = await h.store.users.update({ id: u.id, patch: { teams: ['care'], needsApproval: true, role: 'manager' } });
      expect(changed).toMatchObject({ teams: ['care'], needsApproval: true, role: 'manager', email: 'ana@example.com' });
      expect(await h.store.users.findById({ id: u.id })).toEqual(changed);
      expect((await h.store.users.list()).map((x) => x.id)).toEqual([u.id]);
    });

    it('C-SESS-1 finds sessions only before they expire and deletes them', async () => {
      const u = await h.store.users.create({ email: 's@example.com', name: 'S', role: 'agent', passwordHash: 'h' });
      const now = '2026-11-24T12:00:00.000Z';
      await h.store.sessions.create({ tokenHash: 'live', userId: u.id, expiresAt: '2026-11-24T13:00:00.000Z' });
      await h.store.sessions.create({ tokenHash: 'old', userId: u.id, expiresAt: '2026-11-24T11:00:00.000Z' });
      expect((await h.store.sessions.find({ tokenHash: 'live', now }))?.userId).toBe(u.id);
      expect(await h.store.sessions.find({ tokenHash: 'old', now })).toBeNull();
      expect(await h.store.sessions.deleteExpired({ now })).toBe(1);
      await h.store.sessions.delete({ tokenHash: 'live' });
      expect(await h.store.sessions.find({ tokenHash: 'live', now })).toBeNull();
    });

    it('C-SESS-2 lists a user’s live sessions newest first with id, times, address and agent, and records activity', async () => {
      const u = await h.store.users.create({ email: 'list@example.com', name: 'L', role: 'agent', passwordHash: 'h' });
      const other = await h.store.users.create({ email: 'other@example.com', name: 'O', role: 'agent', passwordHash: 'h' });
      const now = '2026-11-24T12:00:00.000Z';
      await h.store.sessions.create({ tokenHash: 't1', userId: u.id, expiresAt: '2026-11-24T20:00:00.000Z', id: 's1', createdAt: '2026-11-24T10:00:00.000Z', ip: '10.0.0.1', userAgent: 'Firefox' });
      await h.store.sessions.create({ tokenHash: 't2', userId: u.id, expiresAt: '2026-11-24T20:00:00.000Z', id: 's2', createdAt: '2026-11-24T11:00:00.000Z', ip: null, userAgent: null });
      await h.store.sessions.create({ tokenHash: 't3', userId: u.id, expiresAt: '2026-11-24T11:30:00.000Z', id: 's3', createdAt: '2026-11-24T09:00:00.000Z' });
      await h.store.sessions.create({ tokenHash: 't4', userId: other.id, expiresAt: '2026-11-24T20:00:00.000Z', id: 's4', createdAt: '2026-11-24T11:00:00.000Z' });
      const list = await h.store.sessions.listByUser({ userId: u.id, now });
      expect(list.map((x) => x.id)).toEqual(['s2', 's1']);
      expect(list[1]).toMatchObject({ userId: u.id, ip: '10.0.0.1', userAgent: 'Firefox', createdAt: '2026-11-24T10:00:00.000Z', lastSeenAt: '2026-11-24T10:00:00.000Z' });
      await h.store.sessions.touch({ tokenHash: 't1', at: '2026-11-24T11:59:00.000Z' });
      await h.store.sessions.touch({ tokenHash: 't1', at: '2026-11-24T11:00:00.000Z' }); // never backwards
      expect((await h.store.sessions.find({ tokenHash: 't1', now }))?.lastSeenAt).toBe('2026-11-24T11:59:00.000Z');
      expect(await h.store.sessions.listByUser({ userId: 'nope', now })).toEqual([]);
    });

    it('C-SESS-3 deletes one session by id only for its owner, and all of a user’s sessions but one', async () => {
      const u = await h.store.users.create({ email: 'rev@example.com', name: 'R', role: 'agent', passwordHash: 'h' });
      const other = await h.store.users.create({ email: 'rev2@example.com', name: 'R2', role: 'agent', passwordHash: 'h' });
      const now = '2026-11-24T12:00:00.000Z';
      const exp = '2026-11-24T20:00:00.000Z';
      for (const [t, id] of [['a', 'sa'], ['b', 'sb'], ['c', 'sc']]) await h.store.sessions.create({ tokenHash: t!, userId: u.id, expiresAt: exp, id });
      await h.store.sessions.create({ tokenHash: 'd', userId: other.id, expiresAt: exp, id: 'sd' });
      expect(await h.store.sessions.deleteById({ userId: other.id, id: 'sa' })).toBeNull();
      expect((await h.store.sessions.deleteById({ userId: u.id, id: 'sa' }))?.id).toBe('sa');
      expect(await h.store.sessions.find({ tokenHash: 'a', now })).toBeNull();
      expect(await h.store.sessions.deleteById({ userId: u.id, id: 'sa' })).toBeNull();
      expect(await h.store.sessions.deleteByUser({ userId: u.id, exceptId: 'sc' })).toEqual(['sb']);
      expect((await h.store.sessions.listByUser({ userId: u.id, now })).map((x) => x.id)).toEqual(['sc']);
      expect((await h.store.sessions.deleteByUser({ userId: u.id })).sort()).toEqual(['sc']);
      expect((await h.store.sessions.listByUser({ userId: other.id, now })).map((x) => x.id)).toEqual(['sd']);
    });

    it('C-USER-2 disables and enables users, never the last active admin (even two at once), and sets password hashes', async () => {
      const a1 = await h.store.users.create({ email: 'a1@example.com', name: 'A1', role: 'admin', passwordHash: 'h' });
      const a2 = await h.store.users.create({ email: 'a2@example.com', name: 'A2', role: 'admin', passwordHash: 'h' });
      const ag = await h.store.users.create({ email: 'ag@example.com', name: 'Ag', role: 'agent', passwordHash: 'h' });
      expect(a1.disabled).toBe(false);
      expect((await h.store.users.setDisabled({ id: ag.id, disabled: true })).disabled).toBe(true);
      expect((await h.store.users.findByEmail({ email: 'ag@example.com' }))?.disabled).toBe(true);
      const both = await Promise.allSettled([h.store.users.setDisabled({ id: a1.id, disabled: true }), h.store.users.setDisabled({ id: a2.id, disabled: true })]);
      expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', status: 409 });
      expect((await h.store.users.list()).filter((u) => u.role === 'admin' && !u.disabled)).toHaveLength(1);
      const gone = (await h.store.users.list()).find((u) => u.role === 'admin' && u.disabled)!;
      expect((await h.store.users.setDisabled({ id: gone.id, disabled: false })).disabled).toBe(false);
      await expect(h.store.users.setDisabled({ id: '999999', disabled: true })).rejects.toMatchObject({ code: 'not_found' });
      await h.store.users.setPasswordHash({ id: ag.id, passwordHash: 'new-hash' });
      expect((await h.store.users.findByEmail({ email: 'ag@example.com' }))?.passwordHash).toBe('new-hash');
      await expect(h.store.users.setPasswordHash({ id: '999999', passwordHash: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    });

    it('C-ERR-1 surfaces unique violations as ConflictError', async () => {
      await h.store.users.create({ email: 'dup@example.com', name: 'A', role: 'agent', passwordHash: 'h' });
      const err = await h.store.users.create({ email: 'DUP@example.com', name: 'B', role: 'admin', passwordHash: 'h' }).catch((e: unknown) => e);
      expect(isHarkError(err)).toBe(true);
      expect(err).toMatchObject({ code: 'conflict', status: 409 });
    });

    it('C-CAS-1 lets exactly one of two writers with the same version win', async () => {
      const [m] = (await h.store.mentions.insertMany({ mentions: [makeNewMention()] })).inserted;
      const a = { ...m!, triage: { ...m!.triage, status: 'claimed' as const, assignee: 'ana' } };
      const b = { ...m!, triage: { ...m!.triage, status: 'claimed' as const, assignee: 'ben' } };
      const results = await Promise.allSettled([h.store.mentions.replace({ mention: a, expectedVersion: 1 }), h.store.mentions.replace({ mention: b, expectedVersion: 1 })]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({ code: 'conflict', status: 409, details: { currentVersion: 2 } });
      const stored = await h.store.mentions.get({ id: m!.id });
      expect(stored!.version).toBe(2);
      expect(stored!.triage.assignee).toBe((won[0] as PromiseFulfilledResult<Mention>).value.triage.assignee);
      const missing = await h.store.mentions.replace({ mention: { ...a, id: '987654' }, expectedVersion: 1 }).catch((e: unknown) => e);
      expect(missing).toMatchObject({ code: 'not_found' });

      const kase = await h.store.cases.create({ draft: caseDraft() });
      await h.store.cases.replace({ kase: { ...kase, status: 'pending' }, expectedVersion: 1 });
      const stale = await h.store.cases.replace({ kase: { ...kase, status: 'resolved' }, expectedVersion: 1 }).catch((e: unknown) => e);
      expect(stale).toMatchObject({ code: 'conflict' });
      expect((await h.store.cases.get({ id: kase.id }))!.status).toBe('pending');
    });

    it('C-CAS-2 finds a replaced mention by its new state', async () => {
      const [m] = (await h.store.mentions.insertMany({ mentions: [makeNewMention()] })).inserted;
      await h.store.mentions.replace({ mention: { ...m!, triage: { ...m!.triage, status: 'claimed', assignee: '7' } }, expectedVersion: 1 });
      expect((await list({ status: 'new' })).items).toHaveLength(0);
      expect((await list({ status: 'claimed', assignee: '7' })).items.map((x) => x.id)).toEqual([m!.id]);
      expect((await list({ assignee: 'none' })).items).toHaveLength(0);
      expect((await h.store.mentions.getMany({ ids: [m!.id, 'zzz'] })).map((x) => x.triage.assignee)).toEqual(['7']);
    });

    it('C-AUTHOR-1 returns an author history, newest first', async () => {
      const at = (d: number) => new Date(Date.UTC(2026, 0, d)).toISOString();
      const author = { id: null, handle: 'MixedCase', name: null, followers: 5, verified: false, url: null };
      await h.store.mentions.insertMany({
        mentions: [
          makeNewMention({ author, createdAt: at(1) }),
          makeNewMention({ author: { ...author, handle: 'mixedcase' }, createdAt: at(3) }),
          makeNewMention({ author, platform: 'reddit', createdAt: at(2) }),
          makeNewMention({ createdAt: at(4) }),
        ],
      });
      const hist = await h.store.mentions.byAuthor({ platform: 'x', handle: 'MIXEDCASE', limit: 10 });
      expect(hist.map((m) => m.createdAt)).toEqual([at(3), at(1)]);
      // Paging: older than a given mention.
      const older = await h.store.mentions.byAuthor({ platform: 'x', handle: 'mixedcase', limit: 10, before: { createdAt: hist[0]!.createdAt, id: hist[0]!.id } });
      expect(older.map((m) => m.id)).toEqual([hist[1]!.id]);
    });

    const caseDraft = (over: Partial<Parameters<Store['cases']['create']>[0]['draft']> = {}) => ({
      title: 'Refund never arrived',
      status: 'open' as const,
      priority: 'normal' as const,
      team: null,
      assignee: null,
      customerId: null,
      mentionIds: ['1'],
      externalRef: null,
      createdAt: '2026-11-24T10:00:00.000Z',
      updatedAt: '2026-11-24T10:00:00.000Z',
      firstResponseAt: null,
      resolvedAt: null,
      sla: { firstResponseDueAt: null, resolutionDueAt: null, breached: [] },
      ...over,
    });

    it('C-CASE-1 numbers cases uniquely and lists them with filters', async () => {
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await h.store.cases.create({ draft: caseDraft({ assignee: i % 2 ? 'ana' : null, status: i === 4 ? 'resolved' : 'open', customerId: i === 0 ? 'c1' : null }) }));
      const numbers = made.map((c) => Number(c.number.replace('HK-', '')));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      expect(new Set(numbers).size).toBe(5);
      expect(made[0]!.number).toMatch(/^HK-\d+$/);
      const open = await h.store.cases.list({ status: ['open'], limit: 2 });
      expect(open.items.map((c) => c.id)).toEqual([made[3]!.id, made[2]!.id]);
      const rest = await h.store.cases.list({ status: ['open'], limit: 2, cursor: open.nextCursor! });
      expect(rest.items.map((c) => c.id)).toEqual([made[1]!.id, made[0]!.id]);
      expect((await h.store.cases.list({ assignee: 'ana', limit: 10 })).items).toHaveLength(2);
      expect((await h.store.cases.list({ customerId: 'c1', limit: 10 })).items.map((c) => c.id)).toEqual([made[0]!.id]);
    });

    it('C-CASE-3 finds the cases that list a mention', async () => {
      const a = await h.store.cases.create({ draft: caseDraft({ mentionIds: ['11', '12'] }) });
      await h.store.cases.create({ draft: caseDraft({ mentionIds: ['13'] }) });
      const b = await h.store.cases.create({ draft: caseDraft({ mentionIds: ['12', '111'] }) });
      expect((await h.store.cases.findByMention({ mentionId: '12' })).map((c) => c.id)).toEqual([a.id, b.id]);
      expect((await h.store.cases.findByMention({ mentionId: '11' })).map((c) => c.id)).toEqual([a.id]);
      expect(await h.store.cases.findByMention({ mentionId: '1' })).toEqual([]);
    });

    it('C-TL-1 keeps timelines per entity, in order', async () => {
      for (const [id, text] of [['1', 'a'], ['2', 'x'], ['1', 'b']] as const) {
        await h.store.timeline.append({ event: { entityType: 'case', entityId: id, kind: 'note', actorId: 'u', at: '2026-11-24T10:00:00.000Z', data: { text } } });
      }
      const tl = await h.store.timeline.list({ entityType: 'case', entityId: '1' });
      expect(tl.map((e) => e.data.text)).toEqual(['a', 'b']);
      expect(await h.store.timeline.list({ entityType: 'mention', entityId: '1' })).toEqual([]);
    });

    const replyDraft = {
      mentionId: '1',
      caseId: null,
      authorId: 'u',
      text: 'hi',
      idempotencyKey: 'key',
      state: 'queued' as Reply['state'],
      externalId: null,
      url: null,
      error: null,
      attempts: 0,
      approvedBy: null,
      createdAt: '2026-11-24T10:00:00.000Z',
      sentAt: null,
      claimedBy: null,
      leaseUntil: null,
      attemptStartedAt: null,
      onUnverifiable: 'fail' as const,
    };

    it('C-REPLY-2 lists due replies: queued with no lease or an expired one, oldest first; a claim is a compare-and-set', async () => {
      const now = '2026-11-24T10:05:00.000Z';
      const mk = (key: string, over: Partial<Reply>) => h.store.replies.create({ reply: { ...replyDraft, idempotencyKey: `due-${key}`, ...over } });
      const unleased = await mk('a', {});
      const expired = await mk('b', { claimedBy: 'p1', leaseUntil: '2026-11-24T10:04:59.000Z', attempts: 1, attemptStartedAt: '2026-11-24T10:04:00.000Z' });
      await mk('c', { claimedBy: 'p2', leaseUntil: '2026-11-24T10:05:30.000Z' });
      await mk('d', { state: 'sent' });
      await mk('e', { state: 'failed' });
      await mk('f', { state: 'pending_approval' });
      const atBoundary = await mk('g', { claimedBy: 'p3', leaseUntil: now });
      const due = await h.store.replies.listDue({ now, limit: 10 });
      expect(due.map((r) => r.id)).toEqual([unleased.id, expired.id, atBoundary.id]);
      expect(due[1]).toMatchObject({ claimedBy: 'p1', leaseUntil: '2026-11-24T10:04:59.000Z', attempts: 1, attemptStartedAt: '2026-11-24T10:04:00.000Z', onUnverifiable: 'fail' });
      expect((await h.store.replies.listDue({ now, limit: 1 })).map((r) => r.id)).toEqual([unleased.id]);

      // Two senders claim the same due reply: one wins; the reply then has a live lease and is no longer due.
      const claim = (owner: string) => h.store.replies.replace({ reply: { ...expired, claimedBy: owner, leaseUntil: '2026-11-24T10:06:00.000Z', attempts: 2 }, expectedVersion: expired.version }).catch((e: unknown) => e);
      const [a, b] = await Promise.all([claim('s1'), claim('s2')]);
      expect([a, b].filter((x) => isHarkError(x) && x.code === 'conflict')).toHaveLength(1);
      expect((await h.store.replies.listDue({ now, limit: 10 })).map((r) => r.id)).toEqual([unleased.id, atBoundary.id]);
      expect((await h.store.replies.listDue({ now: '2026-11-24T10:06:00.000Z', limit: 10 })).map((r) => r.id)).toContain(expired.id);
      // Leaving the queue (sent) takes it out of the due list whatever its lease.
      const cur = (await h.store.replies.get({ id: unleased.id }))!;
      await h.store.replies.replace({ reply: { ...cur, state: 'sent', claimedBy: null, leaseUntil: null }, expectedVersion: cur.version });
      expect((await h.store.replies.listDue({ now, limit: 10 })).map((r) => r.id)).toEqual([atBoundary.id]);
    });

    it('C-REPLY-1 refuses a second reply with the same idempotency key', async () => {
      const draft = { ...replyDraft, idempotencyKey: 'key-123456' };
      const first = await h.store.replies.create({ reply: draft });
      const second = await h.store.replies.create({ reply: { ...draft, text: 'again' } }).catch((e: unknown) => e);
      expect(isHarkError(second) && second.code).toBe('conflict');
      expect((await h.store.replies.findByKey({ idempotencyKey: 'key-123456' }))!.id).toBe(first.id);
      const sent = await h.store.replies.replace({ reply: { ...first, state: 'sent' }, expectedVersion: 1 });
      expect(sent.version).toBe(2);
      expect((await h.store.replies.listByState({ state: 'sent', limit: 10 })).map((r) => r.id)).toEqual([first.id]);
      expect((await h.store.replies.listForMention({ mentionId: '1' })).map((r) => r.text)).toEqual(['hi']);
    });

    it('C-AUDIT-1 lists audit events newest first with filters and pages', async () => {
      for (let i = 0; i < 5; i++) {
        await h.store.audit.append({ event: { at: new Date(Date.UTC(2026, 10, 24, 10, i)).toISOString(), actorId: i % 2 ? 'ana' : 'ben', actorEmail: null, action: 'mention.claimed', entityType: 'mention', entityId: String(i % 3), before: { v: i }, after: { v: i + 1 } } });
      }
      const all = await h.store.audit.list({ limit: 3 });
      expect(all.items.map((e) => (e.before as { v: number }).v)).toEqual([4, 3, 2]);
      const rest = await h.store.audit.list({ limit: 3, cursor: all.nextCursor! });
      expect(rest.items.map((e) => (e.before as { v: number }).v)).toEqual([1, 0]);
      expect(rest.nextCursor).toBeNull();
      expect((await h.store.audit.list({ actorId: 'ana', limit: 10 })).items).toHaveLength(2);
      expect((await h.store.audit.list({ entityType: 'mention', entityId: '0', limit: 10 })).items).toHaveLength(2);
      expect((await h.store.audit.list({ since: '2026-11-24T10:03:00.000Z', limit: 10 })).items).toHaveLength(2);
    });

    it('C-CANNED-1 creates, lists, replaces and deletes saved replies', async () => {
      const draft = { title: 'Sorry', body: 'Sorry {{author}}!', shortcut: 'sorry', createdAt: '2026-11-24T10:00:00.000Z', updatedAt: '2026-11-24T10:00:00.000Z' };
      const c = await h.store.cannedResponses.create({ draft });
      await h.store.cannedResponses.replace({ item: { ...c, body: 'So sorry {{author}}!' }, expectedVersion: 1 });
      expect((await h.store.cannedResponses.list()).map((x) => x.body)).toEqual(['So sorry {{author}}!']);
      expect(await h.store.cannedResponses.delete({ id: c.id })).toBe(true);
      expect(await h.store.cannedResponses.list()).toEqual([]);
    });

    it('C-SET-1 keeps settings with compare-and-set', async () => {
      expect(await h.store.settings.get({ key: 'sla' })).toBeNull();
      const v1 = await h.store.settings.set({ key: 'sla', value: { a: 1 }, expectedVersion: 0 });
      expect(v1.version).toBe(1);
      await expect(h.store.settings.set({ key: 'sla', value: { a: 2 }, expectedVersion: 0 })).rejects.toMatchObject({ code: 'conflict' });
      await h.store.settings.set({ key: 'sla', value: { a: 3 }, expectedVersion: 1 });
      await expect(h.store.settings.set({ key: 'sla', value: { a: 4 }, expectedVersion: 1 })).rejects.toMatchObject({ code: 'conflict' });
      expect(await h.store.settings.get({ key: 'sla' })).toEqual({ value: { a: 3 }, version: 2 });
    });

    it('C-HOOK-1 records a delivery once per webhook and event, and returns the due ones', async () => {
      const d = (eventId: string, next: string) => ({ webhookId: 'crm', eventId, event: 'case.created' as const, payload: { a: 1 }, state: 'pending' as const, attempts: 0, nextAttemptAt: next, lastStatus: null, lastError: null, createdAt: next, deliveredAt: null });
      const first = await h.store.webhookDeliveries.enqueue({ delivery: d('e1', '2026-11-24T10:00:00.000Z') });
      expect(first).not.toBeNull();
      expect(await h.store.webhookDeliveries.enqueue({ delivery: d('e1', '2026-11-24T10:00:00.000Z') })).toBeNull();
      await h.store.webhookDeliveries.enqueue({ delivery: { ...d('e1', '2026-11-24T10:00:00.000Z'), webhookId: 'other' } });
      await h.store.webhookDeliveries.enqueue({ delivery: d('e2', '2026-11-24T09:00:00.000Z') });
      await h.store.webhookDeliveries.enqueue({ delivery: d('e3', '2026-11-24T11:00:00.000Z') });
      const due = await h.store.webhookDeliveries.due({ now: '2026-11-24T10:30:00.000Z', limit: 10 });
      expect(due.map((x) => `${x.webhookId}/${x.eventId}`)).toEqual(['crm/e2', 'crm/e1', 'other/e1']);
      await h.store.webhookDeliveries.replace({ delivery: { ...first!, state: 'delivered', nextAttemptAt: null }, expectedVersion: 1 });
      expect((await h.store.webhookDeliveries.due({ now: '2026-11-24T10:30:00.000Z', limit: 10 })).map((x) => x.eventId)).toEqual(['e2', 'e1']);
      expect((await h.store.webhookDeliveries.list({ webhookId: 'crm', limit: 10 })).items).toHaveLength(3);
    });

    it('C-CUST-1 gives each identity one active owner and forgets merged customers', async () => {
      const now = '2026-11-24T10:00:00.000Z';
      const draft = (name: string, identities: Array<{ platform: string; handle: string }>) => ({ name, identities, notes: '', mergedInto: null, mergedFrom: [], createdAt: now, updatedAt: now });
      const ana = await h.store.customers.create({ draft: draft('Ana Ruiz', [{ platform: 'x', handle: 'AnaR' }]) });
      const err = await h.store.customers.create({ draft: draft('Impostor', [{ platform: 'x', handle: 'anar' }]) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'conflict' });
      const other = await h.store.customers.create({ draft: draft('Ana R.', [{ platform: 'reddit', handle: 'anar' }]) });
      const found = await h.store.customers.findByIdentities({ identities: [{ platform: 'x', handle: 'ANAR' }, { platform: 'reddit', handle: 'anar' }, { platform: 'x', handle: 'nobody' }] });
      expect(Object.fromEntries([...found.entries()].map(([k, c]) => [k, c.id]))).toEqual({ 'x:anar': ana.id, 'reddit:anar': other.id });
      expect((await h.store.customers.search({ handles: ['AnaR'], limit: 10 })).map((c) => c.id).sort()).toEqual([ana.id, other.id].sort());
      expect((await h.store.customers.search({ q: 'ruiz', limit: 10 })).map((c) => c.id)).toEqual([ana.id]);
      await h.store.customers.replace({ customer: { ...other, mergedInto: ana.id }, expectedVersion: 1 });
      expect((await h.store.customers.findByIdentities({ identities: [{ platform: 'reddit', handle: 'anar' }] })).size).toBe(0);
      expect((await h.store.customers.search({ q: 'ana', limit: 10 })).map((c) => c.id)).toEqual([ana.id]);
      const grown = await h.store.customers.replace({ customer: { ...ana, identities: [...ana.identities, { platform: 'reddit', handle: 'anar' }] }, expectedVersion: 1 });
      expect((await h.store.customers.findByIdentities({ identities: [{ platform: 'reddit', handle: 'AnaR' }] })).get('reddit:anar')!.id).toBe(grown.id);
    });

    it('C-CORR-1 lists corrections by brand, kind and position, and settings keys by prefix', async () => {
      const c = (brand: string | null, kind: 'sentiment' | 'intent', label: string) => ({ mentionId: '1', brand, kind, label, text: 't', lang: 'en', actorId: 'u', at: '2026-11-24T10:00:00.000Z' });
      const a = await h.store.corrections.add({ correction: c('Acme', 'sentiment', 'negative') });
      await h.store.corrections.add({ correction: c('Acme', 'intent', 'lead') });
      await h.store.corrections.add({ correction: c(null, 'sentiment', 'positive') });
      await h.store.corrections.add({ correction: c('Acme', 'sentiment', 'neutral') });
      expect((await h.store.corrections.list({ brand: 'Acme', kind: 'sentiment', limit: 10 })).map((x) => x.label)).toEqual(['negative', 'neutral']);
      expect((await h.store.corrections.list({ brand: null, limit: 10 })).map((x) => x.label)).toEqual(['positive']);
      expect((await h.store.corrections.list({ afterId: a.id, limit: 2 })).map((x) => x.label)).toEqual(['lead', 'positive']);
      await h.store.settings.set({ key: 'model.sentiment.Acme', value: 1, expectedVersion: 0 });
      await h.store.settings.set({ key: 'model.intent.Acme', value: 1, expectedVersion: 0 });
      await h.store.settings.set({ key: 'teams', value: [], expectedVersion: 0 });
      expect(await h.store.settings.keys({ prefix: 'model.' })).toEqual(['model.intent.Acme', 'model.sentiment.Acme']);
    });

    it('C-SPIKE-1 counts each brand per minute and keeps alerts newest first', async () => {
      const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 9, 0, s)).toISOString();
      const ms = [
        makeNewMention({ brand: 'Acme', createdAt: at(1), label: 'negative' }),
        makeNewMention({ brand: 'Acme', createdAt: at(2), label: 'positive' }),
        makeNewMention({ brand: 'Acme', createdAt: at(70), label: 'negative' }),
        makeNewMention({ brand: 'Globex', createdAt: at(3), label: 'negative' }),
        makeNewMention({ brand: null, createdAt: at(4), label: 'negative' }),
      ];
      await h.store.mentions.insertMany({ mentions: ms });
      await h.store.mentions.insertMany({ mentions: ms });
      expect(await h.store.rollups.brandSeries({ from: at(0), to: at(180) })).toEqual([
        { brand: 'Acme', minute: '2026-11-24T09:00:00.000Z', negative: 1, total: 2 },
        { brand: 'Globex', minute: '2026-11-24T09:00:00.000Z', negative: 1, total: 1 },
        { brand: 'Acme', minute: '2026-11-24T09:01:00.000Z', negative: 1, total: 1 },
      ]);
      const alert = (brand: string, s: number) => ({ brand, topic: 'app down', windowStart: at(s), windowEnd: at(s + 300), negatives: 9, baselineMean: 1, exampleMentionIds: [], raisedAt: at(s) });
      await h.store.alerts.create({ alert: alert('Acme', 10) });
      await h.store.alerts.create({ alert: alert('Globex', 20) });
      await h.store.alerts.create({ alert: alert('Acme', 30) });
      expect((await h.store.alerts.list({ limit: 10 })).map((a) => a.raisedAt)).toEqual([at(30), at(20), at(10)]);
      expect((await h.store.alerts.list({ brand: 'Acme', since: at(15), limit: 10 })).map((a) => a.raisedAt)).toEqual([at(30)]);
    });

    it('C-PRIV-1 redact removes a mention\'s text and author everywhere it is read, once, keeping scores, triage and counts', async () => {
      const a = makeNewMention({ text: 'Zorblat refund missing', label: 'negative', author: { id: '42', handle: 'ZedPerson', name: 'Zed Person', followers: 9, verified: true, url: 'https://x.com/ZedPerson' } });
      const b = makeNewMention({ text: 'zorblat fan here', author: { id: null, handle: 'other', name: null, followers: 1, verified: false, url: null } });
      const { inserted } = await h.store.mentions.insertMany({ mentions: [a, b] });
      const [ma, mb] = inserted as [Mention, Mention];
      expect((await list({ q: 'zorblat' })).items).toHaveLength(2);
      const before = await h.store.rollups.series({ from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' });
      const changed = await h.store.mentions.redact({ ids: [ma.id, 'nope', '999999'], at: '2026-11-30T00:00:00.000Z', reason: 'erasure' });
      expect(changed.map((m) => m.id)).toEqual([ma.id]);
      const got = (await h.store.mentions.get({ id: ma.id }))!;
      expect(got).toEqual(changed[0]);
      expect(got).toMatchObject({ text: '', url: null, author: { id: null, handle: '[erased]', name: null, followers: 0, verified: false, url: null }, redacted: { at: '2026-11-30T00:00:00.000Z', reason: 'erasure' }, version: ma.version + 1 });
      expect(got.scores.sentiment).toEqual(ma.scores.sentiment);
      expect(got.triage).toEqual(ma.triage);
      expect((await list({ q: 'zorblat' })).items.map((m) => m.id)).toEqual([mb.id]);
      expect((await list({ q: 'refund' })).items).toEqual([]);
      expect(await h.store.mentions.byAuthor({ platform: 'x', handle: 'zedperson', limit: 10 })).toEqual([]);
      expect(await h.store.rollups.series({ from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' })).toEqual(before);
      // Again: nothing changes, no version bump.
      expect(await h.store.mentions.redact({ ids: [ma.id], at: '2026-12-01T00:00:00.000Z', reason: 'retention' })).toEqual([]);
      expect((await h.store.mentions.get({ id: ma.id }))!.version).toBe(ma.version + 1);
      // A compare-and-set with the version seen before the redaction loses.
      await expect(h.store.mentions.replace({ mention: ma, expectedVersion: ma.version })).rejects.toMatchObject({ code: 'conflict' });
    });

    it('C-PRIV-2 unredactedBefore lists unredacted mentions posted before a time, oldest first', async () => {
      const at = (d: number) => new Date(Date.UTC(2026, 9, d)).toISOString();
      const { inserted } = await h.store.mentions.insertMany({ mentions: [makeNewMention({ createdAt: at(3) }), makeNewMention({ createdAt: at(1) }), makeNewMention({ createdAt: at(2) }), makeNewMention({ createdAt: at(20) })] });
      const [d3, d1, d2] = inserted as [Mention, Mention, Mention];
      expect(await h.store.mentions.unredactedBefore({ before: at(10), limit: 10 })).toEqual([d1.id, d2.id, d3.id]);
      expect(await h.store.mentions.unredactedBefore({ before: at(10), limit: 2 })).toEqual([d1.id, d2.id]);
      await h.store.mentions.redact({ ids: [d1.id], at: at(25), reason: 'retention' });
      expect(await h.store.mentions.unredactedBefore({ before: at(10), limit: 10 })).toEqual([d2.id, d3.id]);
    });

    it('C-PRIV-3 redactText, redactEntity, redactMentions and redactCase empty what was said about one record only, idempotently', async () => {
      const at = '2026-11-24T10:00:00.000Z';
      for (const [id, data] of [['1', { text: 'secret one', author: 'Agent A' }], ['1', { from: 'open', to: 'closed' }], ['2', { text: 'keep me' }]] as const) {
        await h.store.timeline.append({ event: { entityType: 'mention', entityId: id, kind: 'note', actorId: 'u', at, data } });
      }
      expect(await h.store.timeline.redactText({ entityType: 'mention', entityId: '1' })).toBe(1);
      expect(await h.store.timeline.redactText({ entityType: 'mention', entityId: '1' })).toBe(0);
      expect((await h.store.timeline.list({ entityType: 'mention', entityId: '1' })).map((e) => e.data)).toEqual([{ text: '', author: 'Agent A', erased: true }, { from: 'open', to: 'closed' }]);
      expect((await h.store.timeline.list({ entityType: 'mention', entityId: '2' }))[0]!.data).toEqual({ text: 'keep me' });

      for (const entityId of ['7', '7', '8']) {
        await h.store.audit.append({ event: { at, actorId: 'ana', actorEmail: 'ana@x.y', action: 'customer.updated', entityType: 'customer', entityId, before: { name: 'Secret' }, after: { name: 'Secret 2' } } });
      }
      expect(await h.store.audit.redactEntity({ entityType: 'customer', entityId: '7' })).toBe(2);
      expect(await h.store.audit.redactEntity({ entityType: 'customer', entityId: '7' })).toBe(0);
      const seven = (await h.store.audit.list({ entityType: 'customer', entityId: '7', limit: 10 })).items;
      expect(seven.map((e) => ({ before: e.before, after: e.after, action: e.action, actorId: e.actorId, at: e.at }))).toEqual(Array(2).fill({ before: null, after: null, action: 'customer.updated', actorId: 'ana', at }));
      expect((await h.store.audit.list({ entityType: 'customer', entityId: '8', limit: 10 })).items[0]!.after).toEqual({ name: 'Secret 2' });
      const eight = (await h.store.audit.list({ entityType: 'customer', entityId: '8', limit: 10 })).items[0]!;
      expect(await h.store.audit.redactIds({ ids: [eight.id, 'nope'] })).toBe(1);
      expect(await h.store.audit.redactIds({ ids: [eight.id] })).toBe(0);
      expect((await h.store.audit.list({ entityType: 'customer', entityId: '8', limit: 10 })).items[0]).toMatchObject({ before: null, after: null, action: 'customer.updated', actorId: 'ana' });

      const corr = (mentionId: string) => ({ mentionId, brand: 'Acme', kind: 'sentiment' as const, label: 'negative', text: `text of ${mentionId}`, lang: 'en', actorId: 'u', at });
      await h.store.corrections.add({ correction: corr('1') });
      await h.store.corrections.add({ correction: corr('2') });
      expect(await h.store.corrections.redactMentions({ mentionIds: ['1', '3'] })).toBe(1);
      expect(await h.store.corrections.redactMentions({ mentionIds: ['1'] })).toBe(0);
      expect((await h.store.corrections.list({ limit: 10 })).map((c) => [c.mentionId, c.text, c.label])).toEqual([['1', '', 'negative'], ['2', 'text of 2', 'negative']]);

      const d = (eventId: string, caseId: string) => ({ webhookId: 'crm', eventId, event: 'case.created' as const, payload: { id: eventId, case: { id: caseId, title: '@secret: words' } }, state: 'delivered' as const, attempts: 1, nextAttemptAt: null, lastStatus: 200, lastError: null, createdAt: at, deliveredAt: at });
      await h.store.webhookDeliveries.enqueue({ delivery: d('e1', '5') });
      await h.store.webhookDeliveries.enqueue({ delivery: d('e2', '6') });
      expect(await h.store.webhookDeliveries.redactCase({ caseId: '5', title: 'HK-1 (erased)' })).toBe(1);
      expect(await h.store.webhookDeliveries.redactCase({ caseId: '5', title: 'HK-1 (erased)' })).toBe(0);
      const titles = (await h.store.webhookDeliveries.list({ limit: 10 })).items.map((x) => (x.payload as { case: { title: string } }).case.title).sort();
      expect(titles).toEqual(['@secret: words', 'HK-1 (erased)']);
      await h.store.scrub();
    });

    it('C-SPIKE-2 createOnce stores one alert per key, even when two runners race', async () => {
      const alert = { brand: 'Acme', topic: 'app down', windowStart: '2026-11-24T09:00:00.000Z', windowEnd: '2026-11-24T09:05:00.000Z', negatives: 9, baselineMean: 1, exampleMentionIds: [], raisedAt: '2026-11-24T09:05:00.000Z' };
      const results = await Promise.all(Array.from({ length: 5 }, () => h.store.alerts.createOnce({ key: 'Acme:2026-11-24T09:05', alert })));
      expect(results.filter((a) => a !== null)).toHaveLength(1);
      expect(await h.store.alerts.createOnce({ key: 'Acme:2026-11-24T09:06', alert })).not.toBeNull();
      expect(await h.store.alerts.list({ brand: 'Acme', limit: 10 })).toHaveLength(2);
    });

    it('C-LEASE-1 a lease has one holder at a time; the holder renews it, others get null until it expires or is released', async () => {
      const t0 = Date.UTC(2026, 10, 24, 9);
      const at = (ms: number) => new Date(t0 + ms).toISOString();
      const a = await h.store.leases.acquire({ name: 'sweep:spikes', holder: 'A', ttlMs: 1000, now: at(0) });
      expect(a).toMatchObject({ name: 'sweep:spikes', holder: 'A', acquiredAt: at(0), expiresAt: at(1000) });
      expect(await h.store.leases.acquire({ name: 'sweep:spikes', holder: 'B', ttlMs: 1000, now: at(500) })).toBeNull();
      const again = await h.store.leases.acquire({ name: 'sweep:spikes', holder: 'A', ttlMs: 1000, now: at(600) });
      expect(again).toMatchObject({ holder: 'A', acquiredAt: at(0), expiresAt: at(1600) });
      expect(again!.version).toBeGreaterThan(a!.version);
      const renewed = await h.store.leases.renew({ name: 'sweep:spikes', holder: 'A', ttlMs: 1000, now: at(900) });
      expect(renewed).toMatchObject({ holder: 'A', expiresAt: at(1900) });
      expect(await h.store.leases.renew({ name: 'sweep:spikes', holder: 'B', ttlMs: 1000, now: at(900) })).toBeNull();
      expect(await h.store.leases.acquire({ name: 'sweep:spikes', holder: 'B', ttlMs: 1000, now: at(1899) })).toBeNull();
      // Expired: another holder takes it over, and the old holder can no longer renew.
      const b = await h.store.leases.acquire({ name: 'sweep:spikes', holder: 'B', ttlMs: 1000, now: at(1900) });
      expect(b).toMatchObject({ holder: 'B', acquiredAt: at(1900), expiresAt: at(2900) });
      expect(await h.store.leases.renew({ name: 'sweep:spikes', holder: 'A', ttlMs: 1000, now: at(2000) })).toBeNull();
      expect(await h.store.leases.release({ name: 'sweep:spikes', holder: 'A' })).toBe(false);
      expect(await h.store.leases.release({ name: 'sweep:spikes', holder: 'B' })).toBe(true);
      expect(await h.store.leases.acquire({ name: 'sweep:spikes', holder: 'C', ttlMs: 1000, now: at(2001) })).toMatchObject({ holder: 'C' });
    });

    it('C-LEASE-2 of many holders racing for a free lease exactly one wins; list shows leases by prefix', async () => {
      const now = '2026-11-24T09:00:00.000Z';
      const won = await Promise.all(Array.from({ length: 8 }, (_, i) => h.store.leases.acquire({ name: 'connector:x', holder: `p${i}`, ttlMs: 5000, now })));
      expect(won.filter((l) => l !== null)).toHaveLength(1);
      await h.store.leases.acquire({ name: 'connector:reddit', holder: 'p9', ttlMs: 5000, now });
      await h.store.leases.acquire({ name: 'sweep:sla', holder: 'p9', ttlMs: 5000, now });
      expect((await h.store.leases.list({ prefix: 'connector:' })).map((l) => l.name)).toEqual(['connector:reddit', 'connector:x']);
    });

    it('C-COUNT-1 counters start after `start` and give distinct consecutive values under concurrency', async () => {
      const values = await Promise.all(Array.from({ length: 50 }, () => h.store.counters.next({ name: 'test', start: 10 })));
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => 11 + i));
      expect(await h.store.counters.next({ name: 'other', start: 0 })).toBe(1);
    });

    it('C-CASE-2 many concurrent case creates get distinct consecutive numbers', async () => {
      const made = await Promise.all(Array.from({ length: 40 }, () => h.store.cases.create({ draft: caseDraft({}) })));
      const numbers = made.map((c) => Number(c.number.replace('HK-', ''))).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => numbers[0]! + i));
      expect(new Set(made.map((c) => c.id)).size).toBe(40);
    });

    it('C-PING-1 ping answers while the store is open', async () => {
      await expect(h.store.ping()).resolves.toBeUndefined();
    });
  });
}
