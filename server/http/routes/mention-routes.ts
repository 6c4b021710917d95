import { Router, type Request } from 'express';
import { MentionQuerySchema } from '../../../shared/mention-query.js';
import type { OpsDeps } from '../../operations/deps.js';
import { getMention, listMentions } from '../../operations/mention-read.js';
import { parseOr400 } from '../errors.js';

export function mentionRoutes(deps: Pick<OpsDeps, 'store'>) {
  const r = Router();

  r.get('/', async (req, res) => {
    const query = parseOr400(MentionQuerySchema, req.query, 'query');
    res.json(await listMentions(deps, query));
  });

  r.get('/:id', async (req: Request<{ id: string }>, res) => {
    res.json(await getMention(deps, req.params.id));
  });

  return r;
}
