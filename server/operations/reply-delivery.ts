import type { User } from '../../shared/auth.js';
import type { FindReplyQuery, ReplyRequest, ReplyResult } from '../../shared/connector-ports.js';
import { isHarkError } from '../../shared/errors.js';
import type { Mention } from '../../shared/mention.js';
import { UNCLAIMED, type Reply } from '../../shared/reply.js';
import { audit, type OpsDeps } from './deps.js';
import { recordReplyFacts } from './report-events.js';

/** The networks as the outbox sees them: post a reply, or look for one already posted. */
export interface ReplyNetwork {
  post(platform: string, req: ReplyRequest): Promise<ReplyResult>;
  /** `found` is the post, or null when the network shows none; `unknown` when it cannot tell, and why. */
  find(platform: string, q: FindReplyQuery): Promise<{ found: ReplyResult | null } | { unknown: string }>;
}

export interface OutboxSettings {
  /** This process, as written in `claimedBy`. */
  owner: string;
  /** How long a claim holds; longer than a reconciliation plus a post can take. */
  leaseMs: number;
  /** How long an agent's request waits for the outcome before it answers `queued`. */
  waitMs: number;
  /** Deliveries still running after their request answered, so a clean shutdown lets them finish. */
  inflight?: Set<Promise<unknown>>;
}

export interface DeliveryDeps extends OpsDeps {
  network: ReplyNetwork;
  outbox: OutboxSettings;
}

/** The lease fields of a reply this process takes now (the reply's next write claims it). */
export function leaseFor(deps: DeliveryDeps): Pick<Reply, 'claimedBy' | 'leaseUntil'> {
  return { claimedBy: deps.outbox.owner, leaseUntil: new Date(deps.now().getTime() + deps.outbox.leaseMs).toISOString() };
}

const isConflict = (e: unknown) => isHarkError(e) && e.code === 'conflict';

/**
 * Sends one queued reply from the outbox: claims it (compare-and-set on its
 * version, so of several processes exactly one gets it), looks on the network
 * first when an earlier attempt may already have posted it, posts it at most
 * once, and records the outcome. A reply held by another live sender, or no
 * longer queued, is left alone. Returns the reply as it stands after.
 *
 * Attempts are counted when claimed, before the network is called: a sender
 * that dies mid-post leaves `attempts` above the posts it recorded, which is
 * what tells the next sender to look before posting.
 */
export async function deliverReply(deps: DeliveryDeps, replyId: string, actor: User | null = null): Promise<Reply | null> {
  const reply = await deps.store.replies.get({ id: replyId });
  if (!reply || reply.state !== 'queued') return reply;
  const t = deps.now();
  const heldElsewhere = reply.leaseUntil !== null && Date.parse(reply.leaseUntil) > t.getTime() && reply.claimedBy !== deps.outbox.owner;
  if (heldElsewhere) return reply;

  const mayBePosted = reply.attempts > 0;
  let claimed: Reply;
  try {
    claimed = await deps.store.replies.replace({
      reply: { ...reply, ...leaseFor(deps), attempts: reply.attempts + 1, attemptStartedAt: t.toISOString(), error: null },
      expectedVersion: reply.version,
    });
  } catch (e) {
    if (isConflict(e)) return deps.store.replies.get({ id: replyId }); // another sender took it
    throw e;
  }

  const mention = await deps.store.mentions.get({ id: reply.mentionId });
  if (!mention) return finish(deps, actor, claimed, { ...claimed, state: 'failed', error: 'The mention of this reply is gone' });

  if (mayBePosted) {
    const since = reply.attemptStartedAt ?? reply.createdAt;
    const check = await deps.network.find(mention.platform, { inReplyToExternalId: mention.externalId, conversationId: mention.conversationId, text: reply.text, idempotencyKey: reply.idempotencyKey, since });
    if ('found' in check && check.found) {
      deps.log.info('reply found on the network; not posted again', { replyId, externalId: check.found.externalId });
      return finish(deps, actor, claimed, { ...claimed, state: 'sent', externalId: check.found.externalId, url: check.found.url, sentAt: deps.now().toISOString() }, true);
    }
    if ('unknown' in check && reply.onUnverifiable === 'fail') {
      const error = `An earlier attempt (${since}) may have posted this reply, and ${check.unknown}. Look for it on ${mention.platform}; retry only if it is not there.`;
      return finish(deps, actor, claimed, { ...claimed, state: 'failed', error: error.slice(0, 500) });
    }
  }

  let outcome: Reply;
  try {
    const res = await deps.network.post(mention.platform, { inReplyToExternalId: mention.externalId, authorHandle: mention.author.handle, text: reply.text, idempotencyKey: reply.idempotencyKey });
    outcome = { ...claimed, state: 'sent', externalId: res.externalId, url: res.url, sentAt: deps.now().toISOString() };
  } catch (e) {
    const message = isHarkError(e) && e.isPublic ? e.message : e instanceof Error ? e.message : String(e);
    deps.log.warn('reply failed', { replyId, platform: mention.platform, err: message });
    outcome = { ...claimed, state: 'failed', error: message.slice(0, 500) };
  }
  return finish(deps, actor, claimed, outcome);
}

