import { DEFAULT_USER_SETTINGS, type Role, type User, type UserSettings } from '../../../shared/auth.js';
import { NotFoundError } from '../../../shared/errors.js';
import type { NewUser, RollupStore, Session, SessionStore, StoredUser, UserStore } from '../../../shared/store.js';
import { type Doc, isId, type MongoDb, minuteOf, ms } from './db.js';
import { guard } from './errors.js';

export interface UserDoc {
  _id: number;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  settings: Partial<UserSettings>;
}
const toUser = (r: UserDoc): User => ({
  ...DEFAULT_USER_SETTINGS,
  ...r.settings,
  id: String(r._id),
  email: r.email,
  name: r.name,
  role: r.role,
  createdAt: new Date(r.createdAt).toISOString(),
});

export function userStore(db: MongoDb): UserStore {
  const col = db.col('users');
  const byId = async (id: string) => (isId(id) ? ((await guard('user', () => col.findOne({ _id: Number(id) } as Doc))) as UserDoc | null) : null);
  return {
    async create(u: NewUser) {
      return guard(`user ${u.email}`, async () => {
        const now = Date.now();
        const settings = { ...DEFAULT_USER_SETTINGS, ...u.settings };
        const _id = await db.nextIds('users', 1);
        const doc: UserDoc = { _id, email: u.email.toLowerCase(), name: u.name, role: u.role, passwordHash: u.passwordHash, createdAt: now, settings };
        await col.insertOne(doc as unknown as Doc);
        return toUser(doc);
      });
    },
    async findByEmail({ email }): Promise<StoredUser | null> {
      const r = (await guard('user', () => col.findOne({ email: email.toLowerCase() }))) as UserDoc | null;
      return r ? { ...toUser(r), passwordHash: r.passwordHash } : null;
    },
    async findById({ id }) {
      const r = await byId(id);
      return r ? toUser(r) : null;
    },
    count: () => guard('user', () => col.countDocuments({})),
    async update({ id, patch }) {
      const r = await byId(id);
      if (!r) throw new NotFoundError(`No user with id ${id}`);
      const { role, name, ...settings } = patch;
      const merged = { ...r.settings, ...settings };
      const next: UserDoc = { ...r, role: role ?? r.role, name: name ?? r.name, settings: merged };
      await guard('user', () => col.updateOne({ _id: r._id } as Doc, { $set: { role: next.role, name: next.name, settings: merged } }));
      return toUser(next);
    },
    async list() {
      return ((await guard('user', () => col.find({}).sort({ _id: 1 }).toArray())) as unknown as UserDoc[]).map(toUser);
    },
  };
}

export function sessionStore(db: MongoDb): SessionStore {
  const col = db.col('sessions');
  return {
    async create(s: Session) {
      await guard('session', () => col.insertOne({ _id: s.tokenHash, userId: s.userId, expiresAt: ms(s.expiresAt) } as Doc));
    },
    async find({ tokenHash, now }) {
      const r = await guard('session', () => col.findOne({ _id: tokenHash, expiresAt: { $gt: ms(now) } } as Doc));
      return r ? { tokenHash: r._id as unknown as string, userId: r.userId as string, expiresAt: new Date(r.expiresAt as number).toISOString() } : null;
    },
    async delete({ tokenHash }) {
      await guard('session', () => col.deleteOne({ _id: tokenHash } as Doc));
    },
    async deleteExpired({ now }) {
      return (await guard('session', () => col.deleteMany({ expiresAt: { $lte: ms(now) } }))).deletedCount;
    },
  };
}

/** Per-minute documents kept by $inc upserts in MentionStore.insertMany. */
export function rollupStore(db: MongoDb): RollupStore {
  const rollups = db.col('rollups');
  const brands = db.col('brand_minutes');
  const range = (from: string, to: string) => ({ $gte: minuteOf(from), $lt: Date.parse(to) });
  return {
    async brandSeries({ from, to }) {
      const rows = await guard('rollup', () => brands.find({ minute: range(from, to) }).sort({ minute: 1, brand: 1 }).toArray());
      return rows.filter((r) => (r.total as number) > 0).map((r) => ({ brand: r.brand as string, minute: new Date(r.minute as number).toISOString(), negative: r.negative as number, total: r.total as number }));
    },
    async series({ from, to }) {
      const rows = await guard('rollup', () => rollups.find({ _id: range(from, to) } as Doc).sort({ _id: 1 }).toArray());
      return rows
        .filter((r) => (r.negative as number) + (r.neutral as number) + (r.positive as number) > 0)
        .map((r) => ({ minute: new Date(r._id as unknown as number).toISOString(), negative: r.negative as number, neutral: r.neutral as number, positive: r.positive as number, scoreSum: r.scoreSum as number }));
    },
  };
}
