import { useEffect, useRef, useState } from 'react';
import { CASE_PRIORITIES, type Case, type CasePriority } from '../../../../shared/case.js';
import type { Mention } from '../../../../shared/mention.js';
import { ApiError, get, post } from '../../api/client';

interface Defaults {
  title: string;
  team: string | null;
  priority: CasePriority;
  category: string | null;
  teams: Array<{ id: string; name: string }>;
  categories: string[];
  openCases: Array<{ id: string; number: string; title: string; status: string }>;
  alreadyIn: string | null;
}

/**
 * Escalating a mention, keyboard-first: `e` opens this with every field filled
 * in (the title from the mention, the team routing chose, the priority its
 * score gives) and Enter accepts. An open case of the same customer is
 * offered first, and chosen, so a second complaint joins the first case.
 */
export function EscalationDialog({ mention, onClose, onDone }: { mention: Mention; onClose: () => void; onDone: (c: Case) => void }) {
  const [d, setD] = useState<Defaults | null>(null);
  const [target, setTarget] = useState<string>('new');
  const [title, setTitle] = useState('');
  const [team, setTeam] = useState('');
  const [priority, setPriority] = useState<CasePriority>('normal');
  const [category, setCategory] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement | null>(null);

  useEffect(() => {
    get<Defaults>(`/api/cases/escalation-defaults?mentionId=${encodeURIComponent(mention.id)}`, { quiet: true }).then(
      (r) => {
        setD(r);
        setTitle(r.title);
        setTeam(r.team ?? '');
        setPriority(r.priority);
        setCategory(r.category ?? '');
        setTarget(r.openCases[0]?.id ?? 'new');
      },
      (e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the defaults'),
    );
  }, [mention.id]);
  useEffect(() => {
    if (d) first.current?.focus();
  }, [d]);

  const submit = async () => {
    if (busy || !d) return;
    setBusy(true);
    try {
      const body =
        target === 'new'
          ? { mentionIds: [mention.id], title, team: team || null, priority, category: category || null, ...(note.trim() ? { note } : {}) }
          : { mentionIds: [mention.id], attachTo: target, ...(note.trim() ? { note } : {}) };
      const res = await post<{ case: Case }>('/api/cases', body, { quiet: true });
      onDone(res.case);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Escalation failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}>
      <form
        role="dialog"
        aria-modal="true"
        aria-label="Escalate into a case"
        className="dialog"
        data-testid="escalation-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        // Keys typed here are the form's, not the queue's shortcuts.
        onKeyDownCapture={(e) => e.stopPropagation()}
      >
        <h3>Escalate @{mention.author.handle}</h3>
        {!d && !error && <div className="muted">Loading…</div>}
        {d && (
          <>
            {d.openCases.length > 0 && (
              <fieldset>
                <legend>This customer has open cases</legend>
                {d.openCases.map((c) => (
                  <label key={c.id} className="choice">
                    <input type="radio" name="target" value={c.id} checked={target === c.id} onChange={() => setTarget(c.id)} /> Add to {c.number} · {c.title} ({c.status})
                  </label>
                ))}
                <label className="choice">
                  <input type="radio" name="target" value="new" checked={target === 'new'} onChange={() => setTarget('new')} /> Open a new case
                </label>
              </fieldset>
            )}
            {target === 'new' && (
              <>
                <label>
                  Title
                  <input ref={first} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />
                </label>
                <label>
                  Team
                  <select value={team} onChange={(e) => setTeam(e.target.value)}>
                    <option value="">No team</option>
                    {d.teams.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name}
                        {t.id === d.team ? ' (routing)' : ''}
                      </option>
                    ))}
                    {d.team && !d.teams.some((t) => t.id === d.team) && <option value={d.team}>{d.team} (routing)</option>}
                  </select>
                </label>
                <label>
                  Priority
                  <select value={priority} onChange={(e) => setPriority(e.target.value as CasePriority)}>
                    {CASE_PRIORITIES.map((p) => (
                      <option key={p}>{p}</option>
                    ))}
                  </select>
                </label>
                <label>
                  Category
                  <select value={category} onChange={(e) => setCategory(e.target.value)}>
                    <option value="">None yet</option>
                    {d.categories.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </select>
                </label>
              </>
            )}
            <label>
              First note
              <input
                ref={target === 'new' ? undefined : first}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder="What the team should know (optional)"
              />
            </label>
          </>
        )}
        {error && (
          <div className="conflict" role="alert">
            {error}
          </div>
        )}
        <div className="actions">
          <button type="submit" disabled={!d || busy} data-testid="escalate-submit">
            {target === 'new' ? 'Open case' : 'Add to case'} (Enter)
          </button>
          <button type="button" onClick={onClose}>
            Cancel (Esc)
          </button>
        </div>
      </form>
    </div>
  );
}
