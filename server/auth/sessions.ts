import { createHash, randomBytes } from 'node:crypto';
import type { User } from '../../shared/auth.js';
import type { Store } from '../../shared/store.js';

export const SESSION_COOKIE = 'hark_session';

/** Only the token's hash is stored, so a leaked database does not leak live sessions. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export interface SessionService {
  create(userId: string): Promise<{ token: string; expiresAt: Date }>;
  resolve(token: string | undefined): Promise<User | null>;
  destroy(token: string | undefined): Promise<void>;
}

export function createSessionService(store: Store, ttlMs: number, now: () => Date = () => new Date()): SessionService {
  return {
    async create(userId) {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now().getTime() + ttlMs);
      await store.sessions.create({ tokenHash: hashToken(token), userId, expiresAt: expiresAt.toISOString() });
      return { token, expiresAt };
    },
    async resolve(token) {
      if (!token || token.length > 200) return null;
      const s = await store.sessions.find({ tokenHash: hashToken(token), now: now().toISOString() });
      return s ? store.users.findById({ id: s.userId }) : null;
    },
    async destroy(token) {
      if (token) await store.sessions.delete({ tokenHash: hashToken(token) });
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
