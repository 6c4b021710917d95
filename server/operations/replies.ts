import { roleAtLeast, type User } from '../../shared/auth.js';
import { ConflictError, ForbiddenError, isHarkError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { replyLimit, type Reply, type SendReplyInput } from '../../shared/reply.js';
import { audit } from './deps.js';
import { notifyMany } from './notices.js';
import { deliverWithin, leaseFor, recordResponse, type DeliveryDeps } from './reply-delivery.js';

export interface ReplyDeps extends DeliveryDeps {
  /** Whether this user's replies wait for a manager (their flag or one of their teams'). */
  needsApproval: (user: User) => Promise<boolean>;
}

/**
 * Answers a mention on its network through the outbox: the reply is stored
 * first (queued, claimed by this process), then sent; the request waits a
 * moment for the outcome. The idempotency key makes a double click, a retry
 * after a timeout or a reconnect harmless: the same key with the same text
 * returns the first reply and never posts again; with other text it is a 409.
 */
export async function sendReply(deps: ReplyDeps, actor: User, mentionId: string, input: SendReplyInput): Promise<{ reply: Reply; created: boolean }> {
  const existing = await deps.store.replies.findByKey({ idempotencyKey: input.idempotencyKey });
  if (existing) {
    const same = sameKey(existing, mentionId, input);
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
        // Claimed from birth, so no other sender races this request for it; if this process dies, the lease runs out and any process resumes it.
        ...(pending ? { claimedBy: null, leaseUntil: null } : leaseFor(deps)),
        attemptStartedAt: null,
        onUnverifiable: 'fail',
      },
    });
  } catch (e) {
    // Two requests with one key raced: the store let one in; answer with it.
    if (isHarkError(e) && e.code === 'conflict') {
      const first = await deps.store.replies.findByKey({ idempotencyKey: input.idempotencyKey });
      if (first) return sameKey(first, mentionId, input);
    }
    throw e;
  }
  await audit(deps, actor, pending ? 'reply.submitted_for_approval' : 'reply.queued', 'reply', reply.id, null, { mentionId, text: reply.text, cannedResponseId: input.cannedResponseId ?? null });
  deps.bus.publish('reply.updated', { reply });
  if (pending) {
    const managers = (await deps.store.users.list()).filter((u) => !u.disabled && roleAtLeast(u.role, 'manager')).map((u) => u.id);
    await notifyMany(deps, `reply_approval:${reply.id}`, managers, { kind: 'reply_approval', message: `${actor.name}'s reply to @${mention.author.handle} needs approval`, link: mention.caseId ? `#/cases/${mention.caseId}` : `#/queue?mention=${mention.id}`, caseId: mention.caseId, actorId: actor.id, at: reply.createdAt });
  }
  if (!pending) reply = await deliverWithin(deps, reply, actor);
  return { reply, created: true };
}

/** A key names one reply: the same mention and text again is that reply; anything else is a mistake the client must hear about. */
function sameKey(existing: Reply, mentionId: string, input: SendReplyInput) {
  if (existing.mentionId !== mentionId) throw new ConflictError(`idempotencyKey: ${input.idempotencyKey} was used for a reply to another mention`, { idempotencyKey: input.idempotencyKey, replyId: existing.id });
  if (existing.text !== input.text) throw new ConflictError(`idempotencyKey: ${input.idempotencyKey} was used for a reply with other text; use a new key for a new reply`, { idempotencyKey: input.idempotencyKey, replyId: existing.id });
  return { reply: existing, created: false };
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
  const { reply } = await load(deps, replyId);
  if (reply.state !== 'pending_approval') throw new ConflictError(`This reply is ${reply.state}, not waiting for approval`);
  // Approval puts it in the outbox (one compare-and-set: two managers approving at once send it once).
  const approved = await deps.store.replies.replace({ reply: { ...reply, state: 'queued', approvedBy: manager.id, ...leaseFor(deps) }, expectedVersion: reply.version });
  await audit(deps, manager, 'reply.approved', 'reply', replyId, { state: reply.state }, { state: 'queued', approvedBy: manager.id });
  deps.bus.publish('reply.updated', { reply: approved });
  return deliverWithin(deps, approved, manager);
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

/**
 * Puts a failed reply back in the outbox. The sender looks on the network
 * first (an earlier attempt may have posted it) and posts only if it is not
 * there; when the network cannot tell, the person retrying has decided, so it
 * posts.
 */
export async function retryReply(deps: ReplyDeps, actor: User, replyId: string): Promise<Reply> {
  const { reply } = await load(deps, replyId);
  if (reply.state !== 'failed') throw new ConflictError(`Only failed replies can be retried; this one is ${reply.state}`);
  if (reply.authorId !== actor.id && !roleAtLeast(actor.role, 'manager')) throw new ForbiddenError('Only its author or a manager can retry a reply.');
  let queued: Reply;
  try {
    queued = await deps.store.replies.replace({ reply: { ...reply, state: 'queued', ...leaseFor(deps), onUnverifiable: 'post' }, expectedVersion: reply.version });
  } catch (e) {
    if (isHarkError(e) && e.code === 'conflict') throw new ConflictError('This reply is being retried already', { replyId });
    throw e;
  }
  await audit(deps, actor, 'reply.retried', 'reply', replyId, { state: 'failed', error: reply.error }, { state: 'queued' });
  deps.bus.publish('reply.updated', { reply: queued });
  return deliverWithin(deps, queued, actor);
}

export const listMentionReplies = (deps: Pick<ReplyDeps, 'store'>, mentionId: string) => deps.store.replies.listForMention({ mentionId });

/** The managers' approval queue, oldest first as the store keeps it. */
export const listPendingReplies = (deps: Pick<ReplyDeps, 'store'>) => deps.store.replies.listByState({ state: 'pending_approval', limit: 200 });
