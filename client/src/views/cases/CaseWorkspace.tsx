import { useEffect, useState } from 'react';
import { roleAtLeast } from '../../../../shared/auth.js';
import { CASE_PRIORITIES, CASE_TRANSITIONS, type Case, type CaseTaxonomy, type TimelineEvent } from '../../../../shared/case.js';
import type { Customer } from '../../../../shared/customer.js';
import type { Mention } from '../../../../shared/mention.js';
import type { Reply } from '../../../../shared/reply.js';
import { replyLimit } from '../../../../shared/reply.js';
import type { SlaPolicy } from '../../../../shared/sla.js';
import { ApiError, get, patch, post } from '../../api/client';
import { SentimentChip } from '../../components/Badges';
import { useApp } from '../../context';
import { minutesBetween, newKey, timeAgo } from '../../format';
import { InvestigationPanel } from '../InvestigationPanel';
import { NoteComposer } from './NoteComposer';
import { SlaClocks } from './SlaClocks';

interface Workspace {
  case: Case;
  timeline: TimelineEvent[];
  mentions: Mention[];
  threads: Array<{ mentionId: string; inReplyTo: string | null; replies: Reply[] }>;
  customer: {
    customer: Customer;
    history: Mention[];
    sentiment: Array<{ day: string; mentions: number; average: number }>;
    influence: number;
    otherOpenCases: Case[];
    pastCases: number;
  } | null;
  sla: { businessHours: SlaPolicy['businessHours']; atRiskPercent: number; onBreach: SlaPolicy['onBreach'] };
  taxonomy: CaseTaxonomy;
  mergedInto: string | null;
}

