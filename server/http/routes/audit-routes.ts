import { Router } from 'express';
import { z } from 'zod';
import { isoDateTime } from '../../../shared/dates.js';
import type { AuditEvent } from '../../../shared/audit.js';
import type { Store } from '../../../shared/store.js';
import { parseOr400 } from '../errors.js';

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
export function auditRoutes(deps: { store: Store }) {
  const r = Router();
  r.get('/', async (req, res) => {
    const { format, ...q } = parseOr400(AuditQuery, req.query, 'query');
    if (format === 'json') return void res.json(await deps.store.audit.list(q));
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="hark-audit.csv"');
    res.write('id,at,actor_id,actor_email,action,entity_type,entity_id,before,after\n');
    let cursor = q.cursor;
    for (;;) {
      const page = await deps.store.audit.list({ ...q, limit: 500, ...(cursor ? { cursor } : {}) });
      const cols = (e: AuditEvent) => [e.id, e.at, e.actorId, e.actorEmail, e.action, e.entityType, e.entityId, e.before, e.after];
      res.write(page.items.map((e) => cols(e).map(csvCell).join(',')).join('\n') + (page.items.length ? '\n' : ''));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    res.end();
  });
  return r;
}
