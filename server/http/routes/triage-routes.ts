import { Router, type Request } from 'express';
import { z } from 'zod';
import { AssignSchema, BulkSchema, CorrectionSchema, DismissSchema, NoteSchema, SnoozeSchema, TagsSchema, VersionedSchema } from '../../../shared/triage-actions.js';
import { correctMention } from '../../operations/corrections.js';
import type { Learner } from '../../learning/learner.js';
import { currentUser } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import type { OpsDeps } from '../../operations/deps.js';
import { addMentionNote, assignTo, bulk, changeTriage, claim, claimNext, dismiss, mentionContext, mentionTimeline, release, retag, snooze, watch } from '../../operations/triage.js';

/** Triage actions on mentions: thin edges over operations/triage. */
export function triageRoutes(deps: OpsDeps & { learner: Learner }) {
  const r = Router();
  r.post('/:id/correct', async (req: Request<{ id: string }>, res) => {
    const input = parseOr400(CorrectionSchema, req.body, 'body');
    res.json({ mention: await correctMention(deps, currentUser(req), req.params.id, input) });
  });
  const act = <T extends z.ZodType<{ version: number }>>(path: string, schema: T, action: string, change: (input: z.output<T>) => Parameters<typeof changeTriage>[5]) =>
    r.post(`/:id/${path}`, async (req: Request<{ id: string }>, res) => {
      const input = parseOr400(schema, req.body, 'body');
      const mention = await changeTriage(deps, currentUser(req), req.params.id, input.version, action, change(input));
      res.json({ mention });
    });

  act('claim', VersionedSchema, 'claimed', () => claim);
  act('release', VersionedSchema, 'released', () => release);
  act('assign', AssignSchema, 'assigned', (i) => assignTo(i.assignee, i.team));
  act('dismiss', DismissSchema, 'dismissed', (i) => dismiss(i.reason));
  act('watch', VersionedSchema, 'watched', () => watch);
  act('snooze', SnoozeSchema, 'snoozed', (i) => snooze(i.until));
  act('tags', TagsSchema, 'tagged', (i) => retag(i.add, i.remove));

  r.post('/:id/notes', async (req: Request<{ id: string }>, res) => {
    const { text } = parseOr400(NoteSchema, req.body, 'body');
    res.status(201).json({ event: await addMentionNote(deps, currentUser(req), req.params.id, text) });
  });
  r.get('/:id/timeline', async (req: Request<{ id: string }>, res) => {
    res.json({ items: await mentionTimeline(deps, req.params.id) });
  });
  r.get('/:id/context', async (req: Request<{ id: string }>, res) => {
    res.json(await mentionContext(deps, req.params.id));
  });
  return r;
}

/** /api/queue: "next" and bulk actions over a selection. */
export function queueRoutes(deps: OpsDeps) {
  const r = Router();
  r.post('/next', async (req, res) => {
    const mention = await claimNext(deps, currentUser(req));
    res.json({ mention });
  });
  r.post('/bulk', async (req, res) => {
    const input = parseOr400(BulkSchema, req.body, 'body');
    res.json(await bulk(deps, currentUser(req), input));
  });
  return r;
}
