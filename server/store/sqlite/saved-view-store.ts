import type { SavedView } from '../../../shared/saved-view.js';
import type { SavedViewStore } from '../../../shared/store.js';
import { translateSqliteError } from './errors.js';
import type { Prepare } from './prepare.js';

type Row = { id: number; user_id: string; name: string; created_at: string; filters: string };
const view = (r: Row): SavedView => ({ id: String(r.id), userId: r.user_id, name: r.name, filters: JSON.parse(r.filters) as SavedView['filters'], createdAt: r.created_at });

export function savedViewStore(prepare: Prepare): SavedViewStore {
  return {
    async list({ userId }) {
      return (prepare('SELECT id, user_id, name, created_at, filters FROM saved_views WHERE user_id = ? ORDER BY id').all(userId) as Row[]).map(view);
    },
    async count({ userId }) {
      return (prepare('SELECT count(*) AS n FROM saved_views WHERE user_id = ?').get(userId) as { n: number }).n;
    },
    async create({ view: v }) {
      try {
        const r = prepare('INSERT INTO saved_views (user_id, name, created_at, filters) VALUES (?, ?, ?, ?) RETURNING id, user_id, name, created_at, filters').get(v.userId, v.name, v.createdAt, JSON.stringify(v.filters)) as Row;
        return view(r);
      } catch (e) {
        throw translateSqliteError(e, `a view named "${v.name}"`);
      }
    },
    async remove({ userId, id }) {
      if (!/^\d{1,18}$/.test(id)) return false;
      return prepare('DELETE FROM saved_views WHERE id = ? AND user_id = ?').run(Number(id), userId).changes > 0;
    },
  };
}
