import type { AuditEvent } from '../../shared/audit.js';
import type { AuditQuery } from '../../shared/store.js';
import type { OpsDeps } from './deps.js';

export const listAudit = (deps: Pick<OpsDeps, 'store'>, q: AuditQuery) => deps.store.audit.list(q);

/** The whole filtered log, page by page, so an export never holds it all in memory. */
export async function* auditPages(deps: Pick<OpsDeps, 'store'>, q: Omit<AuditQuery, 'limit'>): AsyncGenerator<AuditEvent[]> {
  let cursor = q.cursor;
  for (;;) {
    const page = await deps.store.audit.list({ ...q, limit: 500, ...(cursor ? { cursor } : {}) });
    yield page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
