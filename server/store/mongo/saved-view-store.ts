import type { SavedView } from '../../../shared/saved-view.js';
import type { SavedViewStore } from '../../../shared/store.js';
import { type Doc, isId, type MongoDb } from './db.js';
import { guard } from './errors.js';

const toView = (d: Doc): SavedView => ({ id: String(d._id), userId: d.userId as string, name: d.name as string, filters: d.filters as SavedView['filters'], createdAt: d.createdAt as string });

export function savedViewStore(db: MongoDb): SavedViewStore {
  const col = db.col('saved_views');
  return {
    async list({ userId }) {
      return guard('saved view', async () => (await col.find({ userId }).sort({ _id: 1 }).toArray()).map(toView));
    },
    async count({ userId }) {
      return guard('saved view', () => col.countDocuments({ userId }));
    },
    async create({ view }) {
      // The unique index on (userId, name) refuses a second view of that name, not a read before the write.
      return guard(`a view named "${view.name}"`, async () => {
        const _id = await db.nextIds('saved_views', 1);
        await col.insertOne({ _id, userId: view.userId, name: view.name, createdAt: view.createdAt, filters: view.filters } as Doc);
        return { ...view, id: String(_id) };
      });
    },
    async remove({ userId, id }) {
      if (!isId(id)) return false;
      return guard('saved view', async () => (await col.deleteOne({ _id: Number(id), userId } as Doc)).deletedCount > 0);
    },
  };
}
