import { useCallback, useEffect, useRef, useState } from 'react';
import { CASE_PRIORITIES, CASE_STATUSES, SLA_STATES, type Case, type SlaState } from '../../../../shared/case.js';
import { ApiError, get, patch, qs } from '../../api/client';
import { useApp } from '../../context';
import { SLA_LABEL, SlaChip } from './SlaClocks';
import { TaxonomyEditor } from './TaxonomyEditor';
import { roleAtLeast } from '../../../../shared/auth.js';

interface QueueAnswer {
  items: Case[];
  total: number;
  counts: Record<SlaState, number>;
}
const FILTERS = ['status', 'priority', 'sla', 'assignee', 'team', 'brand', 'category'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** The filters live in the URL (#/cases?team=support&sla=at_risk), so a view can be shared and survives a reload. */
function readFilters(defaultTeam: string | undefined): Filters {
  const q = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const f: Filters = {};
  for (const k of FILTERS) {
    const v = q.get(k);
    if (v) f[k] = v;
  }
  if (!q.has('status')) f.status = 'open,pending';
  if (!q.has('team') && defaultTeam) f.team = defaultTeam;
  return f;
}
function writeFilters(f: Filters) {
  const q = new URLSearchParams();
  for (const k of FILTERS) if (f[k]) q.set(k, f[k]!);
  q.set('team', f.team ?? '');
  history.replaceState(null, '', `#/cases?${q.toString()}`);
}

/** A team's case queue: its open cases by SLA due, filtered and counted by the server, live. */
export function CaseQueue() {
  const { live, users, user } = useApp();
  const [filters, setFilters] = useState<Filters>(() => readFilters(user.teams[0]));
  const [data, setData] = useState<QueueAnswer | null>(null);
  const [selected, setSelected] = useState(0);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [bulkTo, setBulkTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(() => {
    get<QueueAnswer>(`/api/cases/queue${qs({ ...filters, limit: 100 })}`, { quiet: true }).then(
      (r) => (setData(r), setError(null)),
      (e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load cases'),
    );
  }, [filters]);
  useEffect(() => {
    writeFilters(filters);
    load();
  }, [filters, load]);
  // Live: any case change re-asks the server (batched), which filters and counts, instead of guessing here.
  useEffect(() => {
    const leave = live.enter('cases');
    const soon = () => {
      if (timer.current) return;
      timer.current = setTimeout(() => ((timer.current = null), load()), 250);
    };
    live.socket.on('case.created', soon);
    live.socket.on('case.updated', soon);
    const clock = setInterval(load, 30_000); // states change as time passes, too
    return () => {
      leave();
      live.socket.off('case.created', soon);
      live.socket.off('case.updated', soon);
      clearInterval(clock);
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [live, load]);

  const items = data?.items ?? [];
  const open = (c: Case | undefined) => c && (location.hash = `#/cases/${c.id}`);
  const assign = async (cases: Case[], assignee: string | null) => {
    const failed: string[] = [];
    for (const c of cases) {
      try {
        await patch(`/api/cases/${c.id}`, { version: c.version, assignee }, { quiet: true });
      } catch (e) {
        failed.push(`${c.number}: ${e instanceof ApiError ? e.message : 'failed'}`);
      }
    }
    setError(failed.length ? failed.join('; ') : null);
    setPicked(new Set());
    load();
  };
  /** `n`: take the next unassigned case (the one that runs out soonest) and open it. */
  const next = async () => {
    const c = items.find((x) => !x.assignee && x.status === 'open');
    if (!c) return setError('No unassigned open case in this view');
    try {
      await patch(`/api/cases/${c.id}`, { version: c.version, assignee: user.id }, { quiet: true });
      open(c);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not take the case');
      load();
    }
  };
  const keys = useRef({ items, selected, next, open });
  keys.current = { items, selected, next, open };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement).tagName;
      if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = keys.current;
      if (e.key === 'j') setSelected((s) => Math.min(k.items.length - 1, s + 1));
      else if (e.key === 'k') setSelected((s) => Math.max(0, s - 1));
      else if (e.key === 'Enter' && tag !== 'BUTTON' && tag !== 'A') k.open(k.items[k.selected]);
      else if (e.key === 'n') void k.next();
      else if (e.key === 'x') {
        const c = k.items[k.selected];
        if (c) setPicked((p) => (p.has(c.id) ? new Set([...p].filter((x) => x !== c.id)) : new Set([...p, c.id])));
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const set = (patchF: Filters) => setFilters((f) => ({ ...f, ...patchF }));
  const teams = [...new Set([...users.values()].flatMap((u) => u.teams))].sort();
  const sel = (name: (typeof FILTERS)[number], label: string, options: Array<[string, string]>) => (
    <label>
      {label}{' '}
      <select aria-label={label} value={filters[name] ?? ''} onChange={(e) => set({ [name]: e.target.value || undefined })}>
        <option value="">Any</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="cases" data-testid="cases">
      <div className="sla-counts" data-testid="sla-counts">
        {SLA_STATES.map((s) => (
          <button key={s} className={`count sla-${s} ${filters.sla === s ? 'active' : ''}`} data-testid={`count-${s}`} onClick={() => set({ sla: filters.sla === s ? undefined : s })}>
            {SLA_LABEL[s]}: <b>{data?.counts[s] ?? '…'}</b>
          </button>
        ))}
      </div>
      <div className="filters">
        {sel('status', 'Status', [['open,pending', 'open and pending'], ...CASE_STATUSES.map((s) => [s, s] as [string, string])])}
        {sel('priority', 'Priority', CASE_PRIORITIES.map((p) => [p, p]))}
        {sel('sla', 'SLA', SLA_STATES.map((s) => [s, SLA_LABEL[s]]))}
        {sel('assignee', 'Assignee', [[user.id, 'me'], ['none', 'unassigned'], ...[...users.values()].filter((u) => u.id !== user.id).map((u) => [u.id, u.name] as [string, string])])}
        {sel('team', 'Team', teams.map((t) => [t, t]))}
        <label>
          Brand <input aria-label="Brand" defaultValue={filters.brand ?? ''} onBlur={(e) => set({ brand: e.target.value.trim() || undefined })} onKeyDown={(e) => e.key === 'Enter' && set({ brand: e.currentTarget.value.trim() || undefined })} />
        </label>
        <label>
          Category <input aria-label="Category" defaultValue={filters.category ?? ''} onBlur={(e) => set({ category: e.target.value.trim() || undefined })} onKeyDown={(e) => e.key === 'Enter' && set({ category: e.currentTarget.value.trim() || undefined })} />
        </label>
      </div>
      {picked.size > 0 && (
        <div className="bulk" data-testid="bulk">
          {picked.size} picked ·{' '}
          <label>
            Assign to{' '}
            <select aria-label="Assign picked cases to" value={bulkTo} onChange={(e) => setBulkTo(e.target.value)}>
              <option value="">choose…</option>
              <option value="none">nobody</option>
              {[...users.values()].map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
          <button disabled={!bulkTo} onClick={() => void assign(items.filter((c) => picked.has(c.id)), bulkTo === 'none' ? null : bulkTo)}>
            Assign
          </button>
        </div>
      )}
      {error && (
        <div className="conflict" role="status">
          {error}
        </div>
      )}
      <p className="muted">
        {data ? `${data.total} cases` : 'Loading…'} · j/k move · Enter opens · n takes the next unassigned · x picks
      </p>
      <table className="case-table">
        <thead>
          <tr>
            <th>
              <span className="sr-only">Pick</span>
            </th>
            <th>Case</th>
            <th>Title</th>
            <th>Status</th>
            <th>Priority</th>
            <th>Team</th>
            <th>Assignee</th>
            <th>SLA</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c, i) => (
            // A click anywhere on the row is the mouse's shortcut; the keyboard opens the case from its number (a real link) or with j/k and Enter.
            <tr key={c.id} data-testid="case-row" className={i === selected ? 'selected' : ''} onClick={(e) => ((e.target as HTMLElement).tagName !== 'INPUT' ? open(c) : setSelected(i))}>
              <td>
                <input type="checkbox" aria-label={`Pick ${c.number}`} checked={picked.has(c.id)} onChange={() => setPicked((p) => (p.has(c.id) ? new Set([...p].filter((x) => x !== c.id)) : new Set([...p, c.id])))} />
              </td>
              <td>
                <a href={`#/cases/${c.id}`}>{c.number}</a>
              </td>
              <td>{c.title}</td>
              <td>{c.status}</td>
              <td>{c.priority}</td>
              <td>{c.team ?? '—'}</td>
              <td>{c.assignee ? (users.get(c.assignee)?.name ?? c.assignee) : '—'}</td>
              <td>
                <SlaChip kase={c} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {roleAtLeast(user.role, 'manager') && <TaxonomyEditor />}
    </div>
  );
}
