import { DEFAULT_USER_SETTINGS, type Role, type User, type UserSettings } from '../../../shared/auth.js';
import { randomBytes } from 'node:crypto';
import { ConflictError, HarkError, NotFoundError } from '../../../shared/errors.js';
import type { NewSession, NewUser, RollupStore, Session, SessionStore, StoredUser, UserStore } from '../../../shared/store.js';
import { type Col, type Doc, isId, type MongoDb, minuteOf, ms } from './db.js';
import { guard, isDuplicateKey } from './errors.js';

export interface UserDoc {
  _id: number;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  settings: Partial<UserSettings>;
  disabled?: boolean;
}
const toUser = (r: UserDoc): User => ({
  ...DEFAULT_USER_SETTINGS,
  ...r.settings,
  id: String(r._id),
  email: r.email,
  name: r.name,
  role: r.role,
  createdAt: new Date(r.createdAt).toISOString(),
  disabled: r.disabled === true,
});

/** The lock that serialises disabling admins (see setDisabled); long enough for a count and a write. */
const ADMIN_GUARD = { name: 'users:disable-admin', ttlMs: 10_000, waitMs: 5_000 };

export function userStore(db: MongoDb): UserStore {
  const col = db.col('users');
  const locks = db.col('leases');
  const byId = async (id: string) => (isId(id) ? ((await guard('user', () => col.findOne({ _id: Number(id) } as Doc))) as UserDoc | null) : null);
  return {
    async create(u: NewUser) {
      return guard(`user ${u.email}`, async () => {
        const now = Date.now();
        const settings = { ...DEFAULT_USER_SETTINGS, ...u.settings };
        const _id = await db.nextIds('users', 1);
        const doc: UserDoc = { _id, email: u.email.toLowerCase(), name: u.name, role: u.role, passwordHash: u.passwordHash, createdAt: now, settings, disabled: false };
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
    /**
     * SQLite counts the other active admins in the same UPDATE. MongoDB cannot
     * make one document's write depend on others' without a transaction, so
     * disabling an admin is serialised through a lock document (compare-and-set
     * with expiry, like a lease): under the lock the count and the write cannot
     * interleave with another admin's disabling, so two admins disabling each
     * other at once leave one. A holder that dies frees it at the expiry; one
     * that took too long for its lock gives up before writing. Enabling, and
     * disabling anyone but an active admin, cannot leave no admin and takes no lock.
     */
    async setDisabled({ id, disabled }) {
      return guard('user', async () => {
        const r = await byId(id);
        if (!r) throw new NotFoundError(`No user with id ${id}`);
        const set = async () => {
          await col.updateOne({ _id: r._id } as Doc, { $set: { disabled } });
          return toUser({ ...((await byId(id)) ?? r), disabled });
        };
        if (!disabled || r.role !== 'admin' || r.disabled === true) return set();
        const holder = randomBytes(8).toString('hex');
        const start = Date.now();
        for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
          if (await takeLock(locks, holder, Date.now())) break;
          if (Date.now() - start > ADMIN_GUARD.waitMs) throw new HarkError('unavailable', 503, 'Another change to the admins is in progress; try again.', undefined, true);
          await new Promise((res) => setTimeout(res, wait));
        }
        const taken = Date.now();
        try {
          const others = await col.countDocuments({ role: 'admin', disabled: { $ne: true }, _id: { $ne: r._id } } as Doc);
          if (others === 0) throw new ConflictError('The last active admin cannot be disabled.', { field: 'disabled' });
          // Past half the lock's life another process may soon take it over: do not write on a stale count.
          if (Date.now() - taken > ADMIN_GUARD.ttlMs / 2) throw new HarkError('unavailable', 503, 'The database is slow; try again.', undefined, true);
          return await set();
        } finally {
          await locks.deleteOne({ _id: ADMIN_GUARD.name, holder } as Doc).catch(() => undefined);
        }
      });
    },
    async setPasswordHash({ id, passwordHash }) {
      if (!isId(id)) throw new NotFoundError(`No user with id ${id}`);
      const res = await guard('user', () => col.updateOne({ _id: Number(id) } as Doc, { $set: { passwordHash } }));
      if (res.matchedCount === 0) throw new NotFoundError(`No user with id ${id}`);
    },
  };
}

/** Takes the admin lock if it is free or expired: the filter is the compare-and-set, the unique _id settles two inserts. */
async function takeLock(locks: Col, holder: string, now: number): Promise<boolean> {
  try {
    const res = await locks.updateOne(
      { _id: ADMIN_GUARD.name, expiresAt: { $lte: now } } as Doc,
      { $set: { holder, acquiredAt: now, expiresAt: now + ADMIN_GUARD.ttlMs }, $inc: { version: 1 } },
      { upsert: true },
    );
    return res.matchedCount + res.upsertedCount > 0;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}

interface SessionDoc {
  _id: string;
  userId: string;
  expiresAt: number;
  id?: string;
  createdAt?: number;
  lastSeen?: number;
  ip?: string | null;
  userAgent?: string | null;
}
/** Sessions stored before the public id (or migrated without one) read as SQLite's migration names them. */
export const legacySessionId = (tokenHash: string) => `legacy-${tokenHash.slice(0, 12)}`;
const toSession = (r: SessionDoc): Session => ({
  tokenHash: r._id,
  userId: r.userId,
  expiresAt: new Date(r.expiresAt).toISOString(),
  id: r.id ?? legacySessionId(r._id),
  createdAt: new Date(r.createdAt ?? r.expiresAt).toISOString(),
  lastSeenAt: new Date(r.lastSeen ?? r.createdAt ?? r.expiresAt).toISOString(),
  ip: r.ip ?? null,
  userAgent: r.userAgent ?? null,
});

export function sessionStore(db: MongoDb): SessionStore {
  const col = db.col('sessions');
  const rows = async (filter: Doc, sort: Record<string, 1 | -1> = { _id: 1 }) => (await guard('session', () => col.find(filter).sort(sort).toArray())) as unknown as SessionDoc[];
  return {
    async create(s: NewSession) {
      const created = s.createdAt ? ms(s.createdAt) : Date.now();
      const doc: SessionDoc = { _id: s.tokenHash, userId: s.userId, expiresAt: ms(s.expiresAt), id: s.id ?? randomBytes(16).toString('base64url'), createdAt: created, lastSeen: created, ip: s.ip ?? null, userAgent: s.userAgent ?? null };
      await guard('session', () => col.insertOne(doc as unknown as Doc));
    },
    async find({ tokenHash, now }) {
      const r = await guard('session', () => col.findOne({ _id: tokenHash, expiresAt: { $gt: ms(now) } } as Doc));
      return r ? toSession(r as unknown as SessionDoc) : null;
    },
    async delete({ tokenHash }) {
      await guard('session', () => col.deleteOne({ _id: tokenHash } as Doc));
    },
    async deleteExpired({ now }) {
      return (await guard('session', () => col.deleteMany({ expiresAt: { $lte: ms(now) } }))).deletedCount;
    },
    async touch({ tokenHash, at }) {
      // $max: a late or out-of-order touch never moves lastSeenAt backwards.
      await guard('session', () => col.updateOne({ _id: tokenHash } as Doc, { $max: { lastSeen: ms(at) } }));
    },
    async listByUser({ userId, now }) {
      return (await rows({ userId, expiresAt: { $gt: ms(now) } }, { createdAt: -1, id: -1 })).map(toSession);
    },
    async deleteById({ userId, id }) {
      const r = await guard('session', () => col.findOneAndDelete({ userId, id }));
      return r ? toSession(r as unknown as SessionDoc) : null;
    },
    async deleteByUser({ userId, exceptId }) {
      // Removes exactly the sessions it read, so the ids it returns are the ones it removed.
      const found = (await rows({ userId })).filter((r) => toSession(r).id !== exceptId);
      if (found.length === 0) return [];
      await guard('session', () => col.deleteMany({ _id: { $in: found.map((r) => r._id) } } as Doc));
      return found.map((r) => toSession(r).id);
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
