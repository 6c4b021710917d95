import type { User } from '../../shared/auth.js';
import { CASE_TRANSITIONS, type Case, type CreateCaseInput, type TimelineKind, type UpdateCaseInput } from '../../shared/case.js';
import { ConflictError, isHarkError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Mention } from '../../shared/mention.js';
import type { CaseListQuery } from '../../shared/store.js';
import { casePriorityFor, raise } from '../../shared/sla.js';
import { clockTimes, pauseSla, resumeSla, slaState, withSlaIndex } from '../../shared/sla-clock.js';
import { loadCaseTaxonomy } from './case-taxonomy.js';
import { notify, notifyMany, teamMembers } from './notices.js';
import { audit, type OpsDeps } from './deps.js';
import { loadSlaPolicy } from './sla-policy.js';
import { recordCaseFacts } from './report-events.js';
import { mustAssignSelfOrManage, mustHoldOrManage } from './ownership.js';

const titleFrom = (m: Mention) => {
  const t = m.text.replace(/\s+/g, ' ').trim();
  return `@${m.author.handle}: ${t.length > 80 ? `${t.slice(0, 79)}…` : t}`;
};

async function log(deps: OpsDeps, caseId: string, kind: TimelineKind, actor: User | null, data: Record<string, unknown>) {
  await deps.store.timeline.append({ event: { entityType: 'case', entityId: caseId, kind, actorId: actor?.id ?? null, at: deps.now().toISOString(), data: { ...data, actor: actor?.name ?? 'Hark' } } });
}

/** Marks mentions as escalated into the case, retrying a compare-and-set lost to a concurrent change. */
async function linkMentions(deps: OpsDeps, actor: User, kase: Case, mentions: Mention[]) {
  for (const original of mentions) {
    let m: Mention | null = original;
    for (let attempt = 0; m && attempt < 3; attempt++) {
      try {
        const saved = await deps.store.mentions.replace({
          mention: { ...m, caseId: kase.id, customerId: m.customerId ?? kase.customerId, triage: { ...m.triage, status: 'escalated', snoozedUntil: null } },
          expectedVersion: m.version,
        });
        deps.bus.publish('mentions.updated', { mentions: [saved] });
        await audit(deps, actor, 'mention.escalated', 'mention', m.id, m.triage, { ...saved.triage, caseId: kase.id });
        break;
      } catch (e) {
        if (!(isHarkError(e) && e.code === 'conflict')) throw e;
        m = await deps.store.mentions.get({ id: m.id });
      }
    }
  }
}

/**
 * Escalates mentions into a new case, or attaches them to an open case (for
 * instance the customer's). The case's priority follows its most urgent
 * mention and its SLA clock starts from the policy.
 */