/** Records the outcome under the claim; a sender whose lease was taken over meanwhile records nothing (the new holder looks on the network). */
async function finish(deps: DeliveryDeps, actor: User | null, claimed: Reply, outcome: Reply, reconciled = false): Promise<Reply | null> {
  let saved: Reply;
  try {
    saved = await deps.store.replies.replace({ reply: { ...outcome, ...UNCLAIMED, onUnverifiable: 'fail' }, expectedVersion: claimed.version });
  } catch (e) {
    if (!isConflict(e)) throw e;
    deps.log.warn('reply lease lost before its outcome was recorded', { replyId: claimed.id, state: outcome.state });
    return deps.store.replies.get({ id: claimed.id });
  }
  await audit(deps, actor, `reply.${saved.state}`, 'reply', saved.id, { state: 'queued' }, { state: saved.state, externalId: saved.externalId, error: saved.error, attempts: saved.attempts, ...(reconciled ? { reconciled: true } : {}) });
  deps.bus.publish('reply.updated', { reply: saved });
  if (saved.state === 'sent') await recordResponse(deps, actor, saved);
  return saved;
}

/**
 * The sweep: every sending process runs it now and then, and it resumes
 * queued replies whose sender died (lease expired) or that were queued before
 * the outbox existed. Returns how many it looked at.
 */
export async function resumeDueReplies(deps: DeliveryDeps, limit = 50): Promise<number> {
  const due = await deps.store.replies.listDue({ now: deps.now().toISOString(), limit });
  // A few at a time: one slow network must not hold the others up, nor may a backlog flood it.
  const lanes = 4;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, due.length) }, async () => {
      while (next < due.length) {
        const r = due[next++]!;
        await deliverReply(deps, r.id).catch((err: unknown) => deps.log.error('reply delivery failed', { replyId: r.id, err }));
      }
    }),
  );
  return due.length;
}

/**
 * Delivers a reply this process just queued, waiting at most `waitMs` for the
 * outcome so the agent usually sees `sent` at once. The delivery goes on when
 * the wait ends; if this process dies, the sweep of any process finishes it.
 */
export async function deliverWithin(deps: DeliveryDeps, reply: Reply, actor: User | null): Promise<Reply> {
  const delivery = deliverReply(deps, reply.id, actor).catch((err: unknown) => {
    deps.log.error('reply delivery failed', { replyId: reply.id, err });
    return null;
  });
  deps.outbox.inflight?.add(delivery);
  void delivery.finally(() => deps.outbox.inflight?.delete(delivery));
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([delivery, new Promise<'waiting'>((r) => (timer = setTimeout(() => r('waiting'), deps.outbox.waitMs)))]);
  clearTimeout(timer);
  if (waited && waited !== 'waiting') return waited;
  return (await deps.store.replies.get({ id: reply.id })) ?? reply;
}

/** First-response time on the mention and its case, and the mention moves to responded; idempotent, so a retried send completes what a stopped one began. */
export async function recordResponse(deps: OpsDeps, actor: User | null, reply: Reply) {
  let facts: { mention: Mention; first: boolean } | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const m: Mention | null = await deps.store.mentions.get({ id: reply.mentionId });
    if (!m) return;
    facts = { mention: m, first: false };
    const triage = { ...m.triage, firstResponseAt: m.triage.firstResponseAt ?? reply.sentAt, status: m.triage.status === 'escalated' ? m.triage.status : ('responded' as const) };
    // Already recorded (a retried send): nothing to write.
    if (triage.firstResponseAt === m.triage.firstResponseAt && triage.status === m.triage.status) break;
    try {
      const saved = await deps.store.mentions.replace({ mention: { ...m, triage }, expectedVersion: m.version });
      facts = { mention: saved, first: !m.triage.firstResponseAt };
      deps.bus.publish('mentions.updated', { mentions: [saved] });
      break;
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
  if (facts) await recordReplyFacts(deps, reply, facts.mention, facts.first);
  const caseId = reply.caseId ?? (await deps.store.mentions.get({ id: reply.mentionId }))?.caseId;
  if (!caseId) return;
  const timeline = await deps.store.timeline.list({ entityType: 'case', entityId: caseId });
  if (!timeline.some((e) => e.kind === 'reply' && e.data.replyId === reply.id)) await deps.store.timeline.append({ event: { entityType: 'case', entityId: caseId, kind: 'reply', actorId: actor?.id ?? reply.authorId, at: reply.sentAt!, data: { replyId: reply.id, text: reply.text, url: reply.url } } });
  for (let attempt = 0; attempt < 3; attempt++) {
    const kase = await deps.store.cases.get({ id: caseId });
    if (!kase || kase.firstResponseAt) return;
    try {
      const saved = await deps.store.cases.replace({ kase: { ...kase, firstResponseAt: reply.sentAt, updatedAt: reply.sentAt! }, expectedVersion: kase.version });
      deps.bus.publish('case.updated', { case: saved });
      return;
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
}
