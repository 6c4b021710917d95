import { useRef, useState } from 'react';
import type { User } from '../../../../shared/auth.js';
import { ApiError, post } from '../../api/client';

/** "@" and up to two words before the caret: names have a space in them ("@Demo Ma"). */
const AT_QUERY = /(^|\s)@([\p{L}\p{N}_.-]*(?: [\p{L}\p{N}_.-]*)?)$/u;

/**
 * An internal note with @mentions of colleagues: typing "@" and letters lists
 * matching users (arrows and Enter or Tab pick one); each one picked is told,
 * with a link to the case.
 */
export function NoteComposer({ caseId, users, onSaved }: { caseId: string; users: User[]; onSaved: () => void }) {
  const [text, setText] = useState('');
  const [mentioned, setMentioned] = useState<User[]>([]);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement | null>(null);

  const matches = query === null ? [] : users.filter((u) => !u.disabled && u.name.toLowerCase().includes(query.toLowerCase())).slice(0, 6);
  const onChange = (v: string, caret: number) => {
    setText(v);
    const m = AT_QUERY.exec(v.slice(0, caret));
    setQuery(m ? m[2]! : null);
    setActive(0);
  };
  const pick = (u: User) => {
    const el = ref.current;
    const caret = el?.selectionStart ?? text.length;
    const before = text.slice(0, caret).replace(AT_QUERY, (_all, lead: string) => `${lead}@${u.name} `);
    setText(before + text.slice(caret));
    setMentioned((m) => (m.some((x) => x.id === u.id) ? m : [...m, u]));
    setQuery(null);
    setTimeout(() => el?.focus(), 0);
  };
  const save = async () => {
    if (!text.trim()) return;
    // Only the people still named in the text are told.
    const still = mentioned.filter((u) => text.includes(`@${u.name}`)).map((u) => u.id);
    try {
      await post(`/api/cases/${caseId}/notes`, { text, ...(still.length ? { mentions: still } : {}) }, { quiet: true });
      setText('');
      setMentioned([]);
      setError(null);
      onSaved();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not save the note');
    }
  };

  return (
    <form
      className="note-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label htmlFor={`note-${caseId}`}>Internal note (type @ to bring in a colleague)</label>
      <textarea
        id={`note-${caseId}`}
        ref={ref}
        data-testid="note-text"
        value={text}
        rows={3}
        aria-autocomplete="list"
        aria-controls={matches.length > 0 ? `note-users-${caseId}` : undefined}
        onChange={(e) => onChange(e.target.value, e.target.selectionStart)}
        onKeyDown={(e) => {
          if (matches.length && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
            e.preventDefault();
            setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
          } else if (matches.length && (e.key === 'Enter' || e.key === 'Tab')) {
            e.preventDefault();
            pick(matches[active]!);
          } else if (e.key === 'Escape') setQuery(null);
          else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void save();
          }
        }}
      />
      {matches.length > 0 && (
        <ul className="autocomplete" role="listbox" id={`note-users-${caseId}`} data-testid="mention-suggestions">
          {matches.map((u, i) => (
            <li key={u.id} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} onMouseDown={(e) => (e.preventDefault(), pick(u))}>
              {u.name} <span className="muted">{u.email}</span>
            </li>
          ))}
        </ul>
      )}
      {error && <div className="conflict">{error}</div>}
      <button type="submit" data-testid="note-save">
        Add note (Ctrl+Enter)
      </button>
    </form>
  );
}