export async function escalate(deps: OpsDeps, actor: User, input: CreateCaseInput): Promise<Case> {
  const mentions = await deps.store.mentions.getMany({ ids: input.mentionIds });
  const missing = input.mentionIds.filter((id) => !mentions.some((m) => m.id === id));
  if (missing.length) throw new NotFoundError(`No mention with id ${missing.join(', ')}`);
  // The case is written first and the mentions are linked after it, with no
  // transaction: a mention a case lists belongs to that case even while its
  // own link is not written yet (an escalation that stopped half way).
  const caseOf = new Map<string, string>();
  for (const m of mentions) {
    const owner = m.caseId ?? (await deps.store.cases.findByMention({ mentionId: m.id }))[0]?.id;
    if (owner) caseOf.set(m.id, owner);
  }
  const owners = new Set(caseOf.values());
  if (!input.attachTo && owners.size === 1 && caseOf.size === mentions.length) {
    const kase = await deps.store.cases.get({ id: [...owners][0]! });
    // The same escalation again after it stopped before it was complete: finish it (a complete one is a conflict, below).
    if (kase && input.mentionIds.every((id) => kase.mentionIds.includes(id)) && (mentions.some((m) => !m.caseId) || !(await hasEntry(deps, kase.id, 'created')))) {
      return finishEscalation(deps, actor, kase, mentions, input.note);
    }
  }
  const inOtherCase = mentions.filter((m) => caseOf.has(m.id) && caseOf.get(m.id) !== input.attachTo);
  if (inOtherCase.length) throw new ConflictError(`Mention ${inOtherCase[0]!.id} is already in a case`, { caseId: caseOf.get(inOtherCase[0]!.id) });
  const now = deps.now();

  if (input.attachTo) {
    const kase = await deps.store.cases.get({ id: input.attachTo });
    if (!kase) throw new NotFoundError(`No case with id ${input.attachTo}`);
    if (kase.status === 'closed' || kase.status === 'resolved') throw new ConflictError(`Case ${kase.number} is ${kase.status}; reopen it first`);
    const added = mentions.filter((m) => !kase.mentionIds.includes(m.id));
    const saved = added.length ? await deps.store.cases.replace({ kase: { ...kase, mentionIds: [...kase.mentionIds, ...added.map((m) => m.id)], updatedAt: now.toISOString() }, expectedVersion: kase.version }) : kase;
    // Every mention not linked yet, also those a stopped attempt added to the case but did not link.
    await linkMentions(deps, actor, saved, mentions.filter((m) => m.caseId !== saved.id));
    for (const m of added) await log(deps, saved.id, 'mention_linked', actor, { mentionId: m.id });
    if (input.note) await log(deps, saved.id, 'note', actor, { text: input.note });
    await audit(deps, actor, 'case.mentions_linked', 'case', saved.id, kase.mentionIds, saved.mentionIds);
    deps.bus.publish('case.updated', { case: saved });
    return saved;
  }

  const top = [...mentions].sort((a, b) => b.scores.priority.score - a.scores.priority.score)[0]!;
  const priority = input.priority ?? casePriorityFor(top.scores.priority.score);
  const { policy } = await loadSlaPolicy(deps);
  const target = policy.targets[priority];
  if (input.category) await mustBeListed(deps, 'category', input.category);
  const first = clockTimes(now, target.firstResponseMinutes, policy);
  const resolution = clockTimes(now, target.resolutionMinutes, policy);
  const team = input.team === undefined ? (top.triage.team ?? null) : input.team;
  const draft: Omit<Case, 'id' | 'number' | 'version'> = withSlaIndex({
    title: input.title ?? titleFrom(top),
    status: 'open',
    priority,
    team,
    // Handed to a team the escalating agent is not in, the case waits in that team's queue unassigned.
    assignee: input.assignee === undefined ? (team && !actor.teams.includes(team) ? null : actor.id) : input.assignee,
    customerId: top.customerId,
    mentionIds: mentions.map((m) => m.id),
    externalRef: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    // A reply already sent on one of the mentions counts as the case's first response.
    firstResponseAt: mentions.map((m) => m.triage.firstResponseAt).filter((t): t is string => !!t).sort()[0] ?? null,
    resolvedAt: null,
    sla: {
      firstResponseDueAt: first.dueAt,
      resolutionDueAt: resolution.dueAt,
      firstResponseRiskAt: first.riskAt,
      resolutionRiskAt: resolution.riskAt,
      pausedAt: null,
      pausedMinutes: 0,
      breached: [],
    },
    category: input.category ?? null,
    resolutionCode: null,
    resolutionNote: null,
    mergedInto: null,
    brand: top.brand ?? null,
  });
  const kase = await deps.store.cases.create({ draft });
  return finishEscalation(deps, actor, kase, mentions, input.note);
}

const hasEntry = async (deps: OpsDeps, caseId: string, kind: TimelineKind) => (await deps.store.timeline.list({ entityType: 'case', entityId: caseId })).some((e) => e.kind === kind);

/**
 * The steps after the case is stored, in the order a person reads them on the
 * timeline (created, the note, the links); each is skipped when already done,
 * so a retry completes an escalation that stopped.
 */