/** The case page as a workspace: the case and its clocks, the customer beside it, the mentions and their threads, replies, notes. */
export function CaseWorkspace({ id }: { id: string }) {
  const { live, users, user } = useApp();
  const [w, setW] = useState<Workspace | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => get<Workspace>(`/api/cases/${id}/workspace`).then(setW, () => undefined);
  useEffect(() => {
    void load();
    const leave = live.enter(`case:${id}`);
    const onUpdate = (msg: { case: Case }) => msg.case.id === id && void load();
    const onReply = (msg: { reply: Reply }) => msg.reply.caseId === id && void load();
    live.socket.on('case.updated', onUpdate);
    live.socket.on('reply.updated', onReply);
    return () => {
      leave();
      live.socket.off('case.updated', onUpdate);
      live.socket.off('reply.updated', onReply);
    };
  }, [id, live]);
  if (!w) return <div className="muted">Loading case…</div>;
  const k = w.case;
  const manager = roleAtLeast(user.role, 'manager');
  const change = async (body: Record<string, unknown>) => {
    try {
      await patch(`/api/cases/${id}`, { version: k.version, ...body }, { quiet: true });
      setError(null);
    } catch (e) {
      if (e instanceof ApiError) setError(e.message);
    }
    await load();
  };
  const people = [...users.values()];
  const teams = [...new Set([...people.flatMap((u) => u.teams), ...(k.team ? [k.team] : [])])].sort();
  const label: Record<string, string> = { open: k.status === 'pending' ? 'Resume (customer answered)' : 'Reopen', pending: 'Set pending (waiting on customer)', resolved: 'Resolve', closed: 'Close' };
  const ob = w.sla.onBreach;
  const onBreach = [ob.raisePriority && 'raise the priority one step', ob.reassignTeam && `hand the case to ${ob.reassignTeam}`, ob.notifyTeam && `tell ${ob.notifyTeam}`].filter(Boolean).join(', ') || 'flag the case';

  return (
    <div className="case-workspace" data-testid="case-detail">
      <section className="case-main">
        <h2>
          <span data-testid="case-number">{k.number}</span> · {k.title}
        </h2>
        {w.mergedInto && (
          <div className="notice" data-testid="merged-into">
            Merged into <a href={`#/cases/${w.mergedInto}`}>the surviving case</a>.
          </div>
        )}
        <div className="case-meta">
          status <b data-testid="case-status">{k.status}</b> · priority {k.priority} · team {k.team ?? '—'} · assignee {k.assignee ? (users.get(k.assignee)?.name ?? k.assignee) : '—'}
          {k.category && <> · category {k.category}</>}
          {k.resolutionCode && (
            <>
              {' '}
              · resolution <b data-testid="resolution-code">{k.resolutionCode}</b>
            </>
          )}
        </div>
        <SlaClocks kase={k} hours={w.sla.businessHours} />
        <p className="muted" data-testid="on-breach">
          On breach the policy will {onBreach}. At risk once {w.sla.atRiskPercent}% of a clock is used.
        </p>
        {error && (
          <div className="conflict" role="status" data-testid="case-error">
            {error}
          </div>
        )}
        {k.kind === 'investigation' && <InvestigationPanel caseId={k.id} />}
        {!w.mergedInto && (
          <div className="actions">
            {CASE_TRANSITIONS[k.status]
              .filter((s) => s !== 'resolved')
              .map((s) => (
                <button key={s} onClick={() => void change({ status: s })}>
                  {label[s]}
                </button>
              ))}
            {k.assignee !== user.id && <button onClick={() => void change({ assignee: user.id })}>Assign to me</button>}
          </div>
        )}
        {!w.mergedInto && <Assignment k={k} people={people} teams={teams} manager={manager} onChange={change} />}
        {!w.mergedInto && k.status !== 'resolved' && k.status !== 'closed' && <Resolve k={k} taxonomy={w.taxonomy} onChange={change} />}
        {k.resolutionNote && <p data-testid="resolution-note">Resolution note: {k.resolutionNote}</p>}

        <h4>Mentions and their threads</h4>
        {w.mentions.map((m) => {
          const t = w.threads.find((x) => x.mentionId === m.id);
          return (
            <div key={m.id} className="history thread" data-testid="case-mention">
              <SentimentChip m={m} /> <b>@{m.author.handle}</b> <span className="muted">on {m.platform}</span> {m.text}{' '}
              {m.inReplyTo && <span className="muted">(in reply to a post {m.inReplyTo})</span>}
              {m.triage.firstResponseAt && <span className="muted"> · answered in {minutesBetween(m.createdAt, m.triage.firstResponseAt)}m</span>}
              {t?.replies.map((r) => (
                <div key={r.id} className="reply" data-testid="thread-reply">
                  ↳ {users.get(r.authorId)?.name ?? 'agent'}: {r.text} <span className="muted">({r.state})</span>
                </div>
              ))}
            </div>
          );
        })}
        {!w.mergedInto && <ReplyComposer k={k} mentions={w.mentions} onSent={load} />}

        <h4>Timeline</h4>
        <ul className="timeline" data-testid="timeline">
          {w.timeline.map((e) => (
            <li key={e.id}>
              <span className="muted">{timeAgo(e.at)}</span> <b>{String(e.data.actor ?? '')}</b> {describe(e)}
            </li>
          ))}
        </ul>
        <NoteComposer caseId={k.id} users={people.filter((u) => u.id !== user.id)} onSaved={load} />
        {!w.mergedInto && <Merge k={k} onMerged={(to) => (location.hash = `#/cases/${to}`)} />}
      </section>
      <CustomerPanel w={w} />
    </div>
  );
}

