import { Router, type Request } from 'express';
import { z } from 'zod';
import { RoutingRuleSchema, TeamSchema } from '../../../shared/routing.js';
import { WebhookSchema } from '../../../shared/webhook.js';
import { currentUser, requireRole } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import { PutRetentionSchema } from '../../../shared/privacy.js';
import { loadRetention, saveRetention } from '../../operations/privacy.js';
import type { OpsDeps } from '../../operations/deps.js';
import { readListSetting, replaceListSetting, rulesSetting, teamsSetting, type ListSetting } from '../../operations/list-settings.js';
import { listDeliveries, redeliverNow, webhooksSetting } from '../../operations/webhook-settings.js';
import type { WebhookDispatcher } from '../../webhooks/dispatcher.js';
import { saveTeams } from '../../operations/team-settings.js';
import { previewRouting } from '../../operations/routing-preview.js';
import { sendWebhookTest } from '../../operations/webhook-test.js';

const uniqueIds = <T extends { id: string }>(items: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `id ${it.id} is used twice` });
    seen.add(it.id);
  });
};

/** A list-valued setting: everyone reads, the given role replaces it whole with compare-and-set. */
function listSetting<T extends { id: string }>(deps: OpsDeps, spec: ListSetting<T>, item: z.ZodType<T>, role: 'manager' | 'admin') {
  const r = Router();
  const Body = z.object({ version: z.number().int().min(0), [spec.field]: z.array(item).max(200).superRefine(uniqueIds) }).strict();
  const parse = (sent: unknown) => {
    const body = parseOr400(Body, sent, 'body') as { version: number } & Record<string, T[]>;
    return { version: body.version, items: body[spec.field]! };
  };
  r.get('/', requireRole(role === 'admin' ? 'admin' : 'agent'), async (_req, res) => {
    res.json(await readListSetting(deps, spec));
  });
  r.put('/', requireRole(role), async (req, res) => {
    res.json(await replaceListSetting(deps, currentUser(req), spec, req.body, parse));
  });
  return r;
}

const memberId = z.string().min(1).max(64);
const TeamsBody = z
  .object({
    version: z.number().int().min(0),
    teams: z.array(TeamSchema).max(200).superRefine(uniqueIds),
    // Optional, admins only: who is in each team, saved in the same operation as the teams.
    members: z.record(z.string().max(64), z.array(memberId).max(1000)).optional(),
  })
  .strict();

/** Teams: everyone reads; managers replace the document, admins also who is in each team, in one step. */
export function teamRoutes(deps: OpsDeps) {
  const r = Router();
  r.get('/', requireRole('agent'), async (_req, res) => {
    res.json(await readListSetting(deps, teamsSetting));
  });
  r.put('/', requireRole('manager'), async (req, res) => {
    const body = parseOr400(TeamsBody, req.body, 'body');
    res.json(await saveTeams(deps, currentUser(req), body));
  });
  return r;
}
export function ruleRoutes(deps: OpsDeps) {
  const r = listSetting(deps, rulesSetting, RoutingRuleSchema, 'manager');
  // The rules as drafted in the form, before saving: which of the latest mentions each would take.
  r.post('/preview', requireRole('manager'), async (req, res) => {
    const body = parseOr400(z.object({ rules: z.array(RoutingRuleSchema).max(200).superRefine(uniqueIds) }).strict(), req.body, 'body');
    res.json(await previewRouting(deps, body.rules));
  });
  return r;
}

export function webhookRoutes(deps: OpsDeps, dispatcher: WebhookDispatcher) {
  const r = listSetting(deps, webhooksSetting, WebhookSchema, 'admin');
  r.get('/deliveries', requireRole('admin'), async (req, res) => {
    const q = parseOr400(z.object({ webhookId: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(200).optional() }).strict(), req.query, 'query');
    res.json(await listDeliveries(deps, q));
  });
  r.post('/:id/test', requireRole('admin'), async (req: Request<{ id: string }>, res) => {
    res.json(await sendWebhookTest(deps, currentUser(req), req.params.id));
  });
  r.post('/deliveries/:id/redeliver', requireRole('admin'), async (req: Request<{ id: string }>, res) => {
    res.json({ delivery: await redeliverNow(deps, dispatcher, req.params.id) });
  });
  return r;
}

/** Retention of raw mention text and author data: everyone reads it (the UI says what is kept), managers set it. */
export function retentionRoutes(deps: OpsDeps) {
  const r = Router();
  r.get('/', async (_req, res) => {
    const cur = await loadRetention(deps);
    res.json({ ...cur.value, version: cur.version });
  });
  r.put('/', requireRole('manager'), async (req, res) => {
    const input = parseOr400(PutRetentionSchema, req.body, 'body');
    const saved = await saveRetention(deps, currentUser(req), input);
    res.json({ ...saved.value, version: saved.version });
  });
  return r;
}