async function finishEscalation(deps: OpsDeps, actor: User, kase: Case, mentions: Mention[], note?: string): Promise<Case> {
  const timeline = await deps.store.timeline.list({ entityType: 'case', entityId: kase.id });
  const fresh = !timeline.some((e) => e.kind === 'created');
  if (fresh) await log(deps, kase.id, 'created', actor, { mentionIds: kase.mentionIds, priority: kase.priority });
  if (note && !timeline.some((e) => e.kind === 'note' && e.data.text === note)) await log(deps, kase.id, 'note', actor, { text: note });
  await linkMentions(deps, actor, kase, mentions.filter((m) => m.caseId !== kase.id));
  if (fresh) {
    await audit(deps, actor, 'case.created', 'case', kase.id, null, kase);
    deps.bus.publish('case.created', { case: kase });
    if (kase.assignee && kase.assignee !== actor.id) await noticeAssigned(deps, actor, kase, kase.assignee, 'created');
  }
  return kase;
}

async function noticeAssigned(deps: OpsDeps, actor: User, kase: Case, userId: string, eventKey: string) {
  await notify(deps, `assigned:${kase.id}:${eventKey}:${userId}`, {
    userId,
    kind: 'assigned',
    message: `${actor.name} assigned ${kase.number} to you: ${kase.title}`,
    link: `#/cases/${kase.id}`,
    caseId: kase.id,
    actorId: actor.id,
    at: deps.now().toISOString(),
  });
}

/** Categories and resolution codes come from the managed list (case-taxonomy.ts). */
async function mustBeListed(deps: OpsDeps, field: 'category' | 'resolutionCode', value: string) {
  const t = await loadCaseTaxonomy(deps);
  const list = field === 'category' ? t.taxonomy.categories : t.taxonomy.resolutionCodes;
  if (!list.includes(value)) throw new ValidationError(`${field}: ${value} is not in the list`, [{ field, message: `one of: ${list.join(', ')}` }]);
}

/** Status, priority, assignment and title changes, with compare-and-set and a timeline entry each. */
export async function updateCase(deps: OpsDeps, actor: User, id: string, input: UpdateCaseInput): Promise<Case> {
  const kase = await deps.store.cases.get({ id });
  if (!kase) throw new NotFoundError(`No case with id ${id}`);
  if (kase.version !== input.version) throw new ConflictError(`Case ${kase.number} changed since you loaded it`, { case: kase });
  // Whoever holds a case decides its fate; notes stay open to everyone (addCaseNote).
  mustHoldOrManage(kase.assignee, actor, 'case');
  if (input.assignee !== undefined && input.assignee !== kase.assignee) mustAssignSelfOrManage(input.assignee, actor, 'case');
  if (kase.mergedInto) throw new ConflictError(`Case ${kase.number} was merged into another case; work on that one`, { mergedInto: kase.mergedInto });
  if (input.category) await mustBeListed(deps, 'category', input.category);
  if (input.resolutionCode) await mustBeListed(deps, 'resolutionCode', input.resolutionCode);
  const clock = deps.now();
  const now = clock.toISOString();
  let next: Case = { ...kase, updatedAt: now };
  const events: Array<[TimelineKind, Record<string, unknown>]> = [];
  if (input.status && input.status !== kase.status) {
    if (!CASE_TRANSITIONS[kase.status].includes(input.status)) {
      throw new ValidationError(`status: a ${kase.status} case cannot become ${input.status}`, [{ field: 'status', message: `allowed: ${CASE_TRANSITIONS[kase.status].join(', ')}` }]);
    }
    next.status = input.status;
    if (input.status === 'resolved') next.resolvedAt = now;
    if (input.status === 'open') next.resolvedAt = null;
    events.push(['status', { from: kase.status, to: input.status }]);
    // Waiting on the customer stops the clocks; leaving pending starts them again, the due times moved on by the pause.
    if (input.status === 'pending') {
      next.sla = pauseSla(kase.sla, clock);
      events.push(['sla_paused', {}]);
    } else if (kase.status === 'pending') {
      const { policy } = await loadSlaPolicy(deps);
      next.sla = resumeSla(kase.sla, clock, policy.businessHours);
      events.push(['sla_resumed', { pausedMinutes: Math.round((next.sla.pausedMinutes ?? 0) - (kase.sla.pausedMinutes ?? 0)) }]);
    }
    // Reopened: the old resolution no longer stands (the timeline keeps it).
    if (input.status === 'open' && (kase.status === 'resolved' || kase.status === 'closed')) {
      next.resolutionCode = null;
      next.resolutionNote = null;
    }
  }
  if (input.category !== undefined && input.category !== (kase.category ?? null)) {
    next.category = input.category;
    events.push(['category', { from: kase.category ?? null, to: input.category }]);
  }
  if (input.resolutionCode !== undefined || input.resolutionNote !== undefined) {
    const code = input.resolutionCode !== undefined ? input.resolutionCode : (next.resolutionCode ?? null);
    const note = input.resolutionNote !== undefined ? input.resolutionNote || null : (next.resolutionNote ?? null);
    if (code !== (kase.resolutionCode ?? null) || note !== (kase.resolutionNote ?? null)) {
      next.resolutionCode = code;
      next.resolutionNote = note;
      events.push(['resolution', { code, note }]);
    }
  }
  if (input.priority && input.priority !== kase.priority) {
    next.priority = input.priority;
    events.push(['priority', { from: kase.priority, to: input.priority }]);
  }
  if (input.assignee !== undefined && input.assignee !== kase.assignee) {
    next.assignee = input.assignee;
    events.push(['assignment', { from: kase.assignee, to: input.assignee }]);
  }
  if (input.team !== undefined && input.team !== kase.team) {
    next.team = input.team;
    events.push(['assignment', { team: { from: kase.team, to: input.team } }]);
  }
  if (input.title) next.title = input.title;
  if (input.externalRef !== undefined) next.externalRef = input.externalRef;
  next = withSlaIndex(next);
  const saved = await deps.store.cases.replace({ kase: next, expectedVersion: input.version });
  for (const [kind, data] of events) await log(deps, id, kind, actor, data);
  await audit(deps, actor, 'case.updated', 'case', id, kase, saved);
  await recordCaseFacts(deps, kase, saved);
  deps.bus.publish('case.updated', { case: saved });
  if (saved.assignee && saved.assignee !== kase.assignee && saved.assignee !== actor.id) await noticeAssigned(deps, actor, saved, saved.assignee, `v${saved.version}`);
  return saved;
}

