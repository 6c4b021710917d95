import { Router, type Request } from 'express';
import { z } from 'zod';
import { text } from '../../../shared/text.js';
import { CannedResponseInputSchema, SendReplySchema } from '../../../shared/reply.js';
import { NotFoundError } from '../../../shared/errors.js';
import { currentUser, requireRole } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import { audit } from '../../operations/deps.js';
import { approveReply, rejectReply, retryReply, sendReply, type ReplyDeps } from '../../operations/replies.js';

/** POST /api/mentions/:id/replies and GET the mention's replies. */
export function mentionReplyRoutes(deps: ReplyDeps) {
  const r = Router({ mergeParams: true });
  r.get('/', async (req: Request<{ id: string }>, res) => {
    res.json({ items: await deps.store.replies.listForMention({ mentionId: req.params.id }) });
  });
  r.post('/', async (req: Request<{ id: string }>, res) => {
    const input = parseOr400(SendReplySchema, req.body, 'body');
    const { reply, created } = await sendReply(deps, currentUser(req), req.params.id, input);
    res.status(created ? 201 : 200).json({ reply });
  });
  return r;
}

const RejectSchema = z.object({ reason: text({ max: 500, required: 'reason is required' }) }).strict();

/** /api/replies: the approval queue and retries. */
export function replyRoutes(deps: ReplyDeps) {
  const r = Router();
  r.get('/pending', requireRole('manager'), async (_req, res) => {
    res.json({ items: await deps.store.replies.listByState({ state: 'pending_approval', limit: 200 }) });
  });
  r.post('/:id/approve', requireRole('manager'), async (req: Request<{ id: string }>, res) => {
    res.json({ reply: await approveReply(deps, currentUser(req), req.params.id) });
  });
  r.post('/:id/reject', requireRole('manager'), async (req: Request<{ id: string }>, res) => {
    const { reason } = parseOr400(RejectSchema, req.body, 'body');
    res.json({ reply: await rejectReply(deps, currentUser(req), req.params.id, reason) });
  });
  r.post('/:id/retry', async (req: Request<{ id: string }>, res) => {
    res.json({ reply: await retryReply(deps, currentUser(req), req.params.id) });
  });
  return r;
}

const VersionBody = z.object({ version: z.number().int().min(1) });

/** Saved replies: everyone reads them, managers edit them. */
export function cannedResponseRoutes(deps: ReplyDeps) {
  const r = Router();
  r.get('/', async (_req, res) => {
    res.json({ items: await deps.store.cannedResponses.list() });
  });
  r.post('/', requireRole('manager'), async (req, res) => {
    const input = parseOr400(CannedResponseInputSchema, req.body, 'body');
    const now = deps.now().toISOString();
    const item = await deps.store.cannedResponses.create({ draft: { title: input.title, body: input.body, shortcut: input.shortcut ?? null, createdAt: now, updatedAt: now } });
    await audit(deps, currentUser(req), 'canned_response.created', 'canned_response', item.id, null, item);
    res.status(201).json({ item });
  });
  r.put('/:id', requireRole('manager'), async (req: Request<{ id: string }>, res) => {
    const { version, ...rest } = parseOr400(CannedResponseInputSchema.extend(VersionBody.shape), req.body, 'body');
    const current = await deps.store.cannedResponses.get({ id: req.params.id });
    if (!current) throw new NotFoundError(`No saved reply with id ${req.params.id}`);
    const item = await deps.store.cannedResponses.replace({ item: { ...current, ...rest, shortcut: rest.shortcut ?? null, updatedAt: deps.now().toISOString() }, expectedVersion: version });
    await audit(deps, currentUser(req), 'canned_response.updated', 'canned_response', item.id, current, item);
    res.json({ item });
  });
  r.delete('/:id', requireRole('manager'), async (req: Request<{ id: string }>, res) => {
    const current = await deps.store.cannedResponses.get({ id: req.params.id });
    if (!current || !(await deps.store.cannedResponses.delete({ id: req.params.id }))) throw new NotFoundError(`No saved reply with id ${req.params.id}`);
    await audit(deps, currentUser(req), 'canned_response.deleted', 'canned_response', req.params.id, current, null);
    res.status(204).end();
  });
  return r;
}
