import { useEffect, useState } from 'react';
import type { AuditEvent } from '../../../shared/audit.js';
import { fillTemplate, type CannedResponse, type Reply } from '../../../shared/reply.js';
import type { Mention } from '../../../shared/mention.js';
import type { MentionListResponse } from '../../../shared/api.js';
import { api, get, post } from '../api/client';
import { useApp } from '../context';
import { timeAgo } from '../format';
import { ImportPanel } from './ImportPanel';

/** Managers: imports, saved replies, replies waiting for approval, the audit log. */
export function ManageView() {
  const { users, user } = useApp();
  // A real mention to preview saved replies against: the newest one.
  const [sample, setSample] = useState<Mention | null>(null);
  useEffect(() => {
    get<MentionListResponse>('/api/mentions?sort=recent&limit=1', { quiet: true }).then((r) => setSample(r.items[0] ?? null), () => undefined);
  }, []);
  const preview = (body: string) => (sample ? fillTemplate(body, { author: `@${sample.author.handle}`, author_name: sample.author.name ?? sample.author.handle, brand: sample.brand, agent: user.name }) : body);
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const [pending, setPending] = useState<Reply[]>([]);
  const [audit, setAudit] = useState<AuditEvent[]>([]);
  const [draft, setDraft] = useState({ title: '', body: '', shortcut: '' });
  const load = () => {
    get<{ items: CannedResponse[] }>('/api/canned-responses').then((r) => setCanned(r.items), () => undefined);
    get<{ items: Reply[] }>('/api/replies/pending').then((r) => setPending(r.items), () => undefined);
    get<{ items: AuditEvent[] }>('/api/audit?limit=50').then((r) => setAudit(r.items), () => undefined);
  };
  useEffect(load, []);
  return (
    <div className="manage">
      <ImportPanel />
      <section>
        <h3>Saved replies</h3>
        <p className="muted">Variables: {'{{author}}'}, {'{{author_name}}'}, {'{{brand}}'}, {'{{agent}}'}</p>
        {canned.map((c, i) => (
          <div key={c.id} className="canned-item">
            <kbd>{i + 1}</kbd> <b>{c.title}</b> — {c.body} {sample && <span className="muted">(as sent: {preview(c.body)})</span>}{' '}
            <button onClick={() => api('DELETE', `/api/canned-responses/${c.id}`).then(load, () => undefined)}>Delete</button>
          </div>
        ))}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            post('/api/canned-responses', { title: draft.title, body: draft.body, shortcut: draft.shortcut || null }).then(() => (setDraft({ title: '', body: '', shortcut: '' }), load()), () => undefined);
          }}
          className="inline-form"
        >
          <input aria-label="Saved reply title" placeholder="Title" value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
          <input aria-label="Saved reply text" placeholder="Text" value={draft.body} onChange={(e) => setDraft({ ...draft, body: e.target.value })} size={50} />
          <input aria-label="Saved reply shortcut" placeholder="shortcut" value={draft.shortcut} onChange={(e) => setDraft({ ...draft, shortcut: e.target.value })} size={10} />
          <button type="submit">Add</button>
        </form>
        {draft.body && (
          <p className="rule-preview" role="status" data-testid="canned-preview">
            Preview{sample ? ` for @${sample.author.handle}'s mention of ${sample.brand ?? 'your brand'}` : ''}: {preview(draft.body)}
          </p>
        )}
      </section>
      <section>
        <h3>Waiting for approval</h3>
        {pending.length === 0 && <p className="muted">Nothing waiting.</p>}
        {pending.map((r) => (
          <div key={r.id} className="reply">
            <b>{users.get(r.authorId)?.name ?? r.authorId}</b>: {r.text} <button onClick={() => post(`/api/replies/${r.id}/approve`).then(load, () => undefined)}>Approve</button>{' '}
            <button onClick={() => post(`/api/replies/${r.id}/reject`, { reason: 'rejected by manager' }).then(load, () => undefined)}>Reject</button>
          </div>
        ))}
      </section>
      <section>
        <h3>
          Audit log <a href="/api/audit?format=csv&limit=500">Download CSV</a>
        </h3>
        <table className="audit">
          <tbody>
            {audit.map((e) => (
              <tr key={e.id}>
                <td className="muted">{timeAgo(e.at)}</td>
                <td>{e.actorEmail ?? 'Hark'}</td>
                <td>{e.action}</td>
                <td>
                  {e.entityType} {e.entityId}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
