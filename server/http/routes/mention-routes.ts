import { Router } from 'express';
import type { MentionListResponse, MentionResponse } from '../../../shared/api.js';
import { NotFoundError } from '../../../shared/errors.js';
import { MentionQuerySchema } from '../../../shared/mention-query.js';
import type { Store } from '../../../shared/store.js';
import { parseOr400 } from '../errors.js';

export function mentionRoutes(deps: { store: Store }) {
  const r = Router();

  r.get('/', async (req, res) => {
    const query = parseOr400(MentionQuerySchema, req.query, 'query');
    const body: MentionListResponse = await deps.store.mentions.list(query);
    res.json(body);
  });

  r.get('/:id', async (req, res) => {
    const mention = await deps.store.mentions.get({ id: req.params.id });
    if (!mention) throw new NotFoundError(`No mention with id ${req.params.id}`);
    const body: MentionResponse = { mention };
    res.json(body);
  });

  return r;
}
