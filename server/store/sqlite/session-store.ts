import { randomBytes } from 'node:crypto';
import type { NewSession, Session, SessionStore } from '../../../shared/store.js';
import { translateSqliteError } from './errors.js';
import type { Prepare } from './prepare.js';

interface SessionRow {
  token_hash: string;
  user_id: number;
  expires_at: number;
  id: string;
  created_at: number | null;
  last_seen: number | null;
  ip: string | null;
  user_agent: string | null;
}
const COLUMNS = 'token_hash, user_id, expires_at, id, created_at, last_seen, ip, user_agent';
const iso = (ms: number | null, fallback: number) => new Date(ms ?? fallback).toISOString();
const toSession = (r: SessionRow): Session => ({
  tokenHash: r.token_hash,
  userId: String(r.user_id),
  expiresAt: new Date(r.expires_at).toISOString(),
  id: r.id,
  createdAt: iso(r.created_at, r.expires_at),
  lastSeenAt: iso(r.last_seen ?? r.created_at, r.expires_at),
  ip: r.ip,
  userAgent: r.user_agent,
});
const validUserId = (id: string) => /^\d{1,18}$/.test(id);

export function sessionStore(prepare: Prepare): SessionStore {
  return {
    async create(s: NewSession) {
      try {
        const created = s.createdAt ? Date.parse(s.createdAt) : Date.now();
        prepare(`INSERT INTO sessions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
          s.tokenHash,
          Number(s.userId),
          Date.parse(s.expiresAt),
          s.id ?? randomBytes(16).toString('base64url'),
          created,
          created,
          s.ip ?? null,
          s.userAgent ?? null,
        );
      } catch (e) {
        throw translateSqliteError(e, 'session');
      }
    },
    async find({ tokenHash, now }) {
      const r = prepare(`SELECT ${COLUMNS} FROM sessions WHERE token_hash = ? AND expires_at > ?`).get(tokenHash, Date.parse(now)) as SessionRow | undefined;
      return r ? toSession(r) : null;
    },
    async delete({ tokenHash }) {
      prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
    },
    async deleteExpired({ now }) {
      return prepare('DELETE FROM sessions WHERE expires_at <= ?').run(Date.parse(now)).changes;
    },
    async touch({ tokenHash, at }) {
      prepare('UPDATE sessions SET last_seen = max(coalesce(last_seen, 0), ?) WHERE token_hash = ?').run(Date.parse(at), tokenHash);
    },
    async listByUser({ userId, now }) {
      if (!validUserId(userId)) return [];
      const rows = prepare(`SELECT ${COLUMNS} FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, id DESC`).all(Number(userId), Date.parse(now)) as SessionRow[];
      return rows.map(toSession);
    },
    async deleteById({ userId, id }) {
      if (!validUserId(userId)) return null;
      const r = prepare(`DELETE FROM sessions WHERE user_id = ? AND id = ? RETURNING ${COLUMNS}`).get(Number(userId), id) as SessionRow | undefined;
      return r ? toSession(r) : null;
    },
    async deleteByUser({ userId, exceptId }) {
      if (!validUserId(userId)) return [];
      const rows = prepare('DELETE FROM sessions WHERE user_id = ? AND id IS NOT ? RETURNING id').all(Number(userId), exceptId ?? null) as Array<{ id: string }>;
      return rows.map((r) => r.id);
    },
  };
}
