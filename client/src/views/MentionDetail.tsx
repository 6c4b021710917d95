import { useEffect, useRef, useState } from 'react';
import type { Case } from '../../../shared/case.js';
import type { PresenceViewer } from '../../../shared/events.js';
import { INTENTS, SENTIMENT_LABELS, type Mention } from '../../../shared/mention.js';
import type { CannedResponse, Reply } from '../../../shared/reply.js';
import { fillTemplate, replyLimit } from '../../../shared/reply.js';
import { ApiError, get, post } from '../api/client';
import { ActionBadge, DemoBadge, SentimentChip } from '../components/Badges';
import { useApp } from '../context';
import { compact, minutesBetween, newKey, safeHttpUrl, timeAgo } from '../format';
import { roleAtLeast } from '../../../shared/auth.js';
import { CustomerLink } from './CustomerView';
import { ReplyAbilityNotice, useReplyAbility } from './ReplyAbilityNotice';
import { EscalationDialog } from './cases/EscalationDialog';

const DISMISS_REASONS = ['not actionable', 'spam', 'not about us', 'duplicate', 'handled elsewhere'];

function snoozeUntil(choice: string): string {
  const now = new Date();
  if (choice === '1h') return new Date(now.getTime() + 3600_000).toISOString();
  if (choice === '4h') return new Date(now.getTime() + 4 * 3600_000).toISOString();
  const t = new Date(now);
  t.setDate(t.getDate() + 1);
  t.setHours(9, 0, 0, 0);
  return t.toISOString();
}

interface Context {
  history: Mention[];
  replies: Reply[];
  timeline: Array<{ id: string; kind: string; at: string; data: Record<string, unknown> }>;
  case: Case | null;
  holder: { id: string; name: string } | null;
}

