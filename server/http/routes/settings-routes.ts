import { Router, type Request } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../../shared/errors.js';
import { RoutingRuleSchema, TeamSchema } from '../../../shared/routing.js';
import type { Store } from '../../../shared/store.js';
import { WebhookSchema, type Webhook } from '../../../shared/webhook.js';
import { currentUser, requireRole } from '../auth-middleware.js';
import { parseOr400 } from '../errors.js';
import { PutRetentionSchema } from '../../../shared/privacy.js';
import { loadRetention, saveRetention } from '../../operations/privacy.js';
import { audit, type OpsDeps } from '../../operations/deps.js';
import { loadRules, loadTeams, RULES_KEY, TEAMS_KEY } from '../../routing/routing-context.js';
import { loadWebhooks, WEBHOOKS_KEY, type WebhookDispatcher } from '../../webhooks/dispatcher.js';

const uniqueIds = <T extends { id: string }>(items: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `id ${it.id} is used twice` });
    seen.add(it.id);
  });
};

/** A list-valued setting: everyone reads, the given role replaces it whole with compare-and-set. */
function listSetting<T extends { id: string }>(
  deps: OpsDeps,
  key: string,
  field: string,
  item: z.ZodType<T>,
  load: (s: Store) => Promise<{ version: number } & Record<string, unknown>>,
  role: 'manager' | 'admin',
  redact: (items: T[]) => unknown[] = (x) => x,
  /** Turns what the client sent back (maybe redacted) into the full value, given the stored one. */
  unredact: (sent: unknown, stored: T[]) => unknown = (x) => x,
) {
  const r = Router();
  const Body = z.object({ version: z.number().int().min(0), [field]: z.array(item).max(200).superRefine(uniqueIds) }).strict();
  r.get('/', requireRole(role === 'admin' ? 'admin' : 'agent'), async (_req, res) => {
    const cur = await load(deps.store);
    res.json({ [field]: redact(cur[field] as T[]), version: cur.version });
  });
  r.put('/', requireRole(role), async (req, res) => {
    const before = await load(deps.store);
    const raw = req.body as Record<string, unknown> | undefined;
    const sent = raw && typeof raw === 'object' ? { ...raw, [field]: unredact(raw[field], before[field] as T[]) } : raw;
    const body = parseOr400(Body, sent, 'body') as { version: number } & Record<string, T[]>;
    const saved = await deps.store.settings.set({ key, value: body[field], expectedVersion: body.version });
    await audit(deps, currentUser(req), `settings.${field}_changed`, 'settings', key, redact(before[field] as T[]), redact(body[field]!));
    res.json({ [field]: redact(saved.value!), version: saved.version });
  });
  return r;
}

export const teamRoutes = (deps: OpsDeps) => listSetting(deps, TEAMS_KEY, 'teams', TeamSchema, loadTeams, 'manager');
export const ruleRoutes = (deps: OpsDeps) => listSetting(deps, RULES_KEY, 'rules', RoutingRuleSchema, loadRules, 'manager');

/** Webhook secrets are write-only: they are never sent back. */
const HIDDEN = '••••';
const hideSecrets = (hooks: Webhook[]) => hooks.map(({ secret: _s, ...rest }) => ({ ...rest, secret: HIDDEN }));
const keepSecrets = (sent: unknown, stored: Webhook[]) =>
  Array.isArray(sent)
    ? sent.map((h: unknown) => {
        const hook = h as Partial<Webhook> | null;
        if (!hook || hook.secret !== HIDDEN) return h;
        const old = stored.find((s) => s.id === hook.id);
        return old ? { ...hook, secret: old.secret } : h;
      })
    : sent;

export function webhookRoutes(deps: OpsDeps, dispatcher: WebhookDispatcher) {
  const r = listSetting(deps, WEBHOOKS_KEY, 'webhooks', WebhookSchema, loadWebhooks, 'admin', hideSecrets, keepSecrets);
  r.get('/deliveries', requireRole('admin'), async (req, res) => {
    const q = parseOr400(z.object({ webhookId: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(200).optional() }).strict(), req.query, 'query');
    res.json(await deps.store.webhookDeliveries.list(q));
  });
  r.post('/deliveries/:id/redeliver', requireRole('admin'), async (req: Request<{ id: string }>, res) => {
    const d = await dispatcher.redeliver(req.params.id);
    if (!d) throw new NotFoundError(`No delivery with id ${req.params.id}`);
    await dispatcher.tick();
    res.json({ delivery: await deps.store.webhookDeliveries.get({ id: d.id }) });
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
