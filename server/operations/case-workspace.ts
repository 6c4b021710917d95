import type { User } from '../../shared/auth.js';
import type { Case, SlaState } from '../../shared/case.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { CaseQueueQuery } from '../../shared/store.js';
import { casePriorityFor } from '../../shared/sla.js';
import { withSlaIndex } from '../../shared/sla-clock.js';
import { loadTeams } from '../routing/routing-context.js';
import { loadCaseTaxonomy } from './case-taxonomy.js';
import { caseDetail } from './cases.js';
import { customer360 } from './customers.js';
import { audit, type OpsDeps } from './deps.js';
import { mustHoldOrManage } from './ownership.js';
import { sendReply, type ReplyDeps } from './replies.js';
import { loadSlaPolicy } from './sla-policy.js';

/** One page of the case queue and the counts per SLA state of the same filters, both from the store. */
export async function caseQueue(deps: Pick<OpsDeps, 'store' | 'now'>, q: Omit<CaseQueueQuery, 'now'>) {
  const now = deps.now().toISOString();
  const { slaState: _s, limit: _l, offset: _o, ...rest } = q;
  const [page, counts] = await Promise.all([deps.store.caseQueue.page({ ...q, now }), deps.store.caseQueue.counts({ ...rest, now })]);
  return { ...page, counts, at: now };
}

/** The team's breach count right now, for a manager's view. */
export async function teamSlaCounts(deps: Pick<OpsDeps, 'store' | 'now'>, team: string | undefined): Promise<Record<SlaState, number>> {
  return deps.store.caseQueue.counts({ now: deps.now().toISOString(), status: ['open', 'pending'], ...(team ? { team } : {}) });
}

/**
 * What the escalation dialog starts from: a title from the mention, the team
 * routing chose, the priority its score gives, the lists to choose from, and
 * the customer's open cases (offered first: attaching beats a duplicate case).
 */
export async function escalationDefaults(deps: Pick<OpsDeps, 'store'>, mentionId: string) {
  const m = await deps.store.mentions.get({ id: mentionId });
  if (!m) throw new NotFoundError(`No mention with id ${mentionId}`);
  const [teams, taxonomy] = await Promise.all([loadTeams(deps.store), loadCaseTaxonomy(deps)]);
  const open = m.customerId ? (await deps.store.cases.list({ customerId: m.customerId, status: ['open', 'pending'], limit: 20 })).items.filter((c) => !c.mergedInto) : [];
  const t = m.text.replace(/\s+/g, ' ').trim();
  return {
    title: `@${m.author.handle}: ${t.length > 80 ? `${t.slice(0, 79)}…` : t}`,
    team: m.triage.team ?? null,
    priority: casePriorityFor(m.scores.priority.score),
    category: null as string | null,
    teams: teams.teams.map((x) => ({ id: x.id, name: x.name })),
    categories: taxonomy.taxonomy.categories,
    openCases: open.map((c) => ({ id: c.id, number: c.number, title: c.title, status: c.status })),
    alreadyIn: m.caseId,
  };
}

/**
 * The case page: the case, its timeline, its mentions each with its thread
 * (the mentions it answers and its replies), the customer beside it (the 360
 * view, trimmed), the lists to pick from and what the SLA policy does on breach.
 */
export async function caseWorkspace(deps: OpsDeps, id: string) {
  const detail = await caseDetail(deps, id);
  const kase = detail.case;
  // Each mention's thread as Hark holds it: what it answers (the network's id) and every reply sent from Hark.
  const threads = await Promise.all(detail.mentions.map(async (m) => ({ mentionId: m.id, inReplyTo: m.inReplyTo, replies: await deps.store.replies.listForMention({ mentionId: m.id }) })));
  const [{ policy }, taxonomy, customer] = await Promise.all([
    loadSlaPolicy(deps),
    loadCaseTaxonomy(deps),
    kase.customerId ? customer360(deps, kase.customerId, { limit: 50 }).catch(() => null) : Promise.resolve(null),
  ]);
  return {
    ...detail,
    threads,
    customer: customer && {
      customer: customer.customer,
      history: customer.mentions.slice(0, 20),
      sentiment: customer.sentiment,
      influence: customer.influence,
      otherOpenCases: customer.cases.filter((c) => c.id !== kase.id && (c.status === 'open' || c.status === 'pending')),
      pastCases: customer.cases.filter((c) => c.id !== kase.id && (c.status === 'resolved' || c.status === 'closed')).length,
    },
    sla: { businessHours: policy.businessHours, atRiskPercent: policy.atRiskPercent, onBreach: policy.onBreach },
    taxonomy: taxonomy.taxonomy,
    mergedInto: kase.mergedInto ?? null,
  };
}

