import type { Notice } from '../../../shared/notice.js';
import type { NoticeStore } from '../../../shared/store.js';
import type { Prepare } from './prepare.js';

type Row = { id: number; read_at: string | null; doc: string };
const notice = (r: Row): Notice => ({ ...(JSON.parse(r.doc) as Omit<Notice, 'id' | 'readAt'>), id: String(r.id), readAt: r.read_at });

export function noticeStore(prepare: Prepare): NoticeStore {
  return {
    async createOnce({ key, notice: n }) {
      // The unique key decides, in one statement: of two processes seeing the same event, one inserts.
      const r = prepare('INSERT INTO notices (user_id, dedupe_key, read_at, doc) VALUES (?, ?, NULL, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, read_at, doc').get(n.userId, key, JSON.stringify(n)) as Row | undefined;
      return r ? notice(r) : null;
    },
    async list({ userId, unreadOnly, limit, before }) {
      const rows = prepare(`SELECT id, read_at, doc FROM notices WHERE user_id = ? ${unreadOnly ? 'AND read_at IS NULL' : ''} AND id < ? ORDER BY id DESC LIMIT ?`).all(userId, before ? Number(before) : Number.MAX_SAFE_INTEGER, limit) as Row[];
      return rows.map(notice);
    },
    async unreadCount({ userId }) {
      return (prepare('SELECT count(*) AS n FROM notices WHERE user_id = ? AND read_at IS NULL').get(userId) as { n: number }).n;
    },
    async markRead({ userId, ids, at }) {
      if (ids) {
        const nums = ids.filter((i) => /^\d{1,18}$/.test(i)).map(Number);
        if (!nums.length) return 0;
        return prepare(`UPDATE notices SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN (${nums.map(() => '?').join(', ')})`).run(at, userId, ...nums).changes;
      }
      return prepare('UPDATE notices SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(at, userId).changes;
    },
  };
}
