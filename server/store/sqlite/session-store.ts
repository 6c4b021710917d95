import type { Session, SessionStore } from '../../../shared/store.js';
import { translateSqliteError } from './errors.js';
import type { Prepare } from './prepare.js';

export function sessionStore(prepare: Prepare): SessionStore {
  return {
    async create(s: Session) {
      try {
        prepare('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)').run(s.tokenHash, Number(s.userId), Date.parse(s.expiresAt));
      } catch (e) {
        throw translateSqliteError(e, 'session');
      }
    },
    async find({ tokenHash, now }) {
      const r = prepare('SELECT token_hash, user_id, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?').get(tokenHash, Date.parse(now)) as
        | { token_hash: string; user_id: number; expires_at: number }
        | undefined;
      return r ? { tokenHash: r.token_hash, userId: String(r.user_id), expiresAt: new Date(r.expires_at).toISOString() } : null;
    },
    async delete({ tokenHash }) {
      prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
    },
    async deleteExpired({ now }) {
      return prepare('DELETE FROM sessions WHERE expires_at <= ?').run(Date.parse(now)).changes;
    },
  };
}
