import { roleAtLeast, type User } from '../../shared/auth.js';
import { ConflictError, isHarkError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Mention, Triage } from '../../shared/mention.js';
import type { BulkInput, BulkResult } from '../../shared/triage-actions.js';
import { audit, type OpsDeps } from './deps.js';
import { mustAssignSelfOrManage, mustHoldOrManage as holderRule } from './ownership.js';

/** A change to a mention's triage state, computed from the current mention; throws to refuse. */
type TriageChange = (m: Mention, actor: User, now: string) => Partial<Triage>;

const holderOf = async (deps: OpsDeps, m: Mention) => (m.triage.assignee ? await deps.store.users.findById({ id: m.triage.assignee }) : null);

async function heldError(deps: OpsDeps, m: Mention): Promise<ConflictError> {
  const holder = await holderOf(deps, m);
  return new ConflictError(`${holder?.name ?? 'Another agent'} holds this mention`, { heldBy: holder ? { id: holder.id, name: holder.name } : null, mention: m });
}

/**
 * Applies a triage change with compare-and-set on the version the caller saw.
 * Losing a race is a 409 that carries the current mention (and its holder), so
 * the UI can show who got there first.
 */
export async function changeTriage(deps: OpsDeps, actor: User, id: string, version: number, action: string, change: TriageChange): Promise<Mention> {
  const m = await deps.store.mentions.get({ id });
  if (!m) throw new NotFoundError(`No mention with id ${id}`);
  if (m.version !== version) {
    if (m.triage.assignee && m.triage.assignee !== actor.id) throw await heldError(deps, m);
    throw new ConflictError('This mention changed since you loaded it', { mention: m });
  }
  const now = deps.now().toISOString();
  let patch: Partial<Triage>;
  try {
    patch = change(m, actor, now);
  } catch (e) {
    if (isHarkError(e) && e.code === 'conflict') throw await heldError(deps, m);
    throw e;
  }
  const next: Mention = { ...m, triage: { ...m.triage, ...patch } };
  let saved: Mention;
  try {
    saved = await deps.store.mentions.replace({ mention: next, expectedVersion: version });
  } catch (e) {
    if (isHarkError(e) && e.code === 'conflict') {
      const current = await deps.store.mentions.get({ id });
      if (current?.triage.assignee && current.triage.assignee !== actor.id) throw await heldError(deps, current);
      throw new ConflictError('This mention changed since you loaded it', { mention: current });
    }
    throw e;
  }
  await audit(deps, actor, `mention.${action}`, 'mention', id, m.triage, saved.triage);
  deps.bus.publish('mentions.updated', { mentions: [saved] });
  return saved;
}

const mustHoldOrManage = (m: Mention, actor: User) => holderRule(m.triage.assignee, actor, 'mention');

export const claim: TriageChange = (m, actor, now) => {
  if (m.triage.assignee === actor.id) return {};
  if (m.triage.assignee) throw new ConflictError('Someone else holds this mention');
  return { assignee: actor.id, status: m.triage.status === 'new' || m.triage.status === 'snoozed' || m.triage.status === 'watching' ? 'claimed' : m.triage.status, claimedAt: now, snoozedUntil: null };
};

export const release: TriageChange = (m, actor) => {
  mustHoldOrManage(m, actor);
  return { assignee: null, status: m.triage.status === 'claimed' ? 'new' : m.triage.status, claimedAt: null };
};

export const assignTo =
  (assignee: string | null, team: string | null | undefined): TriageChange =>
  (m, actor, now) => {
    mustAssignSelfOrManage(assignee, actor, 'mention');
    if (!roleAtLeast(actor.role, 'manager')) mustHoldOrManage(m, actor);
    const statusAfter = assignee ? (m.triage.status === 'new' ? 'claimed' : m.triage.status) : m.triage.status === 'claimed' ? 'new' : m.triage.status;
    return { assignee, status: statusAfter, claimedAt: assignee ? now : null, ...(team !== undefined ? { team } : {}) };
  };

export const dismiss =
  (reason: string): TriageChange =>
  (m, actor) => {
    mustHoldOrManage(m, actor);
    return { status: 'dismissed', dismissReason: reason, assignee: null, snoozedUntil: null };
  };

export const watch: TriageChange = (m, actor) => {
  mustHoldOrManage(m, actor);
  return { status: 'watching', assignee: null, snoozedUntil: null };
};

export const snooze =
  (until: string): TriageChange =>
  (m, actor, now) => {
    mustHoldOrManage(m, actor);
    if (until <= now) throw new ValidationError('until: must be in the future', [{ field: 'until', message: 'must be in the future' }]);
    return { status: 'snoozed', snoozedUntil: until, assignee: null };
  };

export const retag =
  (add: string[], remove: string[]): TriageChange =>
  (m) => ({ tags: [...new Set([...m.triage.tags.filter((t) => !remove.includes(t)), ...add])].sort() });

