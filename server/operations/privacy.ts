import type { User } from '../../shared/auth.js';
import type { Case } from '../../shared/case.js';
import type { Customer, Identity } from '../../shared/customer.js';
import { identityKey } from '../../shared/customer.js';
import { ConflictError, isHarkError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Mention } from '../../shared/mention.js';
import { DEFAULT_RETENTION, ERASED_CUSTOMER_NAME, RETENTION_KEY, type ErasureCounts, type Retention } from '../../shared/privacy.js';
import { textIncrements } from '../store/report-increments.js';
import { readForReplace, readSetting, writeSetting } from '../settings/registry.js';
import { audit, type OpsDeps } from './deps.js';
import { feedbackKey } from './report-events.js';

/*
 * Erasure and export of a customer, and the retention purge.
 *
 * What an erasure removes, and what it keeps (README, "Privacy"):
 * - the customer record becomes a tombstone: name "Erased customer", no notes,
 *   no identities, no merge history; records merged into it likewise;
 * - every mention by one of their identities loses its text, author data,
 *   link and intent cues (mentions.redact; the text index too); its scores,
 *   triage state and the rollup counts stay, so the wall's numbers do not move;
 * - the text of replies to those mentions (they address the person, often by
 *   name) and of notes on those mentions and on the customer's cases; the
 *   titles of those cases (they quote the first mention), also in webhook
 *   delivery payloads; the text kept with sentiment corrections;
 * - before/after of every earlier audit entry about these records.
 * The audit log gains one `customer.erased` entry: who, when, and counts.
 * The network post ids stay, so the same posts are never imported again.
 *
 * There are no transactions across documents (the MongoDB adapter has none),
 * so an erasure is a sequence of idempotent steps. The first marks the
 * customer with what remains to do; each later step is safe to repeat; the
 * mentions of an identity are redacted last in each round, after everything
 * found through them, and a redacted mention no longer matches its author,
 * so a retry resumes where a crash stopped. The tombstone is written last.
 */

const ERASED_CASE_TITLE = (c: Case) => `${c.number} (erased customer)`;
const PAGE = 200;

async function mustGet(deps: OpsDeps, id: string): Promise<Customer> {
  const c = await deps.store.customers.get({ id });
  if (!c) throw new NotFoundError(`No customer with id ${id}`);
  return c;
}

/** Compare-and-set with a re-read: erasure must win against a concurrent edit, not give up. */
async function replaceCustomer(deps: OpsDeps, id: string, change: (c: Customer) => Customer): Promise<Customer> {
  for (let attempt = 0; ; attempt++) {
    const c = await mustGet(deps, id);
    try {
      return await deps.store.customers.replace({ customer: change(c), expectedVersion: c.version });
    } catch (e) {
      if (!(isHarkError(e) && e.code === 'conflict') || attempt >= 5) throw e;
    }
  }
}

async function eraseCase(deps: OpsDeps, kase: Case, counts: ErasureCounts): Promise<void> {
  const title = ERASED_CASE_TITLE(kase);
  counts.notes += await deps.store.timeline.redactText({ entityType: 'case', entityId: kase.id });
  await deps.store.webhookDeliveries.redactCase({ caseId: kase.id, title });
  await deps.store.audit.redactEntity({ entityType: 'case', entityId: kase.id });
  for (let current: Case | null = kase, attempt = 0; current && current.title !== title && attempt < 5; attempt++) {
    try {
      const saved = await deps.store.cases.replace({ kase: { ...current, title }, expectedVersion: current.version });
      deps.bus.publish('case.updated', { case: saved });
      counts.cases++;
      break;
    } catch (e) {
      if (!(isHarkError(e) && e.code === 'conflict')) throw e;
      current = await deps.store.cases.get({ id: kase.id });
    }
  }
}

/** Everything reached through a batch of the person's mentions, then the mentions themselves. */
/**
 * Before mentions lose their text (erasure or retention): the topic and reason
 * rows they added to the reports are taken back out, and a pending "replied to,
 * waiting for their next mention" that names the author is taken, so neither
 * keeps their words or handle.
 */
