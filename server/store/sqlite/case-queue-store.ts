import type { Case, SlaState } from '../../../shared/case.js';
import type { CaseQueueQuery, CaseQueueStore } from '../../../shared/store.js';
import type { Param, Prepare } from './prepare.js';

type Filters = Omit<CaseQueueQuery, 'limit' | 'offset'>;

/** SQL for an SLA state at `?` (now), on the generated columns of the cases table (schema.ts). */
const STATE_SQL: Record<SlaState, string> = {
  breached: '(sla_breached = 1 OR (sla_due IS NOT NULL AND sla_due <= ?))',
  at_risk: '(sla_breached = 0 AND sla_due > ? AND sla_risk <= ?)',
  on_track: '(sla_breached = 0 AND (sla_due IS NULL OR (sla_due > ? AND (sla_risk IS NULL OR sla_risk > ?))))',
};
const stateParams = (s: SlaState, now: string): Param[] => (s === 'breached' ? [now] : [now, now]);

function where(q: Filters): { sql: string; params: Param[] } {
  const parts: string[] = [];
  const params: Param[] = [];
  const inList = (col: string, values: string[] | undefined) => {
    if (!values?.length) return;
    parts.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('status', q.status);
  inList('priority', q.priority);
  const eq = (sql: string, v: Param) => {
    parts.push(sql);
    params.push(v);
  };
  if (q.assignee === 'none') parts.push('assignee IS NULL');
  else if (q.assignee) eq('assignee = ?', q.assignee);
  if (q.team) eq('team = ?', q.team);
  if (q.brand) eq('brand = ?', q.brand);
  if (q.category) eq('category = ?', q.category);
  if (q.slaState) {
    parts.push(STATE_SQL[q.slaState]);
    params.push(...stateParams(q.slaState, q.now));
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export function caseQueueStore(prepare: Prepare): CaseQueueStore {
  return {
    async page(q) {
      const w = where(q);
      // Running clocks first, the one that runs out soonest on top; paused and finished cases after, newest first.
      const rows = prepare(`SELECT id, version, doc FROM cases ${w.sql} ORDER BY sla_due IS NULL, sla_due, id DESC LIMIT ? OFFSET ?`).all(...w.params, q.limit, q.offset ?? 0) as Array<{ id: number; version: number; doc: string }>;
      const total = (prepare(`SELECT count(*) AS n FROM cases ${w.sql}`).get(...w.params) as { n: number }).n;
      return { items: rows.map((r) => ({ ...(JSON.parse(r.doc) as Omit<Case, 'id' | 'version'>), id: String(r.id), version: r.version })), total };
    },
    async counts(q) {
      const w = where({ ...q, slaState: undefined });
      const r = prepare(
        `SELECT sum(${STATE_SQL.on_track}) AS on_track, sum(${STATE_SQL.at_risk}) AS at_risk, sum(${STATE_SQL.breached}) AS breached FROM cases ${w.sql}`,
      ).get(...stateParams('on_track', q.now), ...stateParams('at_risk', q.now), ...stateParams('breached', q.now), ...w.params) as Record<SlaState, number | null>;
      return { on_track: r.on_track ?? 0, at_risk: r.at_risk ?? 0, breached: r.breached ?? 0 };
    },
  };
}
