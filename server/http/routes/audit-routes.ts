import { Router } from 'express';
import { z } from 'zod';
import { isoDateTime } from '../../../shared/dates.js';
import type { AuditEvent } from '../../../shared/audit.js';
import { parseOr400 } from '../errors.js';
import { auditPages, listAudit } from '../../operations/audit-log.js';
import type { OpsDeps } from '../../operations/deps.js';

const iso = isoDateTime();
const AuditQuery = z
  .object({
    actorId: z.string().max(64).optional(),
    entityType: z.enum(['mention', 'case', 'reply', 'canned_response', 'user', 'customer', 'settings', 'queue']).optional(),
    entityId: z.string().max(64).optional(),
    since: iso.optional(),
    until: iso.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(200).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

/** CSV fields are quoted and formula-leading characters defused, so a spreadsheet never runs them. */
const csvCell = (v: unknown) => {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
};

/** Managers read the audit log; `format=csv` streams the whole filtered log as a file. */
export function auditRoutes(deps: Pick<OpsDeps, 'store'>) {
  const r = Router();
  r.get('/', async (req, res) => {
    const { format, ...q } = parseOr400(AuditQuery, req.query, 'query');
    if (format === 'json') return void res.json(await listAudit(deps, q));
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="hark-audit.csv"');
    res.write('id,at,actor_id,actor_email,action,entity_type,entity_id,before,after\n');
    const cols = (e: AuditEvent) => [e.id, e.at, e.actorId, e.actorEmail, e.action, e.entityType, e.entityId, e.before, e.after];
    for await (const items of auditPages(deps, q)) res.write(items.map((e) => cols(e).map(csvCell).join(',')).join('\n') + (items.length ? '\n' : ''));
    res.end();
  });
  return r;
}