export async function addCaseNote(deps: OpsDeps, actor: User, id: string, text: string, mentioned: string[] = []) {
  const kase = await deps.store.cases.get({ id });
  if (!kase) throw new NotFoundError(`No case with id ${id}`);
  // Only real, active colleagues can be @mentioned; an unknown id is the client's mistake.
  const users = mentioned.length ? await deps.store.users.list() : [];
  const unknown = mentioned.filter((uid) => !users.some((u) => u.id === uid && !u.disabled));
  if (unknown.length) throw new ValidationError(`mentions: no active user ${unknown.join(', ')}`, [{ field: 'mentions', message: 'unknown user' }]);
  const names = mentioned.map((uid) => users.find((u) => u.id === uid)!.name);
  const entry = await deps.store.timeline.append({
    event: { entityType: 'case', entityId: id, kind: 'note', actorId: actor.id, at: deps.now().toISOString(), data: { text, actor: actor.name, ...(mentioned.length ? { mentions: mentioned, mentionNames: names } : {}) } },
  });
  await audit(deps, actor, 'case.noted', 'case', id, null, { text, mentions: mentioned });
  const excerpt = text.length > 120 ? `${text.slice(0, 119)}…` : text;
  // Keyed by the note: a retry of the notices after a failure sends none twice.
  await notifyMany(deps, `note:${entry.id}`, mentioned, { kind: 'mentioned', message: `${actor.name} mentioned you on ${kase.number}: ${excerpt}`, link: `#/cases/${kase.id}`, caseId: kase.id, actorId: actor.id, at: entry.at });
  const touched = await deps.store.cases.replace({ kase: { ...kase, updatedAt: deps.now().toISOString() }, expectedVersion: kase.version }).catch(() => kase);
  deps.bus.publish('case.updated', { case: touched });
  return touched;
}