/** One mention, everything about it, and what an agent can do with it. */
export function MentionDetail(props: {
  mention: Mention;
  /** Loaded with the queue, so "r" then a digit never waits for the network. */
  canned: CannedResponse[];
  onChange: (m: Mention) => void;
  onClose: () => void;
  replyRequest: number;
  escalateRequest: number;
  dismissRequest: number;
}) {
  const { mention: m, onChange } = props;
  const { user, users, live } = useApp();
  const [ctx, setCtx] = useState<Context | null>(null);
  const [viewers, setViewers] = useState<PresenceViewer[]>([]);
  const [conflict, setConflict] = useState<string | null>(null);
  // "r" from the queue opens the composer in the same render that shows the mention,
  // so the digit pressed right after it already has a saved-reply list to pick from.
  const [composer, setComposer] = useState(props.replyRequest !== 0);
  const [seenReplyRequest, setSeenReplyRequest] = useState(props.replyRequest);
  if (props.replyRequest !== seenReplyRequest) {
    setSeenReplyRequest(props.replyRequest);
    if (props.replyRequest) setComposer(true);
  }
  const canned = props.canned;
  const [text, setText] = useState('');
  const [key, setKey] = useState(newKey());
  const [sending, setSending] = useState(false);
  const [note, setNote] = useState('');
  const [tag, setTag] = useState('');
  const sendRef = useRef<HTMLButtonElement>(null);
  const pickRef = useRef<HTMLDivElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);

  const load = () => get<Context>(`/api/mentions/${m.id}/context`).then(setCtx, () => undefined);
  useEffect(() => {
    void load();
    setConflict(null);
    setText('');
    setKey(newKey());
  }, [m.id]);
  useEffect(() => {
    void load();
  }, [m.version]);

  // Presence: who else is looking at or answering this mention.
  useEffect(() => {
    const room = `mention:${m.id}` as const;
    const s = live.socket;
    const onPresence = (p: { room: string; viewers: PresenceViewer[] }) => p.room === room && setViewers(p.viewers.filter((v) => v.userId !== user.id));
    s.on('presence.update', onPresence);
    const announce = () => s.emit('presence.set', { room, typing: false });
    announce();
    s.on('connect', announce);
    const onReply = (msg: { reply: Reply }) => msg.reply.mentionId === m.id && void load();
    s.on('reply.updated', onReply);
    return () => {
      s.off('presence.update', onPresence);
      s.off('connect', announce);
      s.off('reply.updated', onReply);
      s.emit('room.leave', { room });
      setViewers([]);
    };
  }, [m.id, live, user.id]);
  useEffect(() => {
    live.socket.emit('presence.set', { room: `mention:${m.id}`, typing: composer && text.length > 0 });
  }, [composer, text.length > 0, m.id, live]);

  useEffect(() => {
    if (!composer) return;
    if (canned.length > 0) pickRef.current?.focus();
    else textRef.current?.focus();
  }, [composer, canned.length > 0]);
  const openReply = () => setComposer(true);
  const replyAbility = useReplyAbility(m.platform, composer);
  useEffect(() => {
    if (props.escalateRequest) void escalate();
  }, [props.escalateRequest]);
  useEffect(() => {
    if (props.dismissRequest) void act('dismiss', { reason: 'not actionable' });
  }, [props.dismissRequest]);

  const act = async (path: string, body: Record<string, unknown> = {}) => {
    try {
      const res = await post<{ mention: Mention }>(`/api/mentions/${m.id}/${path}`, { version: m.version, ...body }, { quiet: true });
      setConflict(null);
      onChange(res.mention);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        const d = e.details as { heldBy?: { name: string } | null; mention?: Mention } | undefined;
        setConflict(d?.heldBy ? `${d.heldBy.name} holds this mention.` : e.message);
        if (d?.mention) onChange(d.mention);
      } else if (e instanceof ApiError) setConflict(e.message);
    }
  };

  const pick = (c: CannedResponse) => {
    const filled = fillTemplate(c.body, { author: `@${m.author.handle}`, author_name: m.author.name ?? m.author.handle, brand: m.brand, agent: user.name });
    setText(filled);
    setTimeout(() => sendRef.current?.focus(), 0);
  };

  const send = async () => {
    if (!text.trim() || sending || replyAbility?.canReply === false) return;
    setSending(true);
    try {
      await post(`/api/mentions/${m.id}/replies`, { text, idempotencyKey: key });
      setText('');
      setKey(newKey());
      setComposer(false);
      await load();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict(e.message);
    } finally {
      setSending(false);
    }
  };

  // The dialog asks title, team, priority, category and a first note, all prefilled: Enter accepts.
  const [escalating, setEscalating] = useState(false);
  const escalate = () => {
    if (!m.caseId) setEscalating(true);
  };

  // While the composer is open, digits pick a saved reply and Enter sends, wherever the
  // focus is (but in a text field): the keys work even before focus has moved.
  const keys = useRef({ composer, canned, text, pick, send });
  keys.current = { composer, canned, text, pick, send };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement).tagName;
      const k = keys.current;
      if (!k.composer || tag === 'INPUT' || tag === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey) return;
      const n = Number(e.key);
      if (n >= 1 && n <= Math.min(9, k.canned.length)) {
        e.preventDefault();
        k.pick(k.canned[n - 1]!);
      } else if (e.key === 'Enter' && tag !== 'BUTTON' && k.text.trim()) {
        e.preventDefault();
        void k.send();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const limit = replyLimit(m.platform);
  const length = [...text].length;
  const heldByOther = m.triage.assignee && m.triage.assignee !== user.id;
  const holderName = m.triage.assignee ? (users.get(m.triage.assignee)?.name ?? ctx?.holder?.name ?? 'someone') : null;
  const link = safeHttpUrl(m.url);
  const t = m.triage;

  return (
    <aside className="detail" data-testid="mention-detail" aria-label="Mention">
      {escalating && <EscalationDialog mention={m} onClose={() => setEscalating(false)} onDone={(c) => ((location.hash = `#/cases/${c.id}`), setEscalating(false))} />}
      <header className="detail-head">
        <div>
          <b>@{m.author.handle}</b> {m.author.verified && <span title="verified">✔</span>} <span className="muted">{compact(m.author.followers)} followers · {m.platform} · {timeAgo(m.createdAt)}</span> {m.demo && <DemoBadge />}
        </div>
        <button onClick={props.onClose} aria-label="Close">
          ×
        </button>
      </header>
      {viewers.length > 0 && (
        <div className="presence" data-testid="presence">
          Also here: {viewers.map((v) => `${v.name}${v.typing ? ' (typing…)' : ''}`).join(', ')}
        </div>
      )}
      <p className="mention-text">{m.text}</p>
      {link && (
        <a href={link} target="_blank" rel="noreferrer noopener" className="muted">
          Open on {m.platform}
        </a>
      )}

      <section className="triage-bar">
        <span data-testid="holder">{holderName ? `Held by ${holderName}` : 'Unclaimed'}</span> · status <b data-testid="triage-status">{t.status}</b>
        {t.tags.length > 0 && <span> · {t.tags.map((x) => `#${x}`).join(' ')}</span>}
        {m.caseId && (
          <span>
            {' '}
            · <a href={`#/cases/${m.caseId}`}>case {ctx?.case?.number ?? ''}</a>
          </span>
        )}
        {t.firstResponseAt && <span data-testid="first-response"> · first response in {minutesBetween(m.createdAt, t.firstResponseAt)} min</span>}
        <div>
          <CustomerLink m={m} />
        </div>
      </section>
      {conflict && (
        <div className="conflict" role="status" data-testid="conflict">
          {conflict}
        </div>
      )}
      <div className="actions">
        {t.assignee === user.id ? <button onClick={() => act('release')}>Release</button> : <button onClick={() => act('claim')} disabled={!!heldByOther}>Claim</button>}
        <button onClick={openReply} title="r">Reply</button>
        <button onClick={escalate} title="e" disabled={!!m.caseId}>
          Escalate
        </button>
        <button onClick={() => act('watch')}>Watch</button>
        <select aria-label="Snooze" value="" onChange={(e) => e.target.value && act('snooze', { until: snoozeUntil(e.target.value) })}>
          <option value="">Snooze…</option>
          <option value="1h">1 hour</option>
          <option value="4h">4 hours</option>
          <option value="tomorrow">Tomorrow 9:00</option>
        </select>
        <select aria-label="Dismiss" value="" onChange={(e) => e.target.value && act('dismiss', { reason: e.target.value })} title="d">
          <option value="">Dismiss as…</option>
          {DISMISS_REASONS.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        {roleAtLeast(user.role, 'manager') && (
          <select aria-label="Assign to" value={t.assignee ?? ''} onChange={(e) => act('assign', { assignee: e.target.value || null })}>
            <option value="">Unassigned</option>
            {[...users.values()].map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (tag.trim()) void act('tags', { add: [tag.trim().toLowerCase()] }).then(() => setTag(''));
          }}
        >
          <input value={tag} onChange={(e) => setTag(e.target.value)} placeholder="+ tag" size={8} aria-label="Add tag" />
        </form>
      </div>

      {composer && (
        <section className="composer" data-testid="composer">
          <ReplyAbilityNotice ability={replyAbility} />
          {canned.length > 0 && (
            <div
              className="canned"
              tabIndex={0}
              ref={pickRef}
              data-testid="canned-picker"
              onKeyDown={(e) => {
                if (e.key === 'Escape') setComposer(false);
              }}
            >
              <div className="muted">Saved replies — press a number</div>
              {canned.slice(0, 9).map((c, i) => (
                <button key={c.id} onClick={() => pick(c)}>
                  <kbd>{i + 1}</kbd> {c.title}
                </button>
              ))}
            </div>
          )}
          <textarea
            ref={textRef}
            value={text}
            onChange={(e) => setText(e.target.value)}
            disabled={replyAbility?.canReply === false}
            placeholder={`Reply to @${m.author.handle}`}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
              if (e.key === 'Escape') setComposer(false);
            }}
          />
          <div className="composer-foot">
            <span className={length > limit ? 'over' : 'muted'} data-testid="char-count">
              {length}/{limit}
            </span>
            <button ref={sendRef} className="primary" onClick={send} disabled={!text.trim() || length > limit || sending || replyAbility?.canReply === false} data-testid="send-reply">
              {sending ? 'Sending…' : 'Send reply'}
            </button>
          </div>
        </section>
      )}

      {ctx && ctx.replies.length > 0 && (
        <section>
          <h4>Replies</h4>
          {ctx.replies.map((r) => (
            <div key={r.id} className={`reply state-${r.state}`} data-testid="reply">
              <span className="badge">{r.state.replace('_', ' ')}</span> {r.text}
              {r.state === 'failed' && (
                <>
                  <div className="muted">{r.error}</div>
                  <button onClick={() => post(`/api/replies/${r.id}/retry`).then(load, () => undefined)}>Retry</button>
                </>
              )}
            </div>
          ))}
        </section>
      )}

      <section className="scores">
        <div>
          <h4>Priority {m.scores.priority.score}</h4>
          <ActionBadge action={m.scores.priority.action} />
          <ul className="reasons">
            {m.scores.priority.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
        <div>
          <h4>Sentiment</h4>
          <SentimentChip m={m} /> {m.scores.sentiment.score} <span className="muted">({Math.round(m.scores.sentiment.confidence * 100)}% · {m.scores.sentiment.method})</span>
          <select aria-label="Correct sentiment" value="" onChange={(e) => e.target.value && act('correct', { sentiment: e.target.value })}>
            <option value="">Correct…</option>
            {SENTIMENT_LABELS.filter((l) => l !== m.scores.sentiment.label).map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </div>
        <div>
          <h4>Intent</h4>
          {m.scores.intent.label} {m.scores.intent.cues.length > 0 && <span className="muted">({m.scores.intent.cues.join(', ')})</span>}
          <select aria-label="Correct intent" value="" onChange={(e) => e.target.value && act('correct', { intent: e.target.value })}>
            <option value="">Correct…</option>
            {INTENTS.filter((l) => l !== m.scores.intent.label).map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </div>
        <div>
          <h4>Influence {m.scores.influence.score}</h4>
          <span className="muted">
            followers {m.scores.influence.parts.followers} + verified {m.scores.influence.parts.verified} + engagement {m.scores.influence.parts.engagement}
          </span>
        </div>
        <div>
          <h4>Language</h4>
          {m.lang}
        </div>
      </section>

      <section>
        <h4>Notes</h4>
        {ctx?.timeline
          .filter((e) => e.kind === 'note')
          .map((e) => (
            <div key={e.id} className="note">
              <b>{String(e.data.author ?? '')}</b> {String(e.data.text)} <span className="muted">{timeAgo(e.at)}</span>
            </div>
          ))}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim()) post(`/api/mentions/${m.id}/notes`, { text: note }).then(() => (setNote(''), load()), () => undefined);
          }}
        >
          <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="Internal note" />
        </form>
      </section>

      {ctx && ctx.history.length > 0 && (
        <section>
          <h4>Earlier from @{m.author.handle}</h4>
          {ctx.history.map((h) => (
            <div key={h.id} className="history">
              <SentimentChip m={h} /> {h.text} <span className="muted">{timeAgo(h.createdAt)}</span>
            </div>
          ))}
        </section>
      )}
    </aside>
  );
}
