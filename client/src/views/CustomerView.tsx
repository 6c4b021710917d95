import { useEffect, useState } from 'react';
import type { Case } from '../../../shared/case.js';
import type { Customer } from '../../../shared/customer.js';
import type { Mention } from '../../../shared/mention.js';
import type { Reply } from '../../../shared/reply.js';
import { ApiError, get, patch, post } from '../api/client';
import { SentimentChip } from '../components/Badges';
import { useApp } from '../context';
import { timeAgo } from '../format';
import { roleAtLeast } from '../../../shared/auth.js';
import { CustomerPrivacy } from './PrivacyPanel';

interface View360 {
  customer: Customer;
  mentions: Mention[];
  /** Cursor to the next, older page of mentions; null when all are shown. */
  olderBefore: string | null;
  replies: Reply[];
  cases: Case[];
  sentiment: Array<{ day: string; mentions: number; average: number }>;
  influence: number;
}

/** The 360-degree view of one customer, live: identities, history, cases, sentiment over time, notes. */
export function CustomerView({ id }: { id: string }) {
  const { live, user } = useApp();
  const [v, setV] = useState<View360 | null>(null);
  const [notes, setNotes] = useState('');
  const [identity, setIdentity] = useState({ platform: 'x', handle: '' });
  const [mergeId, setMergeId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [older, setOlder] = useState<{ mentions: Mention[]; next: string | null }>({ mentions: [], next: null });
  const loadOlder = (before: string) =>
    get<View360>(`/api/customers/${id}?before=${encodeURIComponent(before)}`).then((r) => setOlder((o) => ({ mentions: [...o.mentions, ...r.mentions], next: r.olderBefore })), () => undefined);
  const load = () =>
    get<View360>(`/api/customers/${id}`).then((r) => {
      setV(r);
      setNotes(r.customer.notes);
    }, () => undefined);
  useEffect(() => {
    void load();
    const off = live.onBatch((_k, b) => {
      if (b.mentions.some((m) => m.customerId === id)) void load();
    });
    const onCase = (msg: { case: Case }) => msg.case.customerId === id && void load();
    live.socket.on('case.updated', onCase);
    live.socket.on('case.created', onCase);
    return () => {
      off();
      live.socket.off('case.updated', onCase);
      live.socket.off('case.created', onCase);
    };
  }, [id, live]);
  if (!v) return <div className="muted">Loading customer…</div>;
  const c = v.customer;
  const run = async (p: Promise<unknown>) => {
    try {
      await p;
      setError(null);
    } catch (e) {
      if (e instanceof ApiError) setError(e.message);
    }
    await load();
  };
  const max = Math.max(1, ...v.sentiment.map((d) => d.mentions));
  return (
    <div className="customer" data-testid="customer">
      <h2>{c.name}</h2>
      {error && <div className="conflict">{error}</div>}
      <div className="muted">
        Influence {v.influence} · {v.mentions.length} mentions · {v.cases.length} cases · {v.replies.length} replies
      </div>
      {roleAtLeast(user.role, 'manager') ? <CustomerPrivacy customer={c} onErased={() => void load()} /> : c.erasure?.completedAt && <div className="muted">This customer was erased.</div>}
      <h4>Identities</h4>
      <ul>
        {c.identities.map((i) => (
          <li key={`${i.platform}:${i.handle}`}>
            {i.platform} @{i.handle} <button onClick={() => run(patch(`/api/customers/${id}`, { version: c.version, removeIdentities: [i] }, { quiet: true }))}>Unlink</button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={(e) => (e.preventDefault(), identity.handle && run(patch(`/api/customers/${id}`, { version: c.version, addIdentities: [identity] }, { quiet: true })))}>
        <input value={identity.platform} onChange={(e) => setIdentity({ ...identity, platform: e.target.value })} size={8} aria-label="Network" />
        <input value={identity.handle} onChange={(e) => setIdentity({ ...identity, handle: e.target.value })} placeholder="handle" aria-label="Handle" />
        <button type="submit">Link identity</button>
      </form>
      {c.mergedFrom.length > 0 && (
        <>
          <h4>Merged records</h4>
          {c.mergedFrom.map((f) => (
            <div key={f.customerId}>
              #{f.customerId} ({f.identities.map((i) => `${i.platform} @${i.handle}`).join(', ')}) <button onClick={() => run(post(`/api/customers/${id}/unmerge`, { otherId: f.customerId }, { quiet: true }))}>Unmerge</button>
            </div>
          ))}
        </>
      )}
      <form className="inline-form" onSubmit={(e) => (e.preventDefault(), mergeId && run(post(`/api/customers/${id}/merge`, { otherId: mergeId }, { quiet: true })))}>
        <input value={mergeId} onChange={(e) => setMergeId(e.target.value)} placeholder="customer id to merge in" aria-label="Merge customer id" />
        <button type="submit">Merge</button>
      </form>
      <h4>Sentiment over time</h4>
      <div className="spark">
        {v.sentiment.map((d) => (
          <div key={d.day} title={`${d.day}: ${d.mentions} mentions, average ${d.average.toFixed(2)}`} className={d.average <= -0.1 ? 'neg' : d.average >= 0.35 ? 'pos' : 'neu'} style={{ height: `${(d.mentions / max) * 40 + 4}px` }} />
        ))}
      </div>
      <h4>Cases</h4>
      {v.cases.map((k) => (
        <div key={k.id}>
          <a href={`#/cases/${k.id}`}>{k.number}</a> {k.title} · {k.status}
        </div>
      ))}
      <h4>Mentions</h4>
      {[...v.mentions, ...older.mentions].map((m) => (
        <div key={m.id} className="history">
          <SentimentChip m={m} /> <span className="platform">{m.platform}</span> {m.text} <span className="muted">{timeAgo(m.createdAt)}</span>
        </div>
      ))}
      {(older.mentions.length ? older.next : v.olderBefore) && (
        <button onClick={() => void loadOlder((older.mentions.length ? older.next : v.olderBefore)!)}>Load older mentions</button>
      )}
      <h4 id="customer-notes-label">Notes</h4>
      <textarea aria-labelledby="customer-notes-label" value={notes} onChange={(e) => setNotes(e.target.value)} rows={4} style={{ width: '100%' }} />
      <button onClick={() => run(patch(`/api/customers/${id}`, { version: c.version, notes }, { quiet: true }))}>Save notes</button>
    </div>
  );
}

/** In a mention: who this author is, or likely matches and a way to link them. */
export function CustomerLink({ m }: { m: Mention }) {
  const [suggest, setSuggest] = useState<Customer[]>([]);
  useEffect(() => {
    if (m.customerId) return;
    get<{ items: Customer[] }>(`/api/customers/suggestions?platform=${encodeURIComponent(m.platform)}&handle=${encodeURIComponent(m.author.handle)}${m.author.name ? `&name=${encodeURIComponent(m.author.name)}` : ''}`).then((r) => setSuggest(r.items), () => undefined);
  }, [m.id, m.customerId, m.platform, m.author.handle, m.author.name]);
  const identity = { platform: m.platform, handle: m.author.handle };
  if (m.customerId)
    return (
      <a href={`#/customers/${m.customerId}`} data-testid="customer-link">
        Customer profile
      </a>
    );
  return (
    <span className="customer-link">
      {suggest.map((c) => (
        <button key={c.id} onClick={() => patch(`/api/customers/${c.id}`, { version: c.version, addIdentities: [identity] }).then(() => (location.hash = `#/customers/${c.id}`), () => undefined)}>
          Link to {c.name}?
        </button>
      ))}
      <button onClick={() => post<{ customer: Customer }>('/api/customers', { name: m.author.name ?? m.author.handle, identities: [identity] }).then((r) => (location.hash = `#/customers/${r.customer.id}`), () => undefined)}>New customer</button>
    </span>
  );
}
