import { Router } from 'express';
import { MarkNoticesReadSchema, NoticeListQuerySchema } from '../../../shared/notice.js';
import { currentUser } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import type { OpsDeps } from '../../operations/deps.js';
import { listNotices, markNoticesRead } from '../../operations/notices.js';

/** /api/notices: the signed-in user's own inbox, nobody else's. */
export function noticeRoutes(deps: OpsDeps) {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parseOr400(NoticeListQuerySchema, req.query, 'query');
    res.json(await listNotices(deps, currentUser(req), q));
  });
  r.post('/read', async (req, res) => {
    const input = parseOr400(MarkNoticesReadSchema, req.body, 'body');
    res.json(await markNoticesRead(deps, currentUser(req), input));
  });
  return r;
}
