import { Router, type Request } from 'express';
import { z } from 'zod';
import { text } from '../../../shared/text.js';
import { CreateCustomerSchema, UpdateCustomerSchema } from '../../../shared/customer.js';
import { PlatformSchema } from '../../../shared/mention.js';
import { EraseCustomerSchema } from '../../../shared/privacy.js';
import { currentUser, requireRole } from '../auth-middleware.js';
import { audit } from '../../operations/deps.js';
import { eraseCustomer, exportCustomer } from '../../operations/privacy.js';
import { parseOr400 } from '../errors.js';
import type { OpsDeps } from '../../operations/deps.js';
import { createCustomer, customer360, listCustomerPage, mergeCustomers, suggestCustomers, unmergeCustomers, updateCustomer } from '../../operations/customers.js';

const ListQuery = z
  .object({
    q: text({ min: 0, max: 100 }).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();
const SuggestQuery = z.object({ platform: PlatformSchema, handle: text({ max: 128 }), name: text({ min: 0, max: 256 }).optional() }).strict();
/** `before` is the `olderBefore` of the previous page: "<createdAt>|<mention id>". */
const ViewQuery = z
  .object({
    before: z.string().regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z\|\d{1,18}$/, 'before: use the olderBefore value of the previous page').optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();
const OtherSchema = z.object({ otherId: z.string().min(1).max(64) }).strict();

export function customerRoutes(deps: OpsDeps) {
  const r = Router();
  r.get('/', async (req, res) => {
    const { q, limit, cursor } = parseOr400(ListQuery, req.query, 'query');
    res.json(await listCustomerPage(deps, { limit, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) }));
  });
  r.get('/suggestions', async (req, res) => {
    const q = parseOr400(SuggestQuery, req.query, 'query');
    res.json({ items: await suggestCustomers(deps, { platform: q.platform, handle: q.handle, name: q.name ?? null }) });
  });
  r.post('/', async (req, res) => {
    const input = parseOr400(CreateCustomerSchema, req.body, 'body');
    res.status(201).json({ customer: await createCustomer(deps, currentUser(req), input) });
  });
  r.get('/:id', async (req: Request<{ id: string }>, res) => {
    const q = parseOr400(ViewQuery, req.query, 'query');
    const [createdAt, mid] = q.before?.split('|') ?? [];
    res.json(await customer360(deps, req.params.id, { limit: q.limit, ...(createdAt && mid ? { before: { createdAt, id: mid } } : {}) }));
  });
  r.patch('/:id', async (req: Request<{ id: string }>, res) => {
    const input = parseOr400(UpdateCustomerSchema, req.body, 'body');
    res.json({ customer: await updateCustomer(deps, currentUser(req), req.params.id, input) });
  });
  r.post('/:id/merge', async (req: Request<{ id: string }>, res) => {
    const { otherId } = parseOr400(OtherSchema, req.body, 'body');
    res.json({ customer: await mergeCustomers(deps, currentUser(req), req.params.id, otherId) });
  });
  r.post('/:id/erase', requireRole('manager'), async (req: Request<{ id: string }>, res) => {
    const { confirmName } = parseOr400(EraseCustomerSchema, req.body, 'body');
    res.json(await eraseCustomer(deps, currentUser(req), req.params.id, confirmName));
  });
  r.get('/:id/export', requireRole('manager'), async (req: Request<{ id: string }>, res) => {
    const data = await exportCustomer(deps, req.params.id);
    await audit(deps, currentUser(req), 'customer.exported', 'customer', data.customer.id, null, { mentions: data.mentions.length, cases: data.cases.length });
    res.setHeader('content-disposition', `attachment; filename="hark-customer-${data.customer.id}.json"`);
    res.json(data);
  });
  r.post('/:id/unmerge', async (req: Request<{ id: string }>, res) => {
    const { otherId } = parseOr400(OtherSchema, req.body, 'body');
    res.json(await unmergeCustomers(deps, currentUser(req), req.params.id, otherId));
  });
  return r;
}
