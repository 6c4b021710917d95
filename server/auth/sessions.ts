import { createHash, randomBytes } from 'node:crypto';
import type { User } from '../../shared/auth.js';
import type { Session, Store } from '../../shared/store.js';

export const SESSION_COOKIE = 'hark_session';

/** Only the token's hash is stored, so a leaked database does not leak live sessions. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface LiveSession {
  user: User;
  session: Omit<Session, 'tokenHash'>;
}

export interface SessionService {
  create(userId: string, meta?: { ip?: string | null; userAgent?: string | null }): Promise<{ token: string; expiresAt: Date; id: string }>;
  resolve(token: string | undefined): Promise<User | null>;
  /** The user and their session, or null when the session is gone, expired, or its user disabled. */
  resolveSession(token: string | undefined): Promise<LiveSession | null>;
  /** Ends the session; returns it (without the token hash) so its sockets can be told, or null if there was none. */
  destroy(token: string | undefined): Promise<LiveSession['session'] | null>;
}

// Activity is written at most this often per session: a request should not cost a write.
const TOUCH_EVERY_MS = 60_000;

export function createSessionService(store: Store, ttlMs: number, now: () => Date = () => new Date()): SessionService {
  const resolveSession = async (token: string | undefined): Promise<LiveSession | null> => {
    if (!token || token.length > 200) return null;
    const at = now();
    const s = await store.sessions.find({ tokenHash: hashToken(token), now: at.toISOString() });
    if (!s) return null;
    const user = await store.users.findById({ id: s.userId });
    if (!user || user.disabled) return null;
    if (at.getTime() - Date.parse(s.lastSeenAt) > TOUCH_EVERY_MS) await store.sessions.touch({ tokenHash: s.tokenHash, at: at.toISOString() });
    const { tokenHash: _omit, ...session } = s;
    return { user, session };
  };
  return {
    async create(userId, meta = {}) {
      const token = randomBytes(32).toString('base64url');
      const id = randomBytes(16).toString('base64url');
      const at = now();
      const expiresAt = new Date(at.getTime() + ttlMs);
      await store.sessions.create({
        tokenHash: hashToken(token),
        userId,
        expiresAt: expiresAt.toISOString(),
        id,
        createdAt: at.toISOString(),
        ip: meta.ip ?? null,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
      });
      return { token, expiresAt, id };
    },
    resolveSession,
    async resolve(token) {
      return (await resolveSession(token))?.user ?? null;
    },
    async destroy(token) {
      if (!token || token.length > 200) return null;
      const tokenHash = hashToken(token);
      const s = await store.sessions.find({ tokenHash, now: new Date(0).toISOString() });
      await store.sessions.delete({ tokenHash });
      if (!s) return null;
      const { tokenHash: _omit, ...session } = s;
      return session;
    },
  };
}

/** Reads one cookie from a Cookie header without a parser dependency. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
