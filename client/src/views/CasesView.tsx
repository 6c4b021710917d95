import { useEffect, useState } from 'react';
import { InvestigationPanel } from './InvestigationPanel';
import type { Case, TimelineEvent } from '../../../shared/case.js';
import { CASE_TRANSITIONS } from '../../../shared/case.js';
import type { Mention } from '../../../shared/mention.js';
import { ApiError, get, patch, post } from '../api/client';
import { SentimentChip } from '../components/Badges';
import { useApp } from '../context';
import { dueIn, minutesBetween, timeAgo } from '../format';

/** Re-renders every `ms` so countdowns stay true. */
function useTick(ms: number) {
  const [, set] = useState(0);
  useEffect(() => {
    const t = setInterval(() => set((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
}

function SlaClock({ kase }: { kase: Case }) {
  useTick(15_000);
  const first = kase.firstResponseAt ? `met in ${minutesBetween(kase.createdAt, kase.firstResponseAt)}m` : dueIn(kase.sla.firstResponseDueAt);
  const late = kase.sla.breached.length > 0;
  return (
    <span className={late ? 'sla late' : 'sla'} data-testid="sla">
      first response {first} · resolution {kase.resolvedAt ? `done in ${minutesBetween(kase.createdAt, kase.resolvedAt)}m` : dueIn(kase.sla.resolutionDueAt)}
      {late && ` · BREACHED (${kase.sla.breached.join(', ').replace('_', ' ')})`}
    </span>
  );
}

export function CasesView() {
  const { live, users } = useApp();
  const [cases, setCases] = useState<Case[]>([]);
  const [status, setStatus] = useState('open,pending');
  useEffect(() => {
    get<{ items: Case[] }>(`/api/cases${status ? `?status=${status}` : ''}`).then((r) => setCases(r.items), () => undefined);
  }, [status]);
  useEffect(() => {
    const leave = live.enter('cases');
    const upsert = (msg: { case: Case }) =>
      setCases((prev) => {
        const keep = !status || status.split(',').includes(msg.case.status);
        const others = prev.filter((c) => c.id !== msg.case.id);
        return keep ? [msg.case, ...others].sort((a, b) => Number(b.id) - Number(a.id)) : others;
      });
    live.socket.on('case.created', upsert);
    live.socket.on('case.updated', upsert);
    return () => {
      leave();
      live.socket.off('case.created', upsert);
      live.socket.off('case.updated', upsert);
    };
  }, [live, status]);
  return (
    <div className="cases" data-testid="cases">
      <div className="filters">
        <select aria-label="Case status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="open,pending">Open and pending</option>
          <option value="resolved,closed">Resolved and closed</option>
          <option value="">All</option>
        </select>
      </div>
      <table className="case-table">
        <thead>
          <tr>
            <th>Case</th>
            <th>Title</th>
            <th>Status</th>
            <th>Priority</th>
            <th>Assignee</th>
            <th>SLA</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.id} data-testid="case-row" onClick={() => (location.hash = `#/cases/${c.id}`)}>
              <td>
                <a href={`#/cases/${c.id}`}>{c.number}</a>
              </td>
              <td>{c.title}</td>
              <td>{c.status}</td>
              <td>{c.priority}</td>
              <td>{c.assignee ? (users.get(c.assignee)?.name ?? c.assignee) : '—'}</td>
              <td>
                <SlaClock kase={c} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CaseDetail({ id }: { id: string }) {
  const { live, users, user } = useApp();
  const [data, setData] = useState<{ case: Case; timeline: TimelineEvent[]; mentions: Mention[] } | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = () => get<{ case: Case; timeline: TimelineEvent[]; mentions: Mention[] }>(`/api/cases/${id}`).then(setData, () => undefined);
  useEffect(() => {
    void load();
    const leave = live.enter(`case:${id}`);
    const onUpdate = (msg: { case: Case }) => msg.case.id === id && void load();
    live.socket.on('case.updated', onUpdate);
    return () => {
      leave();
      live.socket.off('case.updated', onUpdate);
    };
  }, [id, live]);
  if (!data) return <div className="muted">Loading case…</div>;
  const k = data.case;
  const change = async (body: Record<string, unknown>) => {
    try {
      await patch(`/api/cases/${id}`, { version: k.version, ...body }, { quiet: true });
      setError(null);
      await load();
    } catch (e) {
      if (e instanceof ApiError) setError(e.message);
      await load();
    }
  };
  const label: Record<string, string> = { open: 'Reopen', pending: 'Set pending', resolved: 'Resolve', closed: 'Close' };
  return (
    <div className="case-detail" data-testid="case-detail">
      <h2>
        <span data-testid="case-number">{k.number}</span> · {k.title}
      </h2>
      <div className="case-meta">
        status <b data-testid="case-status">{k.status}</b> · priority {k.priority} · assignee {k.assignee ? (users.get(k.assignee)?.name ?? k.assignee) : '—'} · <SlaClock kase={k} />
      </div>
      {error && <div className="conflict">{error}</div>}
      {k.kind === 'investigation' && <InvestigationPanel caseId={k.id} />}
      <div className="actions">
        {CASE_TRANSITIONS[k.status].map((s) => (
          <button key={s} onClick={() => change({ status: s })}>
            {label[s]}
          </button>
        ))}
        {k.assignee !== user.id && <button onClick={() => change({ assignee: user.id })}>Assign to me</button>}
      </div>
      <h4>Mentions</h4>
      {data.mentions.map((m) => (
        <div key={m.id} className="history">
          <SentimentChip m={m} /> <b>@{m.author.handle}</b> {m.text} {m.triage.firstResponseAt && <span className="muted">· answered in {minutesBetween(m.createdAt, m.triage.firstResponseAt)}m</span>}
        </div>
      ))}
      <h4>Timeline</h4>
      <ul className="timeline" data-testid="timeline">
        {data.timeline.map((e) => (
          <li key={e.id}>
            <span className="muted">{timeAgo(e.at)}</span> <b>{String(e.data.actor ?? '')}</b> {describe(e)}
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (note.trim()) post(`/api/cases/${id}/notes`, { text: note }).then(() => (setNote(''), load()), () => undefined);
        }}
      >
        <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="Add a note to the case" />
      </form>
    </div>
  );
}

function describe(e: TimelineEvent): string {
  const d = e.data as Record<string, unknown>;
  switch (e.kind) {
    case 'created':
      return 'opened the case';
    case 'note':
      return `noted: ${String(d.text)}`;
    case 'status':
      return `changed status ${String(d.from)} → ${String(d.to)}`;
    case 'assignment':
      return 'changed the assignment';
    case 'priority':
      return `changed priority ${String(d.from)} → ${String(d.to)}`;
    case 'mention_linked':
      return 'linked a mention';
    case 'reply':
      return `replied: ${String(d.text)}`;
    case 'sla_breach':
      return `SLA breached (${(d.targets as string[] | undefined)?.join(', ') ?? ''})`;
    default:
      return e.kind;
  }
}