/**
 * Flags SLA breaches on open cases and applies the policy's escalation
 * (raise priority, hand to another team). Run every few seconds; a case is
 * flagged once per target.
 */
export async function checkSlaBreaches(deps: OpsDeps): Promise<number> {
  const now = deps.now().toISOString();
  const { policy } = await loadSlaPolicy(deps);
  let flagged = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.cases.list({ status: ['open', 'pending'], limit: 200, ...(cursor ? { cursor } : {}) });
    for (const kase of page.items) {
      // Waiting on the customer: the clocks stand still, nothing can breach or turn at risk.
      if (kase.sla.pausedAt) continue;
      if (kase.assignee && slaState(kase, deps.now()) === 'at_risk') {
        // Once per clock deadline (a pause moves it, and a moved deadline may warn again).
        await notify(deps, `sla_risk:${kase.id}:${kase.sla.nextDueAt ?? ''}:${kase.assignee}`, {
          userId: kase.assignee,
          kind: 'sla_at_risk',
          message: `${kase.number} is at risk of breaching its SLA (due ${kase.sla.nextDueAt ?? ''})`,
          link: `#/cases/${kase.id}`,
          caseId: kase.id,
          actorId: null,
          at: now,
        });
      }
      const breached = [...kase.sla.breached];
      if (!kase.firstResponseAt && kase.sla.firstResponseDueAt && kase.sla.firstResponseDueAt <= now && !breached.includes('first_response')) breached.push('first_response');
      if (kase.sla.resolutionDueAt && kase.sla.resolutionDueAt <= now && !breached.includes('resolution')) breached.push('resolution');
      if (breached.length === kase.sla.breached.length) continue;
      const next: Case = withSlaIndex({
        ...kase,
        sla: { ...kase.sla, breached },
        priority: policy.onBreach.raisePriority ? raise(kase.priority) : kase.priority,
        team: policy.onBreach.reassignTeam ?? kase.team,
        updatedAt: now,
      });
      try {
        const saved = await deps.store.cases.replace({ kase: next, expectedVersion: kase.version });
        await log(deps, kase.id, 'sla_breach', null, { targets: breached.filter((b) => !kase.sla.breached.includes(b)), priority: { from: kase.priority, to: saved.priority } });
        await audit(deps, null, 'case.sla_breached', 'case', kase.id, kase.sla, saved.sla);
        deps.bus.publish('case.updated', { case: saved });
        const team = policy.onBreach.notifyTeam ?? (policy.onBreach.reassignTeam ? saved.team : null);
        const message = `${saved.number} breached its ${breached.filter((b) => !kase.sla.breached.includes(b)).join(' and ').replace('_', ' ')} SLA (now ${saved.priority})`;
        if (team) deps.bus.publish('team.notice', { team, caseId: saved.id, at: now, message });
        // In the inboxes of the holder and of the team told: stored, so it is there after a reload.
        await notifyMany(deps, `sla_breach:${saved.id}:${breached.join('+')}`, [...(saved.assignee ? [saved.assignee] : []), ...(await teamMembers(deps, [team]))], {
          kind: 'sla_breached',
          message,
          link: `#/cases/${saved.id}`,
          caseId: saved.id,
          actorId: null,
          at: now,
        });
        flagged++;
      } catch (e) {
        if (!(isHarkError(e) && e.code === 'conflict')) throw e; // changed meanwhile: the next sweep sees it
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return flagged;
}

export const listCases = (deps: Pick<OpsDeps, 'store'>, q: CaseListQuery) => deps.store.cases.list(q);

/** A case with its timeline and the mentions escalated into it; 404 when there is none. */
export async function caseDetail(deps: Pick<OpsDeps, 'store'>, id: string) {
  const kase = await deps.store.cases.get({ id });
  if (!kase) throw new NotFoundError(`No case with id ${id}`);
  const [timeline, mentions] = await Promise.all([
    deps.store.timeline.list({ entityType: 'case', entityId: kase.id }),
    deps.store.mentions.getMany({ ids: kase.mentionIds }),
  ]);
  return { case: kase, timeline, mentions };
}