async function forgetInReports(deps: OpsDeps, mentions: Mention[]): Promise<void> {
  const live = mentions.filter((m) => !m.redacted);
  if (live.length === 0) return;
  await deps.store.reports.forget({ increments: textIncrements(live) });
  await deps.store.reports.takeFeedback({ keys: [...new Set(live.map((m) => feedbackKey(m.platform, m.author.handle)))], since: new Date(0).toISOString() });
}

async function eraseMentions(deps: OpsDeps, mentions: Mention[], counts: ErasureCounts, erasedCases: Set<string>): Promise<void> {
  for (const m of mentions) {
    for (const reply of await deps.store.replies.listForMention({ mentionId: m.id })) {
      await deps.store.audit.redactEntity({ entityType: 'reply', entityId: reply.id });
      if (reply.text === '') continue;
      try {
        await deps.store.replies.replace({ reply: { ...reply, text: '' }, expectedVersion: reply.version });
        counts.replies++;
      } catch (e) {
        // A send racing the erasure bumped the version: the next round finds this mention again.
        if (!(isHarkError(e) && e.code === 'conflict')) throw e;
      }
    }
    counts.notes += await deps.store.timeline.redactText({ entityType: 'mention', entityId: m.id });
    await deps.store.audit.redactEntity({ entityType: 'mention', entityId: m.id });
    if (m.caseId && !erasedCases.has(m.caseId)) {
      const kase = await deps.store.cases.get({ id: m.caseId });
      if (kase) await eraseCase(deps, kase, counts);
      erasedCases.add(m.caseId);
    }
  }
  await deps.store.corrections.redactMentions({ mentionIds: mentions.map((m) => m.id) });
  await forgetInReports(deps, mentions);
  const redacted = await deps.store.mentions.redact({ ids: mentions.map((m) => m.id), at: deps.now().toISOString(), reason: 'erasure' });
  counts.mentions += redacted.length;
  if (redacted.length) deps.bus.publish('mentions.updated', { mentions: redacted });
}

/** Who the erasure is about: this record and every record merged into it, with all their identities. */
async function scopeOf(deps: OpsDeps, c: Customer): Promise<{ identities: Identity[]; mergedIds: string[] }> {
  const mergedIds = c.mergedFrom.map((f) => f.customerId);
  const identities = [...c.identities, ...c.mergedFrom.flatMap((f) => f.identities)];
  for (const id of mergedIds) {
    const gone = await deps.store.customers.get({ id });
    if (gone) identities.push(...gone.identities);
  }
  return { identities: [...new Map(identities.map((i) => [identityKey(i), i])).values()], mergedIds };
}

export interface ErasureResult {
  customer: Customer;
  counts: ErasureCounts;
}

/**
 * Erases a customer (see the top of this file). `confirmName` must be the
 * customer's current name. Repeating a finished erasure changes nothing and
 * answers as the first did; repeating an interrupted one completes it.
 */