/**
 * Answers the customer from the case, on the network of the mention chosen:
 * the very send the queue uses (same outbox, same idempotency key rule), so
 * a double click or a retry posts once.
 */
export async function replyFromCase(deps: ReplyDeps, actor: User, caseId: string, input: { mentionId: string; text: string; idempotencyKey: string }) {
  const kase = await deps.store.cases.get({ id: caseId });
  if (!kase) throw new NotFoundError(`No case with id ${caseId}`);
  if (!kase.mentionIds.includes(input.mentionId)) throw new ValidationError(`mentionId: mention ${input.mentionId} is not in case ${kase.number}`, [{ field: 'mentionId', message: 'not in this case' }]);
  mustHoldOrManage(kase.assignee, actor, 'case');
  return sendReply(deps, actor, input.mentionId, { text: input.text, idempotencyKey: input.idempotencyKey });
}

/**
 * Merges `id` into `into` (the survivor): the mentions move and point to the
 * survivor, the merged case's timeline is copied to the survivor's (marked as
 * from the merged case), and the merged case is closed pointing to the survivor.
 */
export async function mergeCases(deps: OpsDeps, actor: User, id: string, into: string): Promise<{ survivor: Case; merged: Case }> {
  if (id === into) throw new ValidationError('into: a case cannot be merged into itself', [{ field: 'into', message: 'another case' }]);
  const [gone, keep] = await Promise.all([deps.store.cases.get({ id }), deps.store.cases.get({ id: into })]);
  if (!gone) throw new NotFoundError(`No case with id ${id}`);
  if (!keep) throw new NotFoundError(`No case with id ${into}`);
  mustHoldOrManage(gone.assignee, actor, 'case');
  mustHoldOrManage(keep.assignee, actor, 'case');
  if (gone.mergedInto) throw new ConflictError(`Case ${gone.number} is already merged`, { mergedInto: gone.mergedInto });
  if (keep.mergedInto) throw new ConflictError(`Case ${keep.number} was merged into another case`, { mergedInto: keep.mergedInto });
  const now = deps.now().toISOString();
  // The survivor first: if this stops half way, the mentions are listed by both and a retry finishes it.
  const survivor = await deps.store.cases.replace({
    kase: withSlaIndex({ ...keep, mentionIds: [...keep.mentionIds, ...gone.mentionIds.filter((m) => !keep.mentionIds.includes(m))], customerId: keep.customerId ?? gone.customerId, updatedAt: now }),
    expectedVersion: keep.version,
  });
  const merged = await deps.store.cases.replace({
    kase: withSlaIndex({ ...gone, status: 'closed', mergedInto: survivor.id, resolvedAt: gone.resolvedAt ?? now, updatedAt: now }),
    expectedVersion: gone.version,
  });
  for (const mid of gone.mentionIds) {
    const m = await deps.store.mentions.get({ id: mid });
    if (m && m.caseId !== survivor.id) {
      const saved = await deps.store.mentions.replace({ mention: { ...m, caseId: survivor.id }, expectedVersion: m.version }).catch(() => null);
      if (saved) deps.bus.publish('mentions.updated', { mentions: [saved] });
    }
  }
  for (const e of await deps.store.timeline.list({ entityType: 'case', entityId: gone.id })) {
    await deps.store.timeline.append({ event: { entityType: 'case', entityId: survivor.id, kind: e.kind, actorId: e.actorId, at: e.at, data: { ...e.data, fromCase: gone.number } } });
  }
  const entry = (caseId: string, data: Record<string, unknown>) =>
    deps.store.timeline.append({ event: { entityType: 'case', entityId: caseId, kind: 'merged', actorId: actor.id, at: now, data: { ...data, actor: actor.name } } });
  await entry(survivor.id, { from: gone.number, fromId: gone.id });
  await entry(gone.id, { into: survivor.number, intoId: survivor.id });
  await audit(deps, actor, 'case.merged', 'case', gone.id, { case: gone }, { mergedInto: survivor.id, survivorMentionIds: survivor.mentionIds });
  deps.bus.publish('case.updated', { case: survivor });
  deps.bus.publish('case.updated', { case: merged });
  return { survivor, merged };
}
