import type { Notice } from '../../../shared/notice.js';
import type { NoticeStore } from '../../../shared/store.js';
import type { Doc, MongoDb } from './db.js';
import { guard } from './errors.js';

const toNotice = (d: Doc): Notice => ({ ...(d.doc as Omit<Notice, 'id' | 'readAt'>), id: String(d._id), readAt: (d.readAt as string | null) ?? null });

export function noticeStore(db: MongoDb): NoticeStore {
  const col = db.col('notices');
  return {
    async createOnce({ key, notice }) {
      // The unique index on dedupeKey decides, not a read before the write.
      try {
        return await guard('notice', async () => {
          const _id = await db.nextIds('notices', 1);
          await col.insertOne({ _id, userId: notice.userId, dedupeKey: key, readAt: null, doc: notice } as Doc);
          return { ...notice, id: String(_id), readAt: null };
        });
      } catch (e) {
        if ((e as { code?: string }).code === 'conflict') return null;
        throw e;
      }
    },
    async list({ userId, unreadOnly, limit, before }) {
      const f: Doc = { userId };
      if (unreadOnly) f.readAt = null;
      if (before) f._id = { $lt: Number(before) };
      return guard('notice', async () => (await col.find(f).sort({ _id: -1 }).limit(limit).toArray()).map(toNotice));
    },
    async unreadCount({ userId }) {
      return guard('notice', () => col.countDocuments({ userId, readAt: null }));
    },
    async markRead({ userId, ids, at }) {
      const f: Doc = { userId, readAt: null };
      if (ids) {
        const nums = ids.filter((i) => /^\d{1,15}$/.test(i)).map(Number);
        if (!nums.length) return 0;
        f._id = { $in: nums };
      }
      return guard('notice', async () => (await col.updateMany(f, { $set: { readAt: at } })).modifiedCount);
    },
  };
}
