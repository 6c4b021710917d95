import { DEFAULT_USER_SETTINGS, type Role, type User, type UserSettings } from '../../../shared/auth.js';
import { ConflictError, NotFoundError } from '../../../shared/errors.js';
import type { NewUser, StoredUser, UserStore } from '../../../shared/store.js';
import { translateSqliteError } from './errors.js';
import type { Prepare } from './prepare.js';

interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  settings: string;
  disabled: number;
}
const toUser = (r: UserRow): User => ({
  ...DEFAULT_USER_SETTINGS,
  ...(JSON.parse(r.settings) as Partial<UserSettings>),
  id: String(r.id),
  email: r.email,
  name: r.name,
  role: r.role,
  createdAt: new Date(r.created_at).toISOString(),
  disabled: r.disabled === 1,
});
const rowOf = (prepare: Prepare, id: string) =>
  /^\d{1,18}$/.test(id) ? (prepare('SELECT * FROM users WHERE id = ?').get(Number(id)) as UserRow | undefined) : undefined;

export function userStore(prepare: Prepare): UserStore {
  return {
    async create(u: NewUser) {
      try {
        const now = Date.now();
        const settings = { ...DEFAULT_USER_SETTINGS, ...u.settings };
        const info = prepare('INSERT INTO users (email, name, role, password_hash, created_at, settings) VALUES (?, ?, ?, ?, ?, ?)').run(
          u.email.toLowerCase(),
          u.name,
          u.role,
          u.passwordHash,
          now,
          JSON.stringify(settings),
        );
        return { ...settings, id: String(info.lastInsertRowid), email: u.email.toLowerCase(), name: u.name, role: u.role, createdAt: new Date(now).toISOString(), disabled: false };
      } catch (e) {
        throw translateSqliteError(e, `user ${u.email}`);
      }
    },
    async findByEmail({ email }): Promise<StoredUser | null> {
      const r = prepare('SELECT * FROM users WHERE email = ?').get(email.toLowerCase()) as UserRow | undefined;
      return r ? { ...toUser(r), passwordHash: r.password_hash } : null;
    },
    async findById({ id }) {
      if (!/^\d{1,18}$/.test(id)) return null;
      const r = prepare('SELECT * FROM users WHERE id = ?').get(Number(id)) as UserRow | undefined;
      return r ? toUser(r) : null;
    },
    async count() {
      return (prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
    },
    async update({ id, patch }) {
      const r = /^\d{1,18}$/.test(id) ? (prepare('SELECT * FROM users WHERE id = ?').get(Number(id)) as UserRow | undefined) : undefined;
      if (!r) throw new NotFoundError(`No user with id ${id}`);
      const { role, name, ...settings } = patch;
      const merged = { ...(JSON.parse(r.settings) as Partial<UserSettings>), ...settings };
      prepare('UPDATE users SET role = ?, name = ?, settings = ? WHERE id = ?').run(role ?? r.role, name ?? r.name, JSON.stringify(merged), Number(id));
      return toUser({ ...r, role: role ?? r.role, name: name ?? r.name, settings: JSON.stringify(merged) });
    },
    async setDisabled({ id, disabled }) {
      const r = rowOf(prepare, id);
      if (!r) throw new NotFoundError(`No user with id ${id}`);
      // One statement: the count of other active admins is read in the same write that disables.
      const changed = prepare(
        `UPDATE users SET disabled = ? WHERE id = ? AND (? = 0 OR role != 'admin' OR disabled = 1
           OR (SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?) > 0)`,
      ).run(disabled ? 1 : 0, Number(id), disabled ? 1 : 0, Number(id)).changes;
      if (changed === 0) throw new ConflictError('The last active admin cannot be disabled.', { field: 'disabled' });
      return toUser(rowOf(prepare, id)!);
    },
    async setPasswordHash({ id, passwordHash }) {
      if (!rowOf(prepare, id)) throw new NotFoundError(`No user with id ${id}`);
      prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, Number(id));
    },
    async list() {
      return (prepare('SELECT * FROM users ORDER BY id').all() as UserRow[]).map(toUser);
    },
  };
}