export async function eraseCustomer(deps: OpsDeps, actor: User, id: string, confirmName: string): Promise<ErasureResult> {
  let c = await mustGet(deps, id);
  if (c.mergedInto) throw new ConflictError('This customer was merged into another; erase that one');
  const counts: ErasureCounts = { mentions: 0, replies: 0, cases: 0, notes: 0 };
  if (c.erasure?.completedAt) {
    await recordErasure(deps, actor, c, counts);
    return { customer: c, counts };
  }
  if (!c.erasure) {
    if (confirmName.trim() !== c.name) throw new ValidationError('confirmName: type the customer\u2019s name to confirm the erasure', [{ field: 'confirmName', message: 'does not match the name' }]);
    // Step 1: write down what is to be erased before anything is erased.
    const scope = await scopeOf(deps, c);
    c = await replaceCustomer(deps, id, (cur) => ({ ...cur, erasure: { startedAt: deps.now().toISOString(), byId: actor.id, completedAt: null, ...scope } }));
  }
  const plan = c.erasure!;
  const erasedCases = new Set<string>();

  // Step 2: each identity's mentions, page by page, until none is left under that author.
  for (const identity of plan.identities) {
    for (let round = 0; round < 100_000; round++) {
      const page = (await deps.store.mentions.byAuthor({ platform: identity.platform, handle: identity.handle, limit: PAGE })).filter((m) => !m.redacted);
      if (page.length === 0) break;
      await eraseMentions(deps, page, counts, erasedCases);
    }
  }

  // Step 3: the customer's cases, including ones opened without a mention of theirs.
  for (const customerId of [id, ...plan.mergedIds]) {
    let cursor: string | undefined;
    do {
      const page = await deps.store.cases.list({ customerId, limit: PAGE, ...(cursor ? { cursor } : {}) });
      for (const kase of page.items) if (!erasedCases.has(kase.id)) await eraseCase(deps, kase, counts);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  // Step 4: earlier audit entries about the records (and other records' entries that recorded them, like a
  // merge later undone), then the tombstones (merged records first).
  for (const customerId of [...plan.mergedIds, id]) await deps.store.audit.redactEntity({ entityType: 'customer', entityId: customerId });
  await redactOtherRecordsAudit(deps, [id, ...plan.mergedIds]);
  const now = deps.now().toISOString();
  const tombstone = (cur: Customer): Customer => ({ ...cur, name: ERASED_CUSTOMER_NAME, notes: '', identities: [], mergedFrom: [], updatedAt: now });
  for (const mergedId of plan.mergedIds) {
    if (await deps.store.customers.get({ id: mergedId })) await replaceCustomer(deps, mergedId, (cur) => ({ ...tombstone(cur), erasure: { startedAt: plan.startedAt, byId: plan.byId, completedAt: now, identities: [], mergedIds: [] } }));
  }
  c = await replaceCustomer(deps, id, (cur) => ({ ...tombstone(cur), erasure: { startedAt: plan.startedAt, byId: plan.byId, completedAt: now, identities: [], mergedIds: plan.mergedIds } }));

  // Step 5: one audit entry saying it happened, then the files are scrubbed.
  await recordErasure(deps, actor, c, counts);
  await deps.store.scrub();
  return { customer: c, counts };
}

/** Merges and unmerges are audited on the record that stays; their before/after hold the other record too. */
async function redactOtherRecordsAudit(deps: OpsDeps, customerIds: string[]): Promise<void> {
  const needles = customerIds.flatMap((cid) => [`"id":"${cid}"`, `"customerId":"${cid}"`]);
  let cursor: string | undefined;
  do {
    const page = await deps.store.audit.list({ entityType: 'customer', limit: 500, ...(cursor ? { cursor } : {}) });
    const hits = page.items.filter((e) => (e.action === 'customer.merged' || e.action === 'customer.unmerged') && !customerIds.includes(e.entityId) && needles.some((n) => JSON.stringify([e.before, e.after]).includes(n)));
    for (const e of hits) {
      // A merge appended the other record's notes to the kept one's; an unmerge leaves them there. Take them out first.
      const gone = e.action === 'customer.merged' ? (e.before as { gone?: Customer } | null)?.gone : null;
      if (gone?.notes && customerIds.includes(gone.id)) {
        const keeper = await deps.store.customers.get({ id: e.entityId });
        if (keeper?.notes.includes(gone.notes)) await replaceCustomer(deps, keeper.id, (cur) => ({ ...cur, notes: cur.notes.split(gone.notes).join('').replace(/\n{3,}/g, '\n\n').trim() }));
      }
    }
    if (hits.length) await deps.store.audit.redactIds({ ids: hits.map((e) => e.id) });
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Writes the `customer.erased` entry once, whichever attempt gets here first. */
async function recordErasure(deps: OpsDeps, actor: User, c: Customer, counts: ErasureCounts): Promise<void> {
  const existing = await deps.store.audit.list({ entityType: 'customer', entityId: c.id, limit: 20 });
  if (existing.items.some((e) => e.action === 'customer.erased')) return;
  await audit(deps, actor, 'customer.erased', 'customer', c.id, null, { erasedBy: c.erasure?.byId ?? actor.id, startedAt: c.erasure?.startedAt ?? null, ...counts });
}

/**
 * Everything Hark holds about a customer, as one JSON document: the record(s),
 * every mention by their identities, replies to them, notes on them, the
 * customer's cases with their timelines, and the audit entries about the record.
 */
export async function exportCustomer(deps: OpsDeps, id: string) {
  let c = await mustGet(deps, id);
  if (c.mergedInto) c = await mustGet(deps, c.mergedInto);
  const { identities, mergedIds } = await scopeOf(deps, c);
  const merged = (await Promise.all(mergedIds.map((m) => deps.store.customers.get({ id: m })))).filter((x): x is Customer => !!x);
  const mentions: Mention[] = [];
  for (const i of identities) {
    let before: { createdAt: string; id: string } | undefined;
    for (;;) {
      const page = await deps.store.mentions.byAuthor({ platform: i.platform, handle: i.handle, limit: PAGE, ...(before ? { before } : {}) });
      mentions.push(...page);
      const last = page[page.length - 1];
      if (page.length < PAGE || !last) break;
      before = { createdAt: last.createdAt, id: last.id };
    }
  }
  const perMention = await Promise.all(
    mentions.map(async (m) => ({
      mentionId: m.id,
      replies: await deps.store.replies.listForMention({ mentionId: m.id }),
      notes: (await deps.store.timeline.list({ entityType: 'mention', entityId: m.id })).filter((e) => e.kind === 'note'),
    })),
  );
  const cases: Array<{ case: Case; timeline: Awaited<ReturnType<OpsDeps['store']['timeline']['list']>> }> = [];
  const caseIds = new Set<string>();
  for (const customerId of [c.id, ...mergedIds]) {
    let cursor: string | undefined;
    do {
      const page = await deps.store.cases.list({ customerId, limit: PAGE, ...(cursor ? { cursor } : {}) });
      for (const kase of page.items) {
        if (caseIds.has(kase.id)) continue;
        caseIds.add(kase.id);
        cases.push({ case: kase, timeline: await deps.store.timeline.list({ entityType: 'case', entityId: kase.id }) });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  const auditEntries = [];
  for (const customerId of [c.id, ...mergedIds]) {
    let cursor: string | undefined;
    do {
      const page = await deps.store.audit.list({ entityType: 'customer', entityId: customerId, limit: 500, ...(cursor ? { cursor } : {}) });
      auditEntries.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return {
    exportedAt: deps.now().toISOString(),
    customer: c,
    mergedRecords: merged,
    identities,
    mentions,
    replies: perMention.flatMap((p) => p.replies),
    mentionNotes: perMention.flatMap((p) => p.notes),
    cases,
    audit: auditEntries,
  };
}

export async function loadRetention(deps: Pick<OpsDeps, 'store'>): Promise<{ value: Retention; version: number }> {
  const s = await readSetting(deps.store, RETENTION_KEY);
  return s ?? { value: DEFAULT_RETENTION, version: 0 };
}

export async function saveRetention(deps: OpsDeps, actor: User, input: Retention & { version: number }) {
  const before = await readForReplace(deps.store, RETENTION_KEY);
  const { version, ...value } = input;
  const saved = await writeSetting(deps.store, RETENTION_KEY, value, version);
  await audit(deps, actor, 'settings.retention_changed', 'settings', RETENTION_KEY, before.value ?? (before.version ? null : DEFAULT_RETENTION), value);
  return saved;
}

/**
 * The retention duty: mentions posted longer ago than the retention period
 * lose their raw text and author data (mentions.redact, reason "retention").
 * Scores, triage, cases and rollup counts stay. Safe to run anywhere, any
 * number of times; each run does at most `maxBatches` batches and the next
 * run continues.
 */
export async function purgeExpired(deps: OpsDeps, now: Date, opts: { batch?: number; maxBatches?: number } = {}): Promise<number> {
  const { value } = await loadRetention(deps);
  if (!value.mentionDays) return 0;
  const before = new Date(now.getTime() - value.mentionDays * 86_400_000).toISOString();
  let purged = 0;
  for (let i = 0; i < (opts.maxBatches ?? 20); i++) {
    const ids = await deps.store.mentions.unredactedBefore({ before, limit: opts.batch ?? 500 });
    if (ids.length === 0) break;
    await deps.store.corrections.redactMentions({ mentionIds: ids });
    await forgetInReports(deps, await deps.store.mentions.getMany({ ids }));
    const redacted = await deps.store.mentions.redact({ ids, at: now.toISOString(), reason: 'retention' });
    purged += redacted.length;
    if (redacted.length) deps.bus.publish('mentions.updated', { mentions: redacted });
  }
  if (purged > 0) {
    await audit(deps, null, 'privacy.retention_purged', 'settings', RETENTION_KEY, null, { mentions: purged, postedBefore: before });
    await deps.store.scrub();
  }
  return purged;
}
