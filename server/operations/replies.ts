import { roleAtLeast, type User } from '../../shared/auth.js';
import type { ReplyRequest, ReplyResult } from '../../shared/connector-ports.js';
import { ConflictError, ForbiddenError, isHarkError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Mention } from '../../shared/mention.js';
import { replyLimit, type Reply, type SendReplyInput } from '../../shared/reply.js';
import { audit, type OpsDeps } from './deps.js';

/** Sends a reply through the connector of the mention's network. */
export type ReplySender = (platform: string, req: ReplyRequest) => Promise<ReplyResult>;

export interface ReplyDeps extends OpsDeps {
  sendReply: ReplySender;
  /** Whether this user's replies wait for a manager (their flag or one of their teams'). */
  needsApproval: (user: User) => Promise<boolean>;
}

/**
 * Answers a mention on its network. The idempotency key makes a double click,
 * a retry after a timeout or a reconnect harmless: the same key returns the
 * first reply and never posts again.
 */
export async function sendReply(deps: ReplyDeps, actor: User, mentionId: string, input: SendReplyInput): Promise<{ reply: Reply; created: boolean }> {
  const existing = await deps.store.replies.findByKey({ idempotencyKey: input.idempotencyKey });
  if (existing) {
    const same = sameKey(existing, mentionId);
    // A send that stopped after the reply was stored as sent still owes the mention and case their first response.
    if (existing.state === 'sent') await recordResponse(deps, actor, existing);
    return same;
  }
  const mention = await deps.store.mentions.get({ id: mentionId });
  if (!mention) throw new NotFoundError(`No mention with id ${mentionId}`);
  if (mention.triage.assignee && mention.triage.assignee !== actor.id && !roleAtLeast(actor.role, 'manager')) {
    throw new ConflictError('Another agent holds this mention; claim it first', { heldBy: mention.triage.assignee });
  }
  const limit = replyLimit(mention.platform);
  if ([...input.text].length > limit) throw new ValidationError(`text: ${mention.platform} allows ${limit} characters`, [{ field: 'text', message: `at most ${limit} characters` }]);

  const pending = await deps.needsApproval(actor);
  let reply: Reply;
  try {
    reply = await deps.store.replies.create({
      reply: {
        mentionId,
        caseId: mention.caseId,
        authorId: actor.id,
        text: input.text,
        idempotencyKey: input.idempotencyKey,
        state: pending ? 'pending_approval' : 'queued',
        externalId: null,
        url: null,
        error: null,
        attempts: 0,
        approvedBy: null,
        createdAt: deps.now().toISOString(),
        sentAt: null,
      },
    });
  } catch (e) {
    // Two requests with one key raced: the store let one in; answer with it.
    if (isHarkError(e) && e.code === 'conflict') {
      const first = await deps.store.replies.findByKey({ idempotencyKey: input.idempotencyKey });
      if (first) return sameKey(first, mentionId);
    }
    throw e;
  }
  await audit(deps, actor, pending ? 'reply.submitted_for_approval' : 'reply.queued', 'reply', reply.id, null, { mentionId, text: reply.text, cannedResponseId: input.cannedResponseId ?? null });
  deps.bus.publish('reply.updated', { reply });
  if (!pending) reply = await dispatch(deps, actor, reply, mention);
  return { reply, created: true };
}

function sameKey(existing: Reply, mentionId: string) {
  if (existing.mentionId !== mentionId) throw new ConflictError('This idempotency key was used for another mention');
  return { reply: existing, created: false };
}

