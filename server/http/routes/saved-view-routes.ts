import { Router } from 'express';
import { z } from 'zod';
import { NewSavedViewSchema } from '../../../shared/saved-view.js';
import { currentUser } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import type { OpsDeps } from '../../operations/deps.js';
import { createSavedView, deleteSavedView, listSavedViews } from '../../operations/saved-views.js';

const IdParams = z.object({ id: z.string().regex(/^\d{1,15}$/, 'id is a saved view id') });

/** /api/views: the signed-in user's own saved queue views, nobody else's. */
export function savedViewRoutes(deps: OpsDeps) {
  const r = Router();
  r.get('/', async (req, res) => {
    res.json(await listSavedViews(deps, currentUser(req)));
  });
  r.post('/', async (req, res) => {
    const input = parseOr400(NewSavedViewSchema, req.body, 'body');
    res.status(201).json(await createSavedView(deps, currentUser(req), input));
  });
  r.delete('/:id', async (req, res) => {
    const { id } = parseOr400(IdParams, req.params, 'id');
    await deleteSavedView(deps, currentUser(req), id);
    res.status(204).end();
  });
  return r;
}
