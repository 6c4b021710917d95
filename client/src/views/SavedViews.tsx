import { useEffect, useState } from 'react';
import type { SavedViewList, SavedViewWithCount } from '../../../shared/saved-view.js';
import { api, get, post } from '../api/client';

/** The queue's filters as strings, as the queue shows them and puts them in the URL. */
type UiFilters = Record<string, string>;

/** A saved view's filters back into the queue's form: lists comma-joined, the user's own id as "me". */
const toUi = (v: SavedViewWithCount, keys: string[], me: string): UiFilters =>
  Object.fromEntries(
    keys.map((k) => {
      const val = (v.filters as Record<string, unknown>)[k];
      const s = val === undefined ? '' : Array.isArray(val) ? val.join(',') : String(val);
      return [k, k === 'assignee' && s === me ? 'me' : s];
    }),
  );

/**
 * Each user's named views of the queue, with how many mentions match each now.
 * `params` is what the queue sends to GET /api/mentions; applying a view calls
 * `onApply` with every filter (unset ones empty), which the queue puts in the URL.
 */
export function SavedViews({ params, keys, me, onApply }: { params: Record<string, string | number | undefined>; keys: string[]; me: string; onApply: (f: UiFilters) => void }) {
  const [list, setList] = useState<SavedViewList | null>(null);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = () => get<SavedViewList>('/api/views', { quiet: true }).then(setList, () => undefined);
  useEffect(() => void load(), []);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const filters = Object.fromEntries(Object.entries(params).filter(([k, v]) => v !== undefined && v !== '' && k !== 'limit' && k !== 'cursor'));
    try {
      await post('/api/views', { name, filters }, { quiet: true });
      setNaming(false);
      setName('');
      setError(null);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const remove = async (id: string) => {
    await api('DELETE', `/api/views/${id}`);
    await load();
  };

  return (
    <div className="saved-views" data-testid="saved-views">
      <ul aria-label="Saved views">
        {list?.items.map((v) => (
          <li key={v.id} data-testid="saved-view">
            <button type="button" onClick={() => onApply(toUi(v, keys, me))} aria-label={`Apply view ${v.name}`}>
              {v.name} <span className="count" data-testid="saved-view-count">{v.count.more ? `${v.count.n}+` : v.count.n}</span>
            </button>
            <button type="button" onClick={() => void remove(v.id)} aria-label={`Delete view ${v.name}`}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {naming ? (
        <form onSubmit={(e) => void save(e)}>
          <label>
            View name <input autoFocus value={name} maxLength={60} required onChange={(e) => setName(e.target.value)} data-testid="saved-view-name" />
          </label>
          <button type="submit">Save</button>
          <button type="button" onClick={() => { setNaming(false); setError(null); }}>
            Cancel
          </button>
          {error && <span role="alert">{error}</span>}
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)} disabled={!!list && list.items.length >= list.max} data-testid="save-view">
          Save view
        </button>
      )}
    </div>
  );
}