/** Claims the reply for sending (compare-and-set to queued), posts it, and records the outcome. */
async function dispatch(deps: ReplyDeps, actor: User | null, reply: Reply, mention: Mention): Promise<Reply> {
  let sending: Reply;
  try {
    sending = await deps.store.replies.replace({ reply: { ...reply, state: 'queued', attempts: reply.attempts + 1, error: null }, expectedVersion: reply.version });
  } catch (e) {
    if (isHarkError(e) && e.code === 'conflict') return (await deps.store.replies.get({ id: reply.id }))!; // another request is sending it
    throw e;
  }
  let outcome: Reply;
  try {
    const res = await deps.sendReply(mention.platform, { inReplyToExternalId: mention.externalId, authorHandle: mention.author.handle, text: sending.text, idempotencyKey: sending.idempotencyKey });
    outcome = { ...sending, state: 'sent', externalId: res.externalId, url: res.url, sentAt: deps.now().toISOString() };
  } catch (e) {
    const message = isHarkError(e) && e.isPublic ? e.message : e instanceof Error ? e.message : String(e);
    deps.log.warn('reply failed', { replyId: reply.id, platform: mention.platform, err: message });
    outcome = { ...sending, state: 'failed', error: message.slice(0, 500) };
  }
  const saved = await deps.store.replies.replace({ reply: outcome, expectedVersion: sending.version });
  await audit(deps, actor, `reply.${saved.state}`, 'reply', saved.id, { state: 'queued' }, { state: saved.state, externalId: saved.externalId, error: saved.error });
  deps.bus.publish('reply.updated', { reply: saved });
  if (saved.state === 'sent') await recordResponse(deps, actor, saved);
  return saved;
}

/** First-response time on the mention and its case, and the mention moves to responded. */
async function recordResponse(deps: ReplyDeps, actor: User | null, reply: Reply) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const m = await deps.store.mentions.get({ id: reply.mentionId });
    if (!m) return;
    const triage = { ...m.triage, firstResponseAt: m.triage.firstResponseAt ?? reply.sentAt, status: m.triage.status === 'escalated' ? m.triage.status : ('responded' as const) };
    // Already recorded (a retried send): nothing to write.
    if (triage.firstResponseAt === m.triage.firstResponseAt && triage.status === m.triage.status) break;
    try {
      const saved = await deps.store.mentions.replace({ mention: { ...m, triage }, expectedVersion: m.version });
      deps.bus.publish('mentions.updated', { mentions: [saved] });
      break;
    } catch (e) {
      if (!(isHarkError(e) && e.code === 'conflict')) throw e;
    }
  }
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
      if (!(isHarkError(e) && e.code === 'conflict')) throw e;
    }
  }
}

async function load(deps: ReplyDeps, replyId: string) {
  const reply = await deps.store.replies.get({ id: replyId });
  if (!reply) throw new NotFoundError(`No reply with id ${replyId}`);
  const mention = await deps.store.mentions.get({ id: reply.mentionId });
  if (!mention) throw new NotFoundError(`The mention of reply ${replyId} is gone`);
  return { reply, mention };
}

export async function approveReply(deps: ReplyDeps, manager: User, replyId: string): Promise<Reply> {
  if (!roleAtLeast(manager.role, 'manager')) throw new ForbiddenError('Only managers approve replies.');
  const { reply, mention } = await load(deps, replyId);
  if (reply.state !== 'pending_approval') throw new ConflictError(`This reply is ${reply.state}, not waiting for approval`);
  const approved = await deps.store.replies.replace({ reply: { ...reply, approvedBy: manager.id }, expectedVersion: reply.version });
  await audit(deps, manager, 'reply.approved', 'reply', replyId, { state: reply.state }, { approvedBy: manager.id });
  return dispatch(deps, manager, approved, mention);
}

export async function rejectReply(deps: ReplyDeps, manager: User, replyId: string, reason: string): Promise<Reply> {
  if (!roleAtLeast(manager.role, 'manager')) throw new ForbiddenError('Only managers reject replies.');
  const { reply } = await load(deps, replyId);
  if (reply.state !== 'pending_approval') throw new ConflictError(`This reply is ${reply.state}, not waiting for approval`);
  const saved = await deps.store.replies.replace({ reply: { ...reply, state: 'rejected', error: reason }, expectedVersion: reply.version });
  await audit(deps, manager, 'reply.rejected', 'reply', replyId, { state: reply.state }, { state: 'rejected', reason });
  deps.bus.publish('reply.updated', { reply: saved });
  return saved;
}

/** Tries a failed reply again with the same idempotency key, so the network cannot post it twice. */
export async function retryReply(deps: ReplyDeps, actor: User, replyId: string): Promise<Reply> {
  const { reply, mention } = await load(deps, replyId);
  if (reply.state !== 'failed') throw new ConflictError(`Only failed replies can be retried; this one is ${reply.state}`);
  if (reply.authorId !== actor.id && !roleAtLeast(actor.role, 'manager')) throw new ForbiddenError('Only its author or a manager can retry a reply.');
  return dispatch(deps, actor, reply, mention);
}
