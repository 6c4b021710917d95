import type { Case, CasePriority } from '../../shared/case.js';
import type { Mention } from '../../shared/mention.js';
import type { Reply } from '../../shared/reply.js';
import { bucketOf, businessSeconds, GROUP_BYS, NO_BRAND, type GroupBy, type ReportIncrement } from '../../shared/reports.js';
import { addSlaMinutes, casePriorityFor } from '../../shared/sla.js';
import type { OpsDeps } from './deps.js';
import { loadSlaPolicy } from './sla-policy.js';

/**
 * Report rollups for agents' actions. Each is called once by the operation
 * that records the action, after its compare-and-set won, so the counts move
 * once per action however many processes run (a process dying between the
 * two writes loses that one count: see README, Reports).
 */

export const feedbackKey = (platform: string, handle: string) => `${platform}\u0000${handle.toLowerCase()}`;

type Dims = Record<GroupBy, string>;

function perGroup(dims: Dims, at: string, brand: string, network: string, metric: string, opts: { bucket?: number; sum?: number; skip?: GroupBy[] } = {}): ReportIncrement[] {
  return GROUP_BYS.filter((g) => !opts.skip?.includes(g)).map((g) => ({ at, dim: `resp.${g}` as const, value: dims[g], brand, network, metric, bucket: opts.bucket ?? -1, n: 1, sum: opts.sum ?? 0 }));
}

/**
 * A reply was sent: the author's next mention will be feedback on it, and if
 * it is the mention's first response, its time (wall clock and business
 * hours), and whether it met the SLA, go into the response rollups, in the
 * period the mention was posted (so a response rate never counts a response
 * without its mention).
 */
export async function recordReplyFacts(deps: Pick<OpsDeps, 'store'>, reply: Reply, mention: Mention, firstResponse: boolean) {
  if (!reply.sentAt) return;
  const brand = mention.brand ?? NO_BRAND;
  await deps.store.reports.awaitFeedback({ wait: { key: feedbackKey(mention.platform, mention.author.handle), repliedAt: reply.sentAt, mentionId: mention.id, brand, network: mention.platform } });
  if (!firstResponse) return;
  const { policy } = await loadSlaPolicy(deps);
  const start = mention.ingestedAt > mention.createdAt ? mention.ingestedAt : mention.createdAt;
  const dims: Dims = { team: mention.triage.team ?? '(none)', agent: reply.authorId, network: mention.platform, priority: casePriorityFor(mention.scores.priority.score), brand };
  const wall = businessSeconds(start, reply.sentAt, null);
  const incs = [...perGroup(dims, mention.createdAt, brand, mention.platform, 'responded'), ...perGroup(dims, mention.createdAt, brand, mention.platform, 'frt_wall', { bucket: bucketOf(wall), sum: wall })];
  if (policy.businessHours) {
    const bh = businessSeconds(start, reply.sentAt, policy.businessHours);
    incs.push(...perGroup(dims, mention.createdAt, brand, mention.platform, 'frt_bh', { bucket: bucketOf(bh), sum: bh }));
  }
  // The mention's own due time, else the policy's first-response target for its priority from when Hark got it.
  const due = mention.triage.slaDueAt ?? addSlaMinutes(new Date(start), policy.targets[dims.priority as CasePriority].firstResponseMinutes, policy.businessHours).toISOString();
  incs.push(...perGroup(dims, mention.createdAt, brand, mention.platform, Date.parse(reply.sentAt) <= Date.parse(due) ? 'fr_sla_met' : 'fr_sla_missed'));
  await deps.store.reports.add({ increments: incs });
}

/**
 * A case changed status: resolving counts it, its time to resolve and its
 * resolution SLA, and is a feedback event (100); reopening a resolved or
 * closed case counts it and is a feedback event (0). Counted when it happened.
 */
export async function recordCaseFacts(deps: Pick<OpsDeps, 'store' | 'now'>, before: Case, after: Case) {
  if (before.status === after.status) return;
  const resolved = after.status === 'resolved';
  const reopened = after.status === 'open' && (before.status === 'resolved' || before.status === 'closed');
  if (!resolved && !reopened) return;
  const first = after.mentionIds[0] ? await deps.store.mentions.get({ id: after.mentionIds[0] }) : null;
  const brand = first?.brand ?? NO_BRAND;
  const network = first?.platform ?? 'file';
  const at = after.updatedAt;
  const dims: Dims = { team: after.team ?? '(none)', agent: after.assignee ?? '(unassigned)', network, priority: after.priority, brand };
  const incs: ReportIncrement[] = [];
  const eex = (kind: 'case_resolved' | 'case_reopened', value: number): ReportIncrement => ({ at, dim: 'eex', value: `case_resolution|${kind}|${network}`, brand, network, metric: 'feedback', bucket: -1, n: 1, sum: value });
  if (reopened) incs.push(...perGroup(dims, at, brand, network, 'reopened'), eex('case_reopened', 0));
  if (resolved) {
    const { policy } = await loadSlaPolicy(deps);
    const done = after.resolvedAt ?? at;
    const wall = businessSeconds(after.createdAt, done, null);
    incs.push(...perGroup(dims, at, brand, network, 'resolved'), ...perGroup(dims, at, brand, network, 'ttr_wall', { bucket: bucketOf(wall), sum: wall }), eex('case_resolved', 100));
    if (policy.businessHours) {
      const bh = businessSeconds(after.createdAt, done, policy.businessHours);
      incs.push(...perGroup(dims, at, brand, network, 'ttr_bh', { bucket: bucketOf(bh), sum: bh }));
    }
    if (after.sla.resolutionDueAt) incs.push(...perGroup(dims, at, brand, network, Date.parse(done) <= Date.parse(after.sla.resolutionDueAt) ? 'res_sla_met' : 'res_sla_missed'));
  }
  await deps.store.reports.add({ increments: incs });
}
