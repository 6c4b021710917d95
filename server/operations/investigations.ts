import type { User } from '../../shared/auth.js';
import type { Case } from '../../shared/case.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import { INVESTIGATION_BACKFILL_CAP, INVESTIGATION_LOOKBACK_HOURS, type InvestigationView, type OpenInvestigationInput } from '../../shared/investigation.js';
import type { Mention } from '../../shared/mention.js';
import { topicTerms } from '../../workers/nlp/topics.js';
import { brandWordsOf } from '../../workers/nlp/brand-words.js';
import { audit, type OpsDeps } from './deps.js';

const sameBrand = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Whether a mention carries the investigation's topic, as the topic rules read it (its terms without the brand's words). */
export function carriesTopic(m: Pick<Mention, 'brand' | 'text'>, inv: { brand: string; topic: string }, words = brandWordsOf([inv.brand])): boolean {
  if (!m.brand || !sameBrand(m.brand, inv.brand) || !m.text) return false;
  return topicTerms(m.text, words).includes(inv.topic.toLowerCase());
}

const linkRow = (m: Mention) => ({ mentionId: m.id, createdAt: m.createdAt, sentiment: m.scores.sentiment.label });

/**
 * A manager opens an investigation from an alert or a rising topic in one
 * action: the case is created (or the open one for the same brand and topic
 * is returned), and every mention of the last 24 hours carrying the topic is
 * linked (found through the text index, up to a cap); from then on the
 * pipeline links new ones (createInvestigationAttacher).
 */
export async function openInvestigation(deps: OpsDeps, actor: User, input: OpenInvestigationInput): Promise<{ case: Case; created: boolean; linked: number }> {
  const topic = input.topic.trim().toLowerCase();
  if (topicTerms(topic, new Set()).length === 0) throw new ValidationError('topic: name a word or phrase a mention can carry', [{ field: 'topic', message: 'no searchable words' }]);
  const brand = input.brand.trim();
  let alertExamples: string[] = [];
  if (input.alertId) {
    const alert = (await deps.store.alerts.list({ brand, limit: 200 })).find((a) => a.id === input.alertId);
    if (!alert) throw new NotFoundError(`No alert ${input.alertId} for ${brand}`);
    alertExamples = alert.exampleMentionIds;
  }
  const existing = (await deps.store.investigations.openCases({ limit: 500 })).find((c) => c.investigation && sameBrand(c.investigation.brand, brand) && c.investigation.topic === topic);
  if (existing) return { case: existing, created: false, linked: 0 };

  const now = deps.now().toISOString();
  const kase = await deps.store.cases.create({
    draft: {
      title: `Investigation: “${topic}” (${brand})`,
      status: 'open',
      priority: 'high',
      team: null,
      assignee: actor.id,
      customerId: null,
      mentionIds: [],
      externalRef: null,
      createdAt: now,
      updatedAt: now,
      firstResponseAt: null,
      resolvedAt: null,
      // The SLA clocks are for answering customers; an investigation has none.
      sla: { firstResponseDueAt: null, resolutionDueAt: null, breached: [] },
      kind: 'investigation',
      investigation: { brand, topic, alertId: input.alertId ?? null },
    },
  });
  await deps.store.timeline.append({ event: { entityType: 'case', entityId: kase.id, kind: 'created', actorId: actor.id, at: now, data: { actor: actor.name, investigation: { brand, topic, alertId: input.alertId ?? null } } } });
  await audit(deps, actor, 'case.investigation_opened', 'case', kase.id, null, { brand, topic, alertId: input.alertId ?? null });
  deps.bus.publish('case.created', { case: kase });

  const linked = await backfill(deps, kase, { brand, topic }, alertExamples);
  return { case: kase, created: true, linked };
}

