import { Router, type Request } from 'express';
import { OpenInvestigationSchema } from '../../../shared/investigation.js';
import type { OpsDeps } from '../../operations/deps.js';
import { investigationView, openInvestigation } from '../../operations/investigations.js';
import { currentUser, requireRole } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';

/** POST /api/investigations (managers): a trend becomes a case. GET /api/investigations/:caseId: the case, its chart and linked mentions. */
export function investigationRoutes(deps: OpsDeps) {
  const r = Router();
  r.post('/', requireRole('manager'), async (req, res) => {
    const input = parseOr400(OpenInvestigationSchema, req.body, 'body');
    const out = await openInvestigation(deps, currentUser(req), input);
    res.status(out.created ? 201 : 200).json(out);
  });
  r.get('/:caseId', async (req: Request<{ caseId: string }>, res) => {
    res.json(await investigationView(deps, req.params.caseId));
  });
  return r;
}