/** Adds an internal note to the mention's timeline (no version: notes never conflict). */
export async function addMentionNote(deps: OpsDeps, actor: User, id: string, text: string) {
  const m = await deps.store.mentions.get({ id });
  if (!m) throw new NotFoundError(`No mention with id ${id}`);
  const event = await deps.store.timeline.append({ event: { entityType: 'mention', entityId: id, kind: 'note', actorId: actor.id, at: deps.now().toISOString(), data: { text, author: actor.name } } });
  await audit(deps, actor, 'mention.noted', 'mention', id, null, { text });
  return event;
}

/**
 * "Next": hands the agent the highest-priority unclaimed mention of their
 * teams, claimed for them in the same step, so nobody cherry-picks and two
 * agents pressing n at once get different mentions.
 */
export async function claimNext(deps: OpsDeps, actor: User): Promise<Mention | null> {
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await deps.store.mentions.list({ status: ['new'], assignee: 'none', sort: 'priority', limit: 20, ...(cursor ? { cursor } : {}) });
    for (const m of res.items) {
      if (m.triage.team && !actor.teams.includes(m.triage.team)) continue;
      try {
        return await changeTriage(deps, actor, m.id, m.version, 'claimed', claim);
      } catch (e) {
        if (isHarkError(e) && e.code === 'conflict') continue; // someone was faster: try the next one
        throw e;
      }
    }
    if (!res.nextCursor) return null;
    cursor = res.nextCursor;
  }
  return null;
}

/** One action over a selection; each mention succeeds or fails on its own. */
export async function bulk(deps: OpsDeps, actor: User, input: BulkInput): Promise<BulkResult> {
  const change: [string, TriageChange] =
    input.action === 'dismiss'
      ? ['dismissed', dismiss(input.reason!)]
      : input.action === 'watch'
        ? ['watched', watch]
        : input.action === 'release'
          ? ['released', release]
          : input.action === 'assign'
            ? ['assigned', assignTo(input.assignee ?? null, undefined)]
            : input.action === 'snooze'
              ? ['snoozed', snooze(input.until!)]
              : ['tagged', retag(input.tags ?? [], [])];
  const result: BulkResult = { ok: [], failed: [] };
  const mentions = new Map((await deps.store.mentions.getMany({ ids: input.ids })).map((m) => [m.id, m]));
  for (const id of new Set(input.ids)) {
    const m = mentions.get(id);
    if (!m) {
      result.failed.push({ id, code: 'not_found', message: `No mention with id ${id}` });
      continue;
    }
    try {
      await changeTriage(deps, actor, id, m.version, change[0], change[1]);
      result.ok.push(id);
    } catch (e) {
      if (!isHarkError(e)) throw e;
      result.failed.push({ id, code: e.code, message: e.message });
    }
  }
  return result;
}

/** Snoozed mentions whose time has come go back to the queue. */
export async function wakeSnoozed(deps: OpsDeps): Promise<number> {
  const now = deps.now().toISOString();
  const { items } = await deps.store.mentions.list({ status: ['snoozed'], sort: 'recent', limit: 200 });
  let woken = 0;
  for (const m of items) {
    if (!m.triage.snoozedUntil || m.triage.snoozedUntil > now) continue;
    try {
      const saved = await deps.store.mentions.replace({ mention: { ...m, triage: { ...m.triage, status: 'new', snoozedUntil: null } }, expectedVersion: m.version });
      deps.bus.publish('mentions.updated', { mentions: [saved] });
      await audit(deps, null, 'mention.woke', 'mention', m.id, m.triage, saved.triage);
      woken++;
    } catch (e) {
      if (!(isHarkError(e) && e.code === 'conflict')) throw e;
    }
  }
  return woken;
}

export const mentionTimeline = (deps: Pick<OpsDeps, 'store'>, id: string) => deps.store.timeline.list({ entityType: 'mention', entityId: id });

/** Everything an agent needs beside the mention: the author's history, replies, the case, notes, who holds it. */
export async function mentionContext(deps: OpsDeps, id: string) {
  const m = await deps.store.mentions.get({ id });
  if (!m) throw new NotFoundError(`No mention with id ${id}`);
  const [history, replies, timeline, kase] = await Promise.all([
    // A redacted mention has no author any more, so no history: other redacted mentions are not "theirs".
    m.redacted ? Promise.resolve([]) : deps.store.mentions.byAuthor({ platform: m.platform, handle: m.author.handle, limit: 21 }),
    deps.store.replies.listForMention({ mentionId: m.id }),
    mentionTimeline(deps, m.id),
    m.caseId ? deps.store.cases.get({ id: m.caseId }) : Promise.resolve(null),
  ]);
  const holder = await holderOf(deps, m);
  return { history: history.filter((h) => h.id !== m.id).slice(0, 20), replies, timeline, case: kase, holder: holder ? { id: holder.id, name: holder.name } : null };
}