/** Links what already carries the topic: the alert's examples and the last day's mentions found by the topic's words. */
async function backfill(deps: OpsDeps, kase: Case, inv: { brand: string; topic: string }, alertExamples: string[]) {
  const words = brandWordsOf([inv.brand]);
  const found: Mention[] = (await deps.store.mentions.getMany({ ids: alertExamples })).filter((m) => carriesTopic(m, inv, words));
  let cursor: string | undefined;
  const since = new Date(deps.now().getTime() - INVESTIGATION_LOOKBACK_HOURS * 3_600_000).toISOString();
  while (found.length < INVESTIGATION_BACKFILL_CAP) {
    const page = await deps.store.mentions.list({ q: inv.topic, since, sort: 'recent', limit: 200, ...(cursor ? { cursor } : {}) });
    found.push(...page.items.filter((m) => carriesTopic(m, inv, words)));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const unique = [...new Map(found.map((m) => [m.id, m])).values()].slice(0, INVESTIGATION_BACKFILL_CAP);
  return deps.store.investigations.link({ caseId: kase.id, mentions: unique.map(linkRow), at: deps.now().toISOString() });
}

/** An investigation case with its linked mentions' count, chart and newest mentions. */
export async function investigationView(deps: Pick<OpsDeps, 'store'>, caseId: string, limit = 50): Promise<InvestigationView> {
  const kase = await deps.store.cases.get({ id: caseId });
  if (!kase || kase.kind !== 'investigation') throw new NotFoundError(`No investigation case ${caseId}`);
  const [linked, series, links] = await Promise.all([deps.store.investigations.count({ caseId }), deps.store.investigations.series({ caseId }), deps.store.investigations.list({ caseId, limit })]);
  const byId = new Map((await deps.store.mentions.getMany({ ids: links.map((l) => l.mentionId) })).map((m) => [m.id, m]));
  return { case: kase, linked, series, mentions: links.map((l) => byId.get(l.mentionId)).filter((m): m is Mention => !!m) };
}

const OPEN_REFRESH_MS = 5000;

/**
 * The pipeline stage after persist: each newly stored mention that carries an
 * open investigation's topic is linked to it. It runs where the mention was
 * stored, once per stored mention (a duplicate is not stored again, so it is
 * not linked again; a link is unique per case and mention in the store). The
 * open investigations are re-read every 5 seconds.
 */
export function createInvestigationAttacher(deps: Pick<OpsDeps, 'store' | 'now' | 'log'>) {
  type Open = { id: string; brand: string; topic: string; words: Set<string> };
  let open: { at: number; cases: Open[] } | null = null;
  const seen = new Set<string>();
  async function current() {
    const nowMs = Date.now();
    if (open && nowMs - open.at < OPEN_REFRESH_MS) return open.cases;
    const found = await deps.store.investigations.openCases({ limit: 500 });
    const cases = found.filter((c) => c.investigation).map((c) => ({ id: c.id, brand: c.investigation!.brand, topic: c.investigation!.topic, words: brandWordsOf([c.investigation!.brand]), createdAt: c.createdAt }));
    open = { at: nowMs, cases };
    // A case first seen here may have been opened while this process still had the old list: what arrived since it was opened is linked now.
    for (const c of cases) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      await catchUp(deps, c, c.createdAt).catch((err: unknown) => deps.log.warn('investigation catch-up failed', { err, caseId: c.id }));
    }
    for (const id of seen) if (!cases.some((c) => c.id === id)) seen.delete(id);
    return cases;
  }
  const attach = async (stored: readonly Mention[]): Promise<number> => {
    if (stored.length === 0) return 0;
    const cases = await current();
    let n = 0;
    for (const c of cases) {
      const matching = stored.filter((m) => carriesTopic(m, c, c.words));
      if (matching.length) n += await deps.store.investigations.link({ caseId: c.id, mentions: matching.map(linkRow), at: deps.now().toISOString() });
    }
    return n;
  };
  return Object.assign(attach, {
    /** An investigation was opened or closed somewhere (the bus): read the list again on the next batch. */
    changed() {
      open = null;
    },
  });
}

/** Links the mentions carrying the topic posted since `since` (a case this process had not seen yet). */
async function catchUp(deps: Pick<OpsDeps, 'store' | 'now'>, c: { id: string; brand: string; topic: string; words: Set<string> }, since: string) {
  const from = new Date(Date.parse(since) - 60_000).toISOString();
  const found: Mention[] = [];
  let cursor: string | undefined;
  while (found.length < INVESTIGATION_BACKFILL_CAP) {
    const page = await deps.store.mentions.list({ q: c.topic, since: from, sort: 'recent', limit: 200, ...(cursor ? { cursor } : {}) });
    found.push(...page.items.filter((m) => carriesTopic(m, c, c.words)));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  if (found.length) await deps.store.investigations.link({ caseId: c.id, mentions: found.map(linkRow), at: deps.now().toISOString() });
}