function Assignment({ k, people, teams, manager, onChange }: { k: Case; people: Array<{ id: string; name: string }>; teams: string[]; manager: boolean; onChange: (b: Record<string, unknown>) => Promise<void> }) {
  return (
    <div className="filters">
      <label>
        Team{' '}
        <select aria-label="Team" value={k.team ?? ''} onChange={(e) => void onChange({ team: e.target.value || null })}>
          <option value="">No team</option>
          {teams.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <label>
        Agent{' '}
        <select aria-label="Agent" value={k.assignee ?? ''} onChange={(e) => void onChange({ assignee: e.target.value || null })}>
          <option value="">Unassigned</option>
          {people.map((u) => (
            <option key={u.id} value={u.id} disabled={!manager && u.id !== k.assignee}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Priority{' '}
        <select aria-label="Priority" value={k.priority} onChange={(e) => void onChange({ priority: e.target.value })}>
          {CASE_PRIORITIES.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Resolve({ k, taxonomy, onChange }: { k: Case; taxonomy: CaseTaxonomy; onChange: (b: Record<string, unknown>) => Promise<void> }) {
  const [code, setCode] = useState(taxonomy.resolutionCodes[0] ?? '');
  const [note, setNote] = useState('');
  return (
    <form
      className="resolve"
      onSubmit={(e) => {
        e.preventDefault();
        void onChange({ status: 'resolved', resolutionCode: code || null, resolutionNote: note.trim() || null });
      }}
    >
      <label>
        Category{' '}
        <select aria-label="Category" value={k.category ?? ''} onChange={(e) => void onChange({ category: e.target.value || null })}>
          <option value="">None</option>
          {taxonomy.categories.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label>
        Resolution code{' '}
        <select aria-label="Resolution code" value={code} onChange={(e) => setCode(e.target.value)}>
          {taxonomy.resolutionCodes.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label>
        Resolution note <input aria-label="Resolution note" value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit" data-testid="resolve">
        Resolve
      </button>
    </form>
  );
}

/** Answers the customer on the network of the mention chosen, through the same idempotent send as the queue. */
function ReplyComposer({ k, mentions, onSent }: { k: Case; mentions: Mention[]; onSent: () => void }) {
  const [mentionId, setMentionId] = useState(mentions[mentions.length - 1]?.id ?? '');
  const [text, setText] = useState('');
  const [key, setKey] = useState(newKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const m = mentions.find((x) => x.id === mentionId);
  if (!m) return null;
  const limit = replyLimit(m.platform);
  const send = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      // The key stays the same until the send succeeds: a retry after a timeout is the same reply, posted once.
      await post(`/api/cases/${k.id}/replies`, { mentionId, text, idempotencyKey: key }, { quiet: true });
      setText('');
      setKey(newKey());
      setError(null);
      onSent();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Reply failed');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="case-reply"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label>
        Reply to the customer on{' '}
        <select aria-label="Reply on mention" value={mentionId} onChange={(e) => setMentionId(e.target.value)}>
          {mentions.map((x) => (
            <option key={x.id} value={x.id}>
              @{x.author.handle} on {x.platform}: {x.text.slice(0, 40)}
            </option>
          ))}
        </select>
      </label>
      <textarea aria-label="Reply text" data-testid="case-reply-text" value={text} rows={2} onChange={(e) => setText(e.target.value)} />
      <span className={[...text].length > limit ? 'over' : 'muted'}>
        {[...text].length}/{limit}
      </span>
      {error && <div className="conflict">{error}</div>}
      <button type="submit" disabled={busy || !text.trim() || [...text].length > limit} data-testid="case-reply-send">
        Send reply
      </button>
    </form>
  );
}

function Merge({ k, onMerged }: { k: Case; onMerged: (survivor: string) => void }) {
  const [into, setInto] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="merge"
      onSubmit={(e) => {
        e.preventDefault();
        const n = into.trim().replace(/^#/, '');
        if (!n) return;
        // A case number (HK-1042) or an id: the number is looked up in the open cases.
        const find = /^hk-/i.test(n) ? get<{ items: Case[] }>('/api/cases?status=open,pending&limit=200').then((r) => r.items.find((c) => c.number.toLowerCase() === n.toLowerCase())?.id) : Promise.resolve(n);
        find
          .then((target) => {
            if (!target) throw new Error(`No open case ${n}`);
            return post<{ survivor: Case }>(`/api/cases/${k.id}/merge`, { into: target }, { quiet: true });
          })
          .then((r) => onMerged(r.survivor.id))
          .catch((err: unknown) => setError(err instanceof Error ? err.message : 'Merge failed'));
      }}
    >
      <label>
        Merge this case into <input aria-label="Merge into case" placeholder="HK-1042" value={into} onChange={(e) => setInto(e.target.value)} />
      </label>
      <button type="submit">Merge</button>
      {error && <div className="conflict">{error}</div>}
    </form>
  );
}

function CustomerPanel({ w }: { w: Workspace }) {
  const c = w.customer;
  if (!c) return <aside className="customer-panel muted">No customer linked to this case yet.</aside>;
  const trend = c.sentiment.slice(-14);
  return (
    <aside className="customer-panel" data-testid="customer-panel" aria-label="Customer">
      <h3>
        <a href={`#/customers/${c.customer.id}`}>{c.customer.name}</a>
      </h3>
      <ul className="identities">
        {c.customer.identities.map((i) => (
          <li key={`${i.platform}:${i.handle}`}>
            {i.platform}: @{i.handle}
          </li>
        ))}
      </ul>
      <div className="muted">
        influence {Math.round(c.influence)} · {c.pastCases} past cases
      </div>
      {trend.length > 0 && (
        <div className="trend" aria-label="Sentiment trend" data-testid="sentiment-trend">
          {trend.map((d) => (
            <span key={d.day} title={`${d.day}: ${d.average.toFixed(2)} over ${d.mentions} mentions`} className={d.average < -0.2 ? 'neg' : d.average > 0.2 ? 'pos' : 'neu'}>
              {d.average < -0.2 ? '▼' : d.average > 0.2 ? '▲' : '•'}
            </span>
          ))}
        </div>
      )}
      {c.otherOpenCases.length > 0 && (
        <>
          <h4>Other open cases</h4>
          {c.otherOpenCases.map((o) => (
            <div key={o.id}>
              <a href={`#/cases/${o.id}`}>{o.number}</a> {o.title}
            </div>
          ))}
        </>
      )}
      {c.customer.notes && (
        <>
          <h4>Notes</h4>
          <p>{c.customer.notes}</p>
        </>
      )}
      <h4>History</h4>
      {c.history.slice(0, 10).map((m) => (
        <div key={m.id} className="history">
          <SentimentChip m={m} /> <span className="muted">{m.platform} · {timeAgo(m.createdAt)}</span> {m.text.slice(0, 120)}
        </div>
      ))}
    </aside>
  );
}

function describe(e: TimelineEvent): string {
  const d = e.data;
  const from = d.fromCase ? ` (from ${String(d.fromCase)})` : '';
  switch (e.kind) {
    case 'created':
      return `opened the case${from}`;
    case 'note':
      return `noted: ${String(d.text)}${from}`;
    case 'status':
      return `changed status ${String(d.from)} → ${String(d.to)}${from}`;
    case 'assignment':
      return `changed the assignment${from}`;
    case 'priority':
      return `changed priority ${String(d.from)} → ${String(d.to)}`;
    case 'mention_linked':
      return 'linked a mention';
    case 'reply':
      return `replied: ${String(d.text ?? '')}`;
    case 'sla_breach':
      return `SLA breached (${(d.targets as string[] | undefined)?.join(', ') ?? ''})`;
    case 'sla_paused':
      return 'paused the SLA clocks (waiting on the customer)';
    case 'sla_resumed':
      return `resumed the SLA clocks (paused ${String(d.pausedMinutes)} min)`;
    case 'category':
      return `set category ${String(d.to ?? 'none')}`;
    case 'resolution':
      return `recorded resolution ${String(d.code ?? '')}${d.note ? `: ${String(d.note)}` : ''}`;
    case 'merged':
      return d.into ? `merged this case into ${String(d.into)}` : `merged ${String(d.from)} into this case`;
    default:
      return e.kind;
  }
}
