import { Router, type Request } from 'express';
import { z } from 'zod';
import { text } from '../../../shared/text.js';
import { RoleSchema, UserSettingsPatchSchema } from '../../../shared/auth.js';
import { SlaPolicySchema } from '../../../shared/sla.js';
import { currentUser, requireRole } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import type { OpsDeps } from '../../operations/deps.js';
import { createUser, listUsers, setUserDisabled, updateUser } from '../../operations/accounts.js';
import { loadSlaPolicy, saveSlaPolicy } from '../../operations/sla-policy.js';

const NewUserSchema = z
  .object({
    email: z.string().trim().toLowerCase().email('email must be an email address'),
    name: text({ max: 120, required: 'name is required' }),
    role: RoleSchema,
    password: z.string().min(10, 'password must be at least 10 characters').max(1024),
    // The same settings PATCH /users/:id takes; left out, the defaults apply.
    teams: UserSettingsPatchSchema.shape.teams,
    capacity: UserSettingsPatchSchema.shape.capacity,
    needsApproval: UserSettingsPatchSchema.shape.needsApproval,
  })
  .strict();

/** Users: everyone can list (to assign and to show names), admins create and change them. */
export function userRoutes(deps: OpsDeps) {
  const r = Router();
  r.get('/', async (_req, res) => {
    res.json({ items: await listUsers(deps) });
  });
  r.post('/', requireRole('admin'), async (req, res) => {
    const input = parseOr400(NewUserSchema, req.body, 'body');
    res.status(201).json({ user: await createUser(deps, currentUser(req), input) });
  });
  r.patch('/:id', requireRole('admin'), async (req: Request<{ id: string }>, res) => {
    const patch = parseOr400(UserSettingsPatchSchema, req.body, 'body');
    res.json({ user: await updateUser(deps, currentUser(req), req.params.id, patch) });
  });
  // Disabling ends the user's sessions and sockets at once.
  r.post('/:id/disable', requireRole('admin'), async (req: Request<{ id: string }>, res) => {
    res.json({ user: await setUserDisabled(deps, currentUser(req), req.params.id, true) });
  });
  r.post('/:id/enable', requireRole('admin'), async (req: Request<{ id: string }>, res) => {
    res.json({ user: await setUserDisabled(deps, currentUser(req), req.params.id, false) });
  });
  return r;
}

/** SLA policy: everyone reads it (the UI shows the clocks), managers change it. */
export function slaRoutes(deps: OpsDeps) {
  const r = Router();
  r.get('/', async (_req, res) => {
    res.json(await loadSlaPolicy(deps));
  });
  r.put('/', requireRole('manager'), async (req, res) => {
    const { version, policy } = parseOr400(z.object({ version: z.number().int().min(0), policy: SlaPolicySchema }).strict(), req.body, 'body');
    res.json(await saveSlaPolicy(deps, currentUser(req), policy, version));
  });
  return r;
}
