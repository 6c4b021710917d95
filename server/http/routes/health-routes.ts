import { Router, type Request } from 'express';
import { z } from 'zod';
import { roleAtLeast } from '../../../shared/auth.js';
import type { HealthResponse } from '../../../shared/api.js';
import type { QueuePort } from '../../../shared/queues.js';
import { readCookie, SESSION_COOKIE, type SessionService } from '../../auth/sessions.js';
import { checkHealth, type HealthDeps } from '../../operations/health.js';
import { listDeadLetters, retryDeadLetter } from '../../operations/dead-letters.js';
import type { OpsDeps } from '../../operations/deps.js';
import { currentUser } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';

/**
 * GET /api/health, open to anyone (load balancers, compose): the status word,
 * and HTTP 503 when Hark cannot serve. Only a signed-in manager or admin also
 * gets the detail: hostnames, pids, queue depth and errors tell an attacker
 * what runs where and when it is weak.
 */
export function healthRoute(deps: HealthDeps & { sessions: SessionService }) {
  const managerOf = async (req: Request) => {
    // With the store down sessions cannot be read: the caller is anonymous then.
    const user = await deps.sessions.resolve(readCookie(req.headers.cookie, SESSION_COOKIE)).catch(() => null);
    return user !== null && roleAtLeast(user.role, 'manager');
  };
  return async (req: Request, res: import('express').Response) => {
    const [report, manager] = await Promise.all([checkHealth(deps), managerOf(req)]);
    const body: HealthResponse = manager ? report : { status: report.status };
    res.set('cache-control', 'no-store').status(report.status === 'down' ? 503 : 200).json(body);
  };
}

const LimitSchema = z.object({ limit: z.coerce.number().int().min(1, 'limit must be 1 to 500').max(500, 'limit must be 1 to 500').default(100) }).strict();

/** Jobs that failed for good: managers see them, and run one again once its cause is fixed. */
export function deadLetterRoutes(deps: OpsDeps & { queue: QueuePort }) {
  const r = Router();
  r.get('/', async (req, res) => {
    const { limit } = parseOr400(LimitSchema, req.query, 'query');
    res.json({ items: await listDeadLetters(deps.queue, limit) });
  });
  r.post('/:id/retry', async (req, res) => {
    await retryDeadLetter(deps, currentUser(req), req.params.id ?? '');
    res.json({ retried: req.params.id });
  });
  return r;
}
