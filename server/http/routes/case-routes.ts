import { Router, type Request } from 'express';
import { z } from 'zod';
import { CASE_PRIORITIES, CaseNoteSchema, CaseReplySchema, CaseStatusSchema, CaseTaxonomySchema, CreateCaseSchema, MergeCaseSchema, SLA_STATES, UpdateCaseSchema } from '../../../shared/case.js';
import { currentUser, requireRole } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import type { ReplyDeps } from '../../operations/replies.js';
import { addCaseNote, caseDetail, escalate, listCases, updateCase } from '../../operations/cases.js';
import { caseQueue, caseWorkspace, escalationDefaults, mergeCases, replyFromCase } from '../../operations/case-workspace.js';
import { loadCaseTaxonomy, saveCaseTaxonomy } from '../../operations/case-taxonomy.js';

const csv = <T extends z.ZodTypeAny>(item: T) => z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).min(1).optional());

const ListQuery = z
  .object({
    status: csv(CaseStatusSchema),
    assignee: z.string().max(64).optional(),
    customerId: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

/** The case queue's filters, as the URL of /#/cases carries them. */
const QueueQuery = z
  .object({
    status: csv(CaseStatusSchema),
    priority: csv(z.enum(CASE_PRIORITIES)),
    sla: z.enum(SLA_STATES).optional(),
    assignee: z.string().min(1).max(64).optional(),
    team: z.string().min(1).max(64).optional(),
    brand: z.string().min(1).max(120).optional(),
    category: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();

const TaxonomyBody = z.object({ taxonomy: CaseTaxonomySchema, version: z.number().int().min(0) }).strict();
const DefaultsQuery = z.object({ mentionId: z.string().min(1).max(32) }).strict();

export function caseRoutes(deps: ReplyDeps) {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parseOr400(ListQuery, req.query, 'query');
    res.json(await listCases(deps, q));
  });
  r.get('/queue', async (req, res) => {
    const { sla, ...q } = parseOr400(QueueQuery, req.query, 'query');
    res.json(await caseQueue(deps, { ...q, ...(sla ? { slaState: sla } : {}) }));
  });
  r.get('/escalation-defaults', async (req, res) => {
    const { mentionId } = parseOr400(DefaultsQuery, req.query, 'query');
    res.json(await escalationDefaults(deps, mentionId));
  });
  r.get('/taxonomy', async (_req, res) => {
    res.json(await loadCaseTaxonomy(deps));
  });
  r.put('/taxonomy', requireRole('manager'), async (req, res) => {
    const { taxonomy, version } = parseOr400(TaxonomyBody, req.body, 'body');
    res.json(await saveCaseTaxonomy(deps, currentUser(req), taxonomy, version));
  });
  r.post('/', async (req, res) => {
    const input = parseOr400(CreateCaseSchema, req.body, 'body');
    const kase = await escalate(deps, currentUser(req), input);
    res.status(input.attachTo ? 200 : 201).json({ case: kase });
  });
  r.get('/:id', async (req: Request<{ id: string }>, res) => {
    res.json(await caseDetail(deps, req.params.id));
  });
  r.get('/:id/workspace', async (req: Request<{ id: string }>, res) => {
    res.json(await caseWorkspace(deps, req.params.id));
  });
  r.patch('/:id', async (req: Request<{ id: string }>, res) => {
    const input = parseOr400(UpdateCaseSchema, req.body, 'body');
    res.json({ case: await updateCase(deps, currentUser(req), req.params.id, input) });
  });
  r.post('/:id/notes', async (req: Request<{ id: string }>, res) => {
    const { text, mentions } = parseOr400(CaseNoteSchema, req.body, 'body');
    res.status(201).json({ case: await addCaseNote(deps, currentUser(req), req.params.id, text, mentions) });
  });
  r.post('/:id/replies', async (req: Request<{ id: string }>, res) => {
    const input = parseOr400(CaseReplySchema, req.body, 'body');
    const { reply, created } = await replyFromCase(deps, currentUser(req), req.params.id, input);
    res.status(created ? 201 : 200).json({ reply });
  });
  r.post('/:id/merge', async (req: Request<{ id: string }>, res) => {
    const { into } = parseOr400(MergeCaseSchema, req.body, 'body');
    res.json(await mergeCases(deps, currentUser(req), req.params.id, into));
  });
  return r;
}
