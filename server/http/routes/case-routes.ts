import { Router, type Request } from 'express';
import { z } from 'zod';
import { CaseNoteSchema, CaseStatusSchema, CreateCaseSchema, UpdateCaseSchema } from '../../../shared/case.js';
import { currentUser } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import type { OpsDeps } from '../../operations/deps.js';
import { addCaseNote, caseDetail, escalate, listCases, updateCase } from '../../operations/cases.js';

const ListQuery = z
  .object({
    status: z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(CaseStatusSchema).min(1).optional()),
    assignee: z.string().max(64).optional(),
    customerId: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export function caseRoutes(deps: OpsDeps) {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parseOr400(ListQuery, req.query, 'query');
    res.json(await listCases(deps, q));
  });
  r.post('/', async (req, res) => {
    const input = parseOr400(CreateCaseSchema, req.body, 'body');
    const kase = await escalate(deps, currentUser(req), input);
    res.status(input.attachTo ? 200 : 201).json({ case: kase });
  });
  r.get('/:id', async (req: Request<{ id: string }>, res) => {
    res.json(await caseDetail(deps, req.params.id));
  });
  r.patch('/:id', async (req: Request<{ id: string }>, res) => {
    const input = parseOr400(UpdateCaseSchema, req.body, 'body');
    res.json({ case: await updateCase(deps, currentUser(req), req.params.id, input) });
  });
  r.post('/:id/notes', async (req: Request<{ id: string }>, res) => {
    const { text } = parseOr400(CaseNoteSchema, req.body, 'body');
    res.status(201).json({ case: await addCaseNote(deps, currentUser(req), req.params.id, text) });
  });
  return r;
}
