import { Router, type Request } from 'express';
import { z } from 'zod';
import { text } from '../../../shared/text.js';
import { CannedResponseInputSchema, SendReplySchema } from '../../../shared/reply.js';
import { currentUser, requireRole } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import { createCannedResponse, deleteCannedResponse, listCannedResponses, updateCannedResponse } from '../../operations/canned-responses.js';
import { approveReply, listMentionReplies, listPendingReplies, rejectReply, retryReply, sendReply, type ReplyDeps } from '../../operations/replies.js';

/** POST /api/mentions/:id/replies and GET the mention's replies. */
export function mentionReplyRoutes(deps: ReplyDeps) {
  const r = Router({ mergeParams: true });
  r.get('/', async (req: Request<{ id: string }>, res) => {
    res.json({ items: await listMentionReplies(deps, req.params.id) });
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
    res.json({ items: await listPendingReplies(deps) });
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
    res.json({ items: await listCannedResponses(deps) });
  });
  r.post('/', requireRole('manager'), async (req, res) => {
    const input = parseOr400(CannedResponseInputSchema, req.body, 'body');
    res.status(201).json({ item: await createCannedResponse(deps, currentUser(req), input) });
  });
  r.put('/:id', requireRole('manager'), async (req: Request<{ id: string }>, res) => {
    const { version, ...rest } = parseOr400(CannedResponseInputSchema.extend(VersionBody.shape), req.body, 'body');
    res.json({ item: await updateCannedResponse(deps, currentUser(req), req.params.id, rest, version) });
  });
  r.delete('/:id', requireRole('manager'), async (req: Request<{ id: string }>, res) => {
    await deleteCannedResponse(deps, currentUser(req), req.params.id);
    res.status(204).end();
  });
  return r;
}
